// ValidateLedgerEvent: every rule, at and just past each limit, with the
// exact message a client sees.
#include "trace/ledger_validation.h"

#include <limits>
#include <string>

#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/trace/ledger_builders.h"
#include "trace/trace_limits.h"

namespace sentinel::trace {
namespace {

using ::sentinel::testing::StatusIs;
using testing::Deposit;
using ::testing::Eq;
using testing::Trade;
using testing::Transfer;
using testing::Withdrawal;

const absl::Time kNow = absl::FromUnixSeconds(1798761600);

// A valid transfer one second before kNow.
v1::LedgerEvent ValidTransfer() {
  v1::LedgerEvent event = Transfer("ev-1", 0, "alice", "bob", "BTC", 5);
  *event.mutable_time() = ToProtoTime(kNow - absl::Seconds(1));
  return event;
}

absl::Status Check(const v1::LedgerEvent& event) {
  return ValidateLedgerEvent(event, kNow, kDefaultMaxEventFutureSkew);
}

void ExpectInvalid(const v1::LedgerEvent& event, const std::string& message) {
  EXPECT_THAT(Check(event),
              StatusIs(absl::StatusCode::kInvalidArgument, Eq(message)))
      << event.DebugString();
}

TEST(LedgerValidationTest, AcceptsEachKind) {
  const int64_t second = -1000;  // well before kNow
  EXPECT_OK(Check(Transfer("t", second, "a", "b", "BTC", 1)));
  EXPECT_OK(Check(Trade("x", second, "a", "b", "BTC", 1, "USDT", 2)));
  EXPECT_OK(Check(Withdrawal("w", second, "a", "bc1qaddr", "BTC", 1)));
  EXPECT_OK(Check(Deposit("d", second, "a", "BTC", 1)));
  v1::LedgerEvent from_address = Deposit("d2", second, "a", "BTC", 1);
  from_address.set_external_address("0xabc");
  EXPECT_OK(Check(from_address));
}

TEST(LedgerValidationTest, EventId) {
  v1::LedgerEvent event = ValidTransfer();
  event.set_event_id("");
  ExpectInvalid(event, "event_id: required");
  event.set_event_id(std::string(128, 'e'));
  EXPECT_OK(Check(event));
  event.set_event_id(std::string(129, 'e'));
  ExpectInvalid(event, "event_id: 129 bytes, longer than the limit of 128");
  event.set_event_id("ev 1");
  ExpectInvalid(event,
                "event_id: may contain only letters, digits and . _ : @ -");
  event.set_event_id("A-z_0.9:x@y");
  EXPECT_OK(Check(event));
}

TEST(LedgerValidationTest, Kind) {
  v1::LedgerEvent event = ValidTransfer();
  event.set_kind(v1::LEDGER_EVENT_KIND_UNSPECIFIED);
  ExpectInvalid(event, "kind: required");
  event.set_kind(static_cast<v1::LedgerEventKind>(5));
  ExpectInvalid(event, "kind: unknown value 5");
}

TEST(LedgerValidationTest, Time) {
  v1::LedgerEvent event = ValidTransfer();
  event.clear_time();
  ExpectInvalid(event, "time: required");

  event.mutable_time()->set_seconds(0);
  event.mutable_time()->set_nanos(0);
  EXPECT_OK(Check(event));  // the epoch itself
  event.mutable_time()->set_nanos(999999999);
  EXPECT_OK(Check(event));
  event.mutable_time()->set_nanos(1000000000);
  ExpectInvalid(event, "time: nanos 1000000000 is outside 0..999999999");
  event.mutable_time()->set_nanos(-1);
  ExpectInvalid(event, "time: nanos -1 is outside 0..999999999");
  event.mutable_time()->set_nanos(0);
  event.mutable_time()->set_seconds(-1);
  ExpectInvalid(event, "time: before 1970-01-01T00:00:00Z");
}

TEST(LedgerValidationTest, TimeAtMostTheSkewAfterNow) {
  v1::LedgerEvent event = ValidTransfer();
  *event.mutable_time() = ToProtoTime(kNow + absl::Minutes(10));
  EXPECT_OK(Check(event));
  *event.mutable_time() =
      ToProtoTime(kNow + absl::Minutes(10) + absl::Nanoseconds(1));
  ExpectInvalid(event, "time: more than 10m after the server's clock");

  *event.mutable_time() = ToProtoTime(kNow + absl::Minutes(5));
  EXPECT_OK(ValidateLedgerEvent(event, kNow, absl::Minutes(5)));
  *event.mutable_time() =
      ToProtoTime(kNow + absl::Minutes(5) + absl::Seconds(1));
  EXPECT_THAT(ValidateLedgerEvent(event, kNow, absl::Minutes(5)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       Eq("time: more than 5m after the server's clock")));
}

TEST(LedgerValidationTest, Accounts) {
  v1::LedgerEvent transfer = ValidTransfer();
  transfer.clear_from_account();
  ExpectInvalid(transfer, "from_account: required");
  transfer.set_from_account(std::string(129, 'a'));
  ExpectInvalid(transfer,
                "from_account: 129 bytes, longer than the limit of 128");
  transfer.set_from_account("bob");
  ExpectInvalid(transfer, "to_account: must differ from from_account");
  transfer.set_from_account("alice");
  transfer.clear_to_account();
  ExpectInvalid(transfer, "to_account: required");
  transfer.set_to_account("b/b");
  ExpectInvalid(transfer,
                "to_account: may contain only letters, digits and . _ : @ -");

  v1::LedgerEvent trade = Trade("x", -5, "a", "a", "BTC", 1, "USDT", 2);
  ExpectInvalid(trade, "to_account: must differ from from_account");
  trade.clear_from_account();
  ExpectInvalid(trade, "from_account: required");

  v1::LedgerEvent withdrawal = Withdrawal("w", -5, "a", "addr", "BTC", 1);
  withdrawal.set_to_account("b");
  ExpectInvalid(withdrawal, "to_account: must be empty for WITHDRAWAL");
  withdrawal.clear_to_account();
  withdrawal.clear_from_account();
  ExpectInvalid(withdrawal, "from_account: required");

  v1::LedgerEvent deposit = Deposit("d", -5, "a", "BTC", 1);
  deposit.set_from_account("b");
  ExpectInvalid(deposit, "from_account: must be empty for DEPOSIT");
  deposit.clear_from_account();
  deposit.clear_to_account();
  ExpectInvalid(deposit, "to_account: required");
}

TEST(LedgerValidationTest, ExternalAddress) {
  v1::LedgerEvent withdrawal = Withdrawal("w", -5, "a", "", "BTC", 1);
  ExpectInvalid(withdrawal, "external_address: required");
  withdrawal.set_external_address(std::string(256, 'x'));
  EXPECT_OK(Check(withdrawal));
  withdrawal.set_external_address(std::string(257, 'x'));
  ExpectInvalid(withdrawal,
                "external_address: 257 bytes, longer than the limit of 256");
  withdrawal.set_external_address("!~");  // the ends of the printable range
  EXPECT_OK(Check(withdrawal));
  for (const char* bad : {"a b", "a\x7f", "a\tb", "caf\xc3\xa9"}) {
    withdrawal.set_external_address(bad);
    ExpectInvalid(withdrawal,
                  "external_address: may contain only printable ASCII without "
                  "spaces");
  }

  v1::LedgerEvent transfer = ValidTransfer();
  transfer.set_external_address("addr");
  ExpectInvalid(transfer, "external_address: must be empty for TRANSFER");
  v1::LedgerEvent trade = Trade("x", -5, "a", "b", "BTC", 1, "USDT", 2);
  trade.set_external_address("addr");
  ExpectInvalid(trade, "external_address: must be empty for TRADE");
}

TEST(LedgerValidationTest, AssetAndAmount) {
  v1::LedgerEvent event = ValidTransfer();
  event.clear_asset();
  ExpectInvalid(event, "asset: required");
  event.set_asset(std::string(32, 'A'));
  EXPECT_OK(Check(event));
  event.set_asset(std::string(33, 'A'));
  ExpectInvalid(event, "asset: 33 bytes, longer than the limit of 32");
  event.set_asset("BTC:1");
  ExpectInvalid(event, "asset: may contain only letters, digits and . _ -");
  event.set_asset("usdt.e_2-x");
  EXPECT_OK(Check(event));

  event.set_amount(0);
  ExpectInvalid(event, "amount: must be > 0");
  event.set_amount(-1);
  ExpectInvalid(event, "amount: must be > 0");
  event.set_amount(1);
  EXPECT_OK(Check(event));
  event.set_amount(std::numeric_limits<int64_t>::max());
  EXPECT_OK(Check(event));
}

TEST(LedgerValidationTest, Counterpart) {
  v1::LedgerEvent trade = Trade("x", -5, "a", "b", "BTC", 1, "", 2);
  ExpectInvalid(trade, "counter_asset: required");
  trade.set_counter_asset("BTC");
  ExpectInvalid(trade, "counter_asset: must differ from asset");
  trade.set_counter_asset("US DT");
  ExpectInvalid(trade,
                "counter_asset: may contain only letters, digits and . _ -");
  trade.set_counter_asset("USDT");
  trade.set_counter_amount(0);
  ExpectInvalid(trade, "counter_amount: must be > 0 for TRADE");
  trade.set_counter_amount(1);
  EXPECT_OK(Check(trade));

  v1::LedgerEvent transfer = ValidTransfer();
  transfer.set_counter_asset("USDT");
  ExpectInvalid(transfer, "counter_asset: must be empty for TRANSFER");
  transfer.clear_counter_asset();
  transfer.set_counter_amount(1);
  ExpectInvalid(transfer, "counter_amount: must be 0 for TRANSFER");
  v1::LedgerEvent deposit = Deposit("d", -5, "a", "BTC", 1);
  deposit.set_counter_amount(-3);
  ExpectInvalid(deposit, "counter_amount: must be 0 for DEPOSIT");
}

TEST(LedgerValidationTest, ReportsTheFirstBrokenRule) {
  v1::LedgerEvent event = ValidTransfer();
  event.set_amount(0);
  event.clear_asset();
  ExpectInvalid(event, "asset: required");
  event.clear_event_id();
  ExpectInvalid(event, "event_id: required");
}

}  // namespace
}  // namespace sentinel::trace
