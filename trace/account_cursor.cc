#include "trace/account_cursor.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/status_macros.h"

namespace sentinel::trace {
namespace {

constexpr size_t kMaxChunk = 1024;

}  // namespace

AccountCursor::AccountCursor(const LedgerView& view, std::string account,
                             LedgerPosition from, LedgerPosition to)
    : view_(view),
      account_(std::move(account)),
      resume_(std::move(from)),
      to_(std::move(to)) {}

absl::Status AccountCursor::Advance() {
  if (valid_ && index_ + 1 < chunk_.events().size()) {
    ++index_;
    return absl::OkStatus();
  }
  valid_ = false;
  if (exhausted_) return absl::OkStatus();
  SENTINEL_RETURN_IF_ERROR(
      view_.ReadAccountEvents(account_, resume_, to_, chunk_size_, chunk_));
  const std::vector<EventView>& events = chunk_.events();
  exhausted_ = events.size() < chunk_size_;
  if (!events.empty()) {
    resume_.unix_nanos = events.back().unix_nanos;
    resume_.event_id.assign(events.back().event_id.data(),
                            events.back().event_id.size());
    resume_.event_id.push_back('\0');  // Successor
  }
  chunk_size_ = std::min(chunk_size_ * 2, kMaxChunk);
  index_ = 0;
  valid_ = !events.empty();
  return absl::OkStatus();
}

}  // namespace sentinel::trace
