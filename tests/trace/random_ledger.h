// Random ledgers for property tests: deterministic for a seed, with a few
// busy accounts, several assets, trades, withdrawals, overdrafts (outflows
// larger than the balance), many events sharing a second (so ties are
// broken by event_id), and some infrastructure accounts.
#ifndef SENTINEL_TESTS_TRACE_RANDOM_LEDGER_H_
#define SENTINEL_TESTS_TRACE_RANDOM_LEDGER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sentinel/v1/trace.pb.h"

namespace sentinel::trace::testing {

struct RandomLedgerOptions {
  int accounts = 300;
  // 2..6.
  int assets = 4;
  int events = 3000;
  // The first accounts are OMNIBUS, FEE and MARKET_MAKER in turn.
  int infrastructure_accounts = 4;
  // Events fall on whole seconds in [0, span_seconds) after kOrigin.
  int64_t span_seconds = 2000;
};

struct RandomLedger {
  // Distinct, valid events in ledger order.
  std::vector<v1::LedgerEvent> events;
  std::map<std::string, v1::AccountKind> kinds;
  // The busiest ordinary account, funded in every asset at second 0.
  std::string victim;
};

RandomLedger GenerateLedger(uint32_t seed,
                            const RandomLedgerOptions& options = {});

}  // namespace sentinel::trace::testing

#endif  // SENTINEL_TESTS_TRACE_RANDOM_LEDGER_H_
