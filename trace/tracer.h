// Fund tracing: following tainted value forward in time through the ledger,
// from a victim account and a start time, under one taint model.
//
// Semantics (the contract the reference replay in tests/trace checks):
// - Order: events are taken in ledger order (ledger_position.h); an event is
//   followed when since <= time <= until. Balances are those of
//   ledger_balance.h.
// - Seed: at `since`, every positive balance of the victim (of the requested
//   assets, or all) is wholly tainted; AssetTotals.seeded. Other value the
//   victim receives later is clean unless it carries taint.
// - Accounts are reached when a TRANSFER brings them taint. The victim is
//   hop 0; an account keeps the hop at which taint first reached it (later
//   arrivals do not change it); a transfer or withdrawal out of an account
//   of hop h is an edge of hop h + 1, a trade an edge of hop h.
// - A reached account marked as infrastructure (OMNIBUS, FEE, MARKET_MAKER)
//   absorbs: taint sent to it is counted there (AssetTotals.infrastructure)
//   and its own events are not examined. A reached user account of hop
//   max_hops absorbs the same way but counts as held (Holding.hop_limited).
//   Every other reached account, and the victim whatever its kind, is
//   expanded: all its events are examined from the moment it is reached, so
//   its model state (ledger_balance.h, asset_taint.h) is exact. Absorbing
//   and untouched accounts send only clean value.
// - TRANSFER moves the parcel the sender's model yields to the receiver.
//   WITHDRAWAL moves it to the external address. DEPOSIT brings clean value.
// - TRADE is a conversion on both sides: an expanded trader's tainted part t
//   of what it sells becomes ConvertTaint(t) of what it buys, in the same
//   account (the bought value is added tainted part first, then clean). No
//   taint crosses to the other party. Both parties are traders: the
//   from_account sells `asset`, the to_account sells counter_asset; each
//   expanded side that sells taint yields a FlowEdge (from = to = trader,
//   counterparty_account = the other party).
// - Conservation (HAIRCUT, FIFO), exactly, per asset A:
//     seeded(A) + converted_in(A) - converted_out(A)
//       == held(A) + infrastructure(A) + external(A)
//   where converted_out(A) sums the tainted A that trades sold and
//   converted_in(A) the tainted A they created (floor(t * bought / sold),
//   so value rounded away in a conversion leaves the books in A's
//   converted_out without entering the other asset's converted_in). Holds
//   while no balance or sum saturates at INT64_MAX. POISON reports the same
//   fields without conservation.
// - Holding.balance is the account's balance at as_of. For absorbing
//   accounts, tainted_amount is what they absorbed, which can exceed the
//   balance when they moved value on (those movements are not followed).
// - Budget: at most max_events distinct events are examined. When more
//   remain, the result is partial and describes the state just after the
//   last examined event (as_of = its time).
//
// Cost: one seek per chunk of an expanded account's events (64, doubling to
// 1024; the first starts at the transfer that reached it, whose stored
// balances give the account's opening ones), one per absorbing account for
// its final balances, O(log A) per examined event for the merge of A open
// accounts, and one FlowEdge per tainted movement up to max_edges; memory
// O(reached accounts + FIFO lots + open chunks). Nothing scans the whole
// ledger.
#ifndef SENTINEL_TRACE_TRACER_H_
#define SENTINEL_TRACE_TRACER_H_

#include "absl/status/statusor.h"
#include "sentinel/v1/trace.pb.h"
#include "trace/ledger_store.h"
#include "trace/trace_request.h"

namespace sentinel::trace {

// Traces `params` (from ResolveTraceRequest) on `view`. Errors are the
// view's storage errors; a trace that runs out of budget is OK and partial.
//
// Example:
//   std::unique_ptr<LedgerView> view = store.OpenView();
//   SENTINEL_ASSIGN_OR_RETURN(v1::TraceResult result,
//                             TraceFunds(*view, params));
absl::StatusOr<v1::TraceResult> TraceFunds(const LedgerView& view,
                                           const TraceParams& params);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_TRACER_H_
