// Reading ledger events for `trace ingest` from JSON lines: one LedgerEvent
// per line in proto JSON, read one line at a time so a file of millions of
// events streams in bounded memory.
//
//   {"eventId":"e1","time":"2026-11-20T10:00:00Z",
//    "kind":"LEDGER_EVENT_KIND_TRANSFER","fromAccount":"acct-1",
//    "toAccount":"acct-2","asset":"BTC","amount":"50000"}
//
// Field names may be the JSON names ("eventId") or the proto names
// ("event_id"); int64 amounts may be numbers or strings; enum values are
// their full names or numbers. Only the JSON is checked here: whether the
// event is valid (required fields, amounts > 0, ...) is the server's to say,
// per event, in its IngestSummary.
#ifndef SENTINEL_CLI_TRACE_LEDGER_READER_H_
#define SENTINEL_CLI_TRACE_LEDGER_READER_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::cli {

// The longest line read, in bytes: a valid event is well under 2 KiB.
inline constexpr size_t kMaxLedgerLineBytes = 64 * 1024;

// Reads `in`, which must outlive the reader. Not thread-safe.
//
// Example:
//   LedgerEventReader reader(file, "ledger.jsonl");
//   v1::LedgerEvent event;
//   while (true) {
//     absl::StatusOr<bool> read = reader.Next(&event);
//     if (!read.ok()) return UsageFailure(read.status().message());
//     if (!*read) break;
//     Send(event);
//   }
class LedgerEventReader final {
 public:
  // `name` is what messages call the input, e.g. the file's path or
  // "stdin".
  LedgerEventReader(std::istream& in, std::string name);

  LedgerEventReader(const LedgerEventReader&) = delete;
  LedgerEventReader& operator=(const LedgerEventReader&) = delete;

  // Reads the next event into `event`: true when there was one, false at
  // the end of the input. Lines holding only spaces are skipped; a "\r"
  // before the line break is dropped. Errors, with a one-line message
  // "<name>:<line>: ...": kInvalidArgument for a line that is not one
  // LedgerEvent in proto JSON (unknown fields included) or is longer than
  // kMaxLedgerLineBytes; kDataLoss when reading fails. After an error the
  // reader is not to be used again.
  absl::StatusOr<bool> Next(v1::LedgerEvent* event);

  // The number of events read so far.
  int64_t events() const { return events_; }

  // The line (1-based) the event at 0-based `position` came from; positions
  // beyond those read count on from the last event's line.
  int64_t LineOf(int64_t position) const;

 private:
  // Reads one line into `line` without its line break; false at the end of
  // the input. kInvalidArgument for a line that is too long.
  absl::StatusOr<bool> ReadLine(std::string* line);

  std::istream& in_;
  const std::string name_;
  int64_t line_ = 0;
  int64_t events_ = 0;
  // Lines skipped before the event at a position, (position, skipped) for
  // the first event after each run of blank lines: LineOf needs no entry
  // per event.
  std::vector<std::pair<int64_t, int64_t>> skipped_lines_;
  // Holds one line; kMaxLedgerLineBytes, a "\r" and getline's terminator.
  std::string buffer_;
};

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_TRACE_LEDGER_READER_H_
