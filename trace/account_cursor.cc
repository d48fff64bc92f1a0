#include "trace/account_cursor.h"

#include <algorithm>
#include <utility>

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
  if (valid_ && index_ + 1 < buffer_.size()) {
    ++index_;
    return absl::OkStatus();
  }
  valid_ = false;
  if (exhausted_) return absl::OkStatus();
  SENTINEL_ASSIGN_OR_RETURN(
      buffer_, view_.AccountEvents(account_, resume_, to_, chunk_));
  exhausted_ = buffer_.size() < chunk_;
  if (!buffer_.empty()) resume_ = Successor(PositionOf(buffer_.back()));
  chunk_ = std::min(chunk_ * 2, kMaxChunk);
  index_ = 0;
  valid_ = !buffer_.empty();
  return absl::OkStatus();
}

}  // namespace sentinel::trace
