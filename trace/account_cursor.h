// Reads one account's events forward in ledger order, a chunk at a time, so
// that a trace holding thousands of accounts open keeps no RocksDB iterator
// open between chunks.
#ifndef SENTINEL_TRACE_ACCOUNT_CURSOR_H_
#define SENTINEL_TRACE_ACCOUNT_CURSOR_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sentinel/v1/trace.pb.h"
#include "trace/ledger_position.h"
#include "trace/ledger_store.h"

namespace sentinel::trace {

// Not thread-safe. The view must outlive the cursor.
class AccountCursor final {
 public:
  // Events of `account` at positions in [from, to). Reads nothing yet: call
  // Advance() once to load the first event.
  AccountCursor(const LedgerView& view, std::string account,
                LedgerPosition from, LedgerPosition to);

  // Moves to the next event (the first, on the first call), reading the
  // next chunk when needed. Chunks start at 8 events and double up to 1024,
  // so a quiet account costs one small read and a busy one few seeks.
  // Errors are the view's.
  absl::Status Advance();

  // Whether there is a current event.
  bool valid() const { return valid_; }
  // The current event; requires valid().
  const v1::LedgerEvent& event() const { return buffer_[index_]; }
  const std::string& account() const { return account_; }

 private:
  const LedgerView& view_;
  const std::string account_;
  // Where the next chunk starts, and the end of the range.
  LedgerPosition resume_;
  const LedgerPosition to_;
  std::vector<v1::LedgerEvent> buffer_;
  // The current event in buffer_, when valid_.
  size_t index_ = 0;
  bool valid_ = false;
  // Whether the range holds nothing after buffer_.
  bool exhausted_ = false;
  size_t chunk_ = 8;
};

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_ACCOUNT_CURSOR_H_
