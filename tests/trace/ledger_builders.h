// Short builders of ledger events for tests, with times in seconds after a
// fixed origin (kOrigin) that lies before the test clock's start.
#ifndef SENTINEL_TESTS_TRACE_LEDGER_BUILDERS_H_
#define SENTINEL_TESTS_TRACE_LEDGER_BUILDERS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::trace::testing {

// 2026-12-23T04:26:40Z: about nine days before FakeClock's default start.
inline constexpr int64_t kOriginUnixSeconds = 1798000000;

// kOrigin + `second`.
absl::Time At(int64_t second);

v1::LedgerEvent Transfer(const std::string& id, int64_t second,
                         const std::string& from, const std::string& to,
                         const std::string& asset, int64_t amount);
// `seller` sells `amount` of `asset` to `counterparty` for `counter_amount`
// of `counter_asset`.
v1::LedgerEvent Trade(const std::string& id, int64_t second,
                      const std::string& seller,
                      const std::string& counterparty, const std::string& asset,
                      int64_t amount, const std::string& counter_asset,
                      int64_t counter_amount);
v1::LedgerEvent Withdrawal(const std::string& id, int64_t second,
                           const std::string& from, const std::string& address,
                           const std::string& asset, int64_t amount);
v1::LedgerEvent Deposit(const std::string& id, int64_t second,
                        const std::string& to, const std::string& asset,
                        int64_t amount);

}  // namespace sentinel::trace::testing

#endif  // SENTINEL_TESTS_TRACE_LEDGER_BUILDERS_H_
