// How an account's balance of one asset follows from its ledger events; the
// one definition the store's balance index and the tracer share.
//
// Balances are derived from the ingested events alone, starting at zero. An
// outflow larger than the balance (the ledger began after the account had
// funds, or an upstream inconsistency) is taken to draw on value the ledger
// never saw, which is clean: the balance stops at zero instead of going
// negative. This keeps 0 <= tainted <= balance true in every model and makes
// tainted value conserved exactly, at the price of being path-dependent
// (balances cannot be summed from deltas; they are replayed in order).
//
// Amounts are int64 in the asset's smallest unit; a balance saturates at
// INT64_MAX (about 9.2e18), far beyond any real holding. Conservation in the
// tracer is exact while no balance or total saturates.
#ifndef SENTINEL_TRACE_LEDGER_BALANCE_H_
#define SENTINEL_TRACE_LEDGER_BALANCE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "sentinel/v1/trace.pb.h"
#include "trace/event_view.h"

namespace sentinel::trace {

// a + b for non-negative a and b, saturating at INT64_MAX.
int64_t SaturatingAdd(int64_t a, int64_t b);

// The balance after a change of `delta` (positive in, negative out) to
// `balance` (>= 0): never below zero, saturating at INT64_MAX.
int64_t ApplyBalanceDelta(int64_t balance, int64_t delta);

// A change to an account's balance of `asset`: > 0 for value arriving, < 0
// for value leaving.
struct AssetDelta {
  absl::string_view asset;
  int64_t delta = 0;
};

// The changes a validated event makes to the balances of `account`, one of
// its parties (none otherwise): TRANSFER moves `asset` from from_account to
// to_account; TRADE moves `asset` from from_account to to_account and
// counter_asset back; WITHDRAWAL takes `asset` from from_account; DEPOSIT
// gives `asset` to to_account. Views the event's strings.
absl::InlinedVector<AssetDelta, 2> AccountDeltas(const EventView& event,
                                                 absl::string_view account);

// An account's positive balances, one per asset, sorted by asset.
using AssetBalances = absl::InlinedVector<std::pair<std::string, int64_t>, 2>;

// Applies `deltas` to `balances` with ApplyBalanceDelta (a balance that
// reaches zero leaves the list).
void ApplyDeltas(absl::Span<const AssetDelta> deltas, AssetBalances& balances);

// The balance of `asset` in `balances`; 0 when absent.
int64_t BalanceOf(const AssetBalances& balances, absl::string_view asset);

// One change an event makes to one account's balance of one asset.
struct BalanceDelta {
  std::string account;
  std::string asset;
  // > 0 for value arriving, < 0 for value leaving.
  int64_t delta = 0;
};

// The balance changes of a validated event: AccountDeltas of from_account,
// then of to_account.
std::vector<BalanceDelta> BalanceDeltas(const v1::LedgerEvent& event);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_LEDGER_BALANCE_H_
