// Reads one account's events forward in ledger order, a chunk at a time, so
// that a trace holding thousands of accounts open keeps no RocksDB iterator
// open between chunks.
#ifndef SENTINEL_TRACE_ACCOUNT_CURSOR_H_
#define SENTINEL_TRACE_ACCOUNT_CURSOR_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "trace/event_chunk.h"
#include "trace/event_view.h"
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
  // next chunk when needed. Chunks start at 64 events and double up to 1024,
  // so a quiet account costs one read and a busy one few seeks.
  // Errors are the view's.
  absl::Status Advance();

  // Whether there is a current event.
  bool valid() const { return valid_; }
  // The current event; requires valid(). Its strings stay valid until the
  // cursor moves on.
  const EventView& event() const { return chunk_.events()[index_]; }
  // Right after the first Advance(): the account's positive balances just
  // after the first event of the range (empty when there is none).
  const AssetBalances& balances_after_first() const {
    return chunk_.balances_after_first();
  }
  const std::string& account() const { return account_; }

 private:
  const LedgerView& view_;
  const std::string account_;
  // Where the next chunk starts, and the end of the range.
  LedgerPosition resume_;
  const LedgerPosition to_;
  EventChunk chunk_;
  // The current event in chunk_, when valid_.
  size_t index_ = 0;
  bool valid_ = false;
  // Whether the range holds nothing after chunk_.
  bool exhausted_ = false;
  size_t chunk_size_ = 64;
};

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_ACCOUNT_CURSOR_H_
