#include "trace/ledger_balance.h"

#include <algorithm>
#include <limits>

namespace sentinel::trace {

int64_t SaturatingAdd(int64_t a, int64_t b) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  return a > kMax - b ? kMax : a + b;
}

int64_t ApplyBalanceDelta(int64_t balance, int64_t delta) {
  if (delta >= 0) return SaturatingAdd(balance, delta);
  // -delta cannot overflow: validated amounts are > 0, so delta > INT64_MIN.
  return balance > -delta ? balance + delta : 0;
}

absl::InlinedVector<AssetDelta, 2> AccountDeltas(const EventView& event,
                                                 absl::string_view account) {
  const bool from = !account.empty() && account == event.from_account;
  const bool to = !account.empty() && account == event.to_account;
  if (!from && !to) return {};
  const int64_t amount = from ? -event.amount : event.amount;
  switch (event.kind) {
    case v1::LEDGER_EVENT_KIND_TRANSFER:
    case v1::LEDGER_EVENT_KIND_WITHDRAWAL:
    case v1::LEDGER_EVENT_KIND_DEPOSIT:
      return {{event.asset, amount}};
    case v1::LEDGER_EVENT_KIND_TRADE:
      return {{event.asset, amount},
              {event.counter_asset,
               from ? event.counter_amount : -event.counter_amount}};
    default:
      return {};
  }
}

void ApplyDeltas(absl::Span<const AssetDelta> deltas, AssetBalances& balances) {
  for (const AssetDelta& change : deltas) {
    auto it = std::lower_bound(balances.begin(), balances.end(), change.asset,
                               [](const auto& held, absl::string_view asset) {
                                 return held.first < asset;
                               });
    if (it != balances.end() && it->first == change.asset) {
      it->second = ApplyBalanceDelta(it->second, change.delta);
      if (it->second == 0) balances.erase(it);
    } else if (change.delta > 0) {
      balances.emplace(it, std::string(change.asset), change.delta);
    }
  }
}

int64_t BalanceOf(const AssetBalances& balances, absl::string_view asset) {
  for (const auto& [held, balance] : balances) {
    if (held == asset) return balance;
  }
  return 0;
}

std::vector<BalanceDelta> BalanceDeltas(const v1::LedgerEvent& event) {
  const EventView view = ViewOf(event);
  std::vector<BalanceDelta> deltas;
  for (absl::string_view account : {view.from_account, view.to_account}) {
    if (account.empty()) continue;
    for (const AssetDelta& change : AccountDeltas(view, account)) {
      deltas.push_back(
          {std::string(account), std::string(change.asset), change.delta});
    }
  }
  return deltas;
}

}  // namespace sentinel::trace
