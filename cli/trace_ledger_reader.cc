// Implements reading ledger events from JSON lines.
#include "cli/trace_ledger_reader.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace sentinel::cli {

LedgerEventReader::LedgerEventReader(std::istream& in, std::string name)
    : in_(in), name_(std::move(name)), buffer_(kMaxLedgerLineBytes + 2, '\0') {}

absl::StatusOr<bool> LedgerEventReader::ReadLine(std::string* line) {
  if (in_.eof()) return false;
  // Bounded, unlike std::getline: a file without line breaks must not be
  // read into memory whole.
  in_.getline(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  const std::streamsize got = in_.gcount();
  if (in_.bad()) {
    return absl::DataLossError(
        absl::StrCat(name_, ":", line_ + 1, ": read failed"));
  }
  if (in_.fail()) {
    if (in_.eof() && got == 0) return false;
    return absl::InvalidArgumentError(
        absl::StrCat(name_, ":", line_ + 1, ": line longer than ",
                     kMaxLedgerLineBytes, " bytes"));
  }
  ++line_;
  // gcount counts the line break when there was one (not at the end of the
  // input).
  line->assign(buffer_.data(), static_cast<size_t>(in_.eof() ? got : got - 1));
  if (!line->empty() && line->back() == '\r') line->pop_back();
  if (line->size() > kMaxLedgerLineBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(name_, ":", line_, ": line longer than ",
                     kMaxLedgerLineBytes, " bytes"));
  }
  return true;
}

absl::StatusOr<bool> LedgerEventReader::Next(v1::LedgerEvent* event) {
  std::string line;
  while (true) {
    absl::StatusOr<bool> read = ReadLine(&line);
    if (!read.ok() || !*read) return read;
    if (!absl::StripAsciiWhitespace(line).empty()) break;
  }
  event->Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(line, event, options);
  if (!parsed.ok()) {
    // The parser's message is a description, then the line again with a
    // caret under the problem: the description is enough with the line
    // number.
    absl::string_view why(parsed.message().data(), parsed.message().size());
    why = why.substr(0, why.find('\n'));
    absl::ConsumePrefix(&why, ": ");
    return absl::InvalidArgumentError(
        absl::StrCat(name_, ":", line_, ": not a LedgerEvent in proto JSON: ",
                     absl::StripAsciiWhitespace(why)));
  }
  const int64_t skipped = line_ - 1 - events_;
  const int64_t skipped_before =
      skipped_lines_.empty() ? 0 : skipped_lines_.back().second;
  if (skipped != skipped_before) skipped_lines_.emplace_back(events_, skipped);
  ++events_;
  return true;
}

int64_t LedgerEventReader::LineOf(int64_t position) const {
  // The last run of skipped lines at or before `position`.
  auto after = std::upper_bound(
      skipped_lines_.begin(), skipped_lines_.end(), position,
      [](int64_t value, const std::pair<int64_t, int64_t>& entry) {
        return value < entry.first;
      });
  const int64_t skipped =
      after == skipped_lines_.begin() ? 0 : std::prev(after)->second;
  return position + 1 + skipped;
}

}  // namespace sentinel::cli
