#include "trace/ledger_balance.h"

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

std::vector<BalanceDelta> BalanceDeltas(const v1::LedgerEvent& event) {
  const std::string& from = event.from_account();
  const std::string& to = event.to_account();
  const int64_t amount = event.amount();
  switch (event.kind()) {
    case v1::LEDGER_EVENT_KIND_TRANSFER:
      return {{from, event.asset(), -amount}, {to, event.asset(), amount}};
    case v1::LEDGER_EVENT_KIND_TRADE:
      return {{from, event.asset(), -amount},
              {from, event.counter_asset(), event.counter_amount()},
              {to, event.asset(), amount},
              {to, event.counter_asset(), -event.counter_amount()}};
    case v1::LEDGER_EVENT_KIND_WITHDRAWAL:
      return {{from, event.asset(), -amount}};
    case v1::LEDGER_EVENT_KIND_DEPOSIT:
      return {{to, event.asset(), amount}};
    default:
      return {};
  }
}

}  // namespace sentinel::trace
