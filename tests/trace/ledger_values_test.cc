// The value encodings of the ledger family: round trips for every party a
// key can name, and malformed bytes refused rather than misread.
#include "trace/ledger_values.h"

#include <cstdint>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/trace/ledger_builders.h"
#include "trace/event_view.h"

namespace sentinel::trace::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// The body of `event` as stored under a key naming `party`, read back.
EventView RoundTrip(const EventView& event, KeyParty party,
                    absl::string_view key_account, std::string& bytes) {
  bytes.clear();
  AppendEventBody(event, party, bytes);
  absl::string_view value = bytes;
  EventView read;
  EXPECT_TRUE(ConsumeEventBody(value, key_account, read));
  EXPECT_TRUE(value.empty());
  read.unix_nanos = event.unix_nanos;
  read.event_id = event.event_id;
  return read;
}

TEST(LedgerValuesTest, EventBodiesRoundTripUnderEveryParty) {
  const v1::LedgerEvent trade =
      Trade("x1", 3, "bob", "carol", "BTC", kMax, "USDT", 50);
  const EventView event = ViewOf(trade);
  std::string bytes;
  EXPECT_TRUE(SameEvent(RoundTrip(event, KeyParty::kNone, "", bytes), event));
  EXPECT_TRUE(
      SameEvent(RoundTrip(event, KeyParty::kFrom, "bob", bytes), event));
  // The named party is left out of the value: its bytes are not there.
  EXPECT_EQ(bytes.find("bob"), std::string::npos);
  EXPECT_TRUE(
      SameEvent(RoundTrip(event, KeyParty::kTo, "carol", bytes), event));
  EXPECT_EQ(bytes.find("carol"), std::string::npos);

  const v1::LedgerEvent withdrawal =
      Withdrawal("w1", 4, "alice", "bc1q", "ETH", 2);
  EXPECT_TRUE(
      SameEvent(RoundTrip(ViewOf(withdrawal), KeyParty::kFrom, "alice", bytes),
                ViewOf(withdrawal)));
  EXPECT_EQ(ToLedgerEvent(ViewOf(withdrawal)).DebugString(),
            withdrawal.DebugString());
}

TEST(LedgerValuesTest, BalancesRoundTripAndMustFillTheValue) {
  const AssetBalances balances = {{"BTC", 5}, {"USDT", kMax}};
  std::string bytes;
  AppendBalances(balances, bytes);
  AssetBalances read;
  ASSERT_TRUE(ParseBalances(bytes, read));
  EXPECT_THAT(read, ElementsAre(Pair("BTC", 5), Pair("USDT", kMax)));

  EXPECT_FALSE(ParseBalances(bytes + "x", read));
  EXPECT_FALSE(ParseBalances(bytes.substr(0, bytes.size() - 1), read));
  std::string none;
  AppendBalances({}, none);
  ASSERT_TRUE(ParseBalances(none, read));
  EXPECT_TRUE(read.empty());
}

TEST(LedgerValuesTest, EventLocations) {
  const v1::LedgerEvent deposit = Deposit("d1", 1, "alice", "BTC", 10);
  std::string bytes;
  AppendEventLocation(ViewOf(deposit), bytes);
  const std::optional<EventLocation> location = DecodeEventLocation(bytes);
  ASSERT_TRUE(location.has_value());
  EXPECT_EQ(location->unix_nanos, ViewOf(deposit).unix_nanos);
  EXPECT_EQ(location->account, "alice");  // a deposit's only account

  bytes.clear();
  AppendEventLocation(ViewOf(Transfer("t1", 2, "alice", "bob", "BTC", 4)),
                      bytes);
  EXPECT_EQ(DecodeEventLocation(bytes)->account, "alice");
  EXPECT_FALSE(DecodeEventLocation(bytes.substr(0, 8)).has_value());
}

TEST(LedgerValuesTest, MalformedBodiesAreRefused) {
  std::string good;
  AppendEventBody(ViewOf(Transfer("t1", 2, "alice", "bob", "BTC", 4)),
                  KeyParty::kNone, good);
  EventView event;
  for (size_t size = 0; size < good.size(); ++size) {
    absl::string_view truncated(good.data(), size);
    EXPECT_FALSE(ConsumeEventBody(truncated, "", event)) << size;
  }
  std::string unknown_kind = good;
  unknown_kind[0] = 9;
  absl::string_view value = unknown_kind;
  EXPECT_FALSE(ConsumeEventBody(value, "", event));
  std::string unknown_party = good;
  unknown_party[1] = 3;
  value = unknown_party;
  EXPECT_FALSE(ConsumeEventBody(value, "", event));

  // kind, party, four empty strings, then an amount past INT64_MAX.
  std::string too_large("\x01\x00\x00\x00\x00\x00", 6);
  too_large += std::string(9, '\xff') + '\x01';
  value = too_large;
  EXPECT_FALSE(ConsumeEventBody(value, "", event));
  // A varint that never ends.
  std::string endless("\x01\x00\x00\x00\x00\x00", 6);
  endless += std::string(11, '\x80');
  value = endless;
  EXPECT_FALSE(ConsumeEventBody(value, "", event));
}

}  // namespace
}  // namespace sentinel::trace::testing
