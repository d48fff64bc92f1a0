// Tests of reading ledger events from JSON lines for `trace ingest`.
#include "cli/trace_ledger_reader.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every event `reader` yields, or the first error.
absl::StatusOr<std::vector<v1::LedgerEvent>> ReadAll(
    LedgerEventReader& reader) {
  std::vector<v1::LedgerEvent> events;
  v1::LedgerEvent event;
  while (true) {
    absl::StatusOr<bool> read = reader.Next(&event);
    if (!read.ok()) return read.status();
    if (!*read) return events;
    events.push_back(event);
  }
}

std::vector<std::string> EventIds(const std::vector<v1::LedgerEvent>& events) {
  std::vector<std::string> ids;
  for (const v1::LedgerEvent& event : events) ids.push_back(event.event_id());
  return ids;
}

TEST(LedgerEventReaderTest, ReadsEveryKindOfEvent) {
  std::istringstream in(
      R"({"eventId":"e1","time":"2026-11-20T10:00:00Z","kind":"LEDGER_EVENT_KIND_TRANSFER","fromAccount":"acct-1","toAccount":"acct-2","asset":"BTC","amount":"50000"}
{"event_id":"e2","time":"2026-11-20T10:05:00Z","kind":"LEDGER_EVENT_KIND_TRADE","from_account":"acct-2","to_account":"mm-1","asset":"BTC","amount":100,"counter_asset":"USDT","counter_amount":"5000000"}
{"eventId":"e3","time":"2026-11-20T10:10:00Z","kind":3,"fromAccount":"acct-2","externalAddress":"bc1qxy","asset":"BTC","amount":"20000"}
)");
  LedgerEventReader reader(in, "ledger.jsonl");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::LedgerEvent> events, ReadAll(reader));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(reader.events(), 3);

  EXPECT_EQ(events[0].event_id(), "e1");
  EXPECT_EQ(FormatUtc(FromProtoTime(events[0].time())), "2026-11-20T10:00:00Z");
  EXPECT_EQ(events[0].kind(), v1::LEDGER_EVENT_KIND_TRANSFER);
  EXPECT_EQ(events[0].from_account(), "acct-1");
  EXPECT_EQ(events[0].to_account(), "acct-2");
  EXPECT_EQ(events[0].asset(), "BTC");
  EXPECT_EQ(events[0].amount(), 50000);

  EXPECT_EQ(events[1].kind(), v1::LEDGER_EVENT_KIND_TRADE);
  EXPECT_EQ(events[1].amount(), 100);
  EXPECT_EQ(events[1].counter_asset(), "USDT");
  EXPECT_EQ(events[1].counter_amount(), 5000000);

  EXPECT_EQ(events[2].kind(), v1::LEDGER_EVENT_KIND_WITHDRAWAL);
  EXPECT_EQ(events[2].external_address(), "bc1qxy");
}

TEST(LedgerEventReaderTest, SkipsBlankLinesAndCarriageReturns) {
  std::istringstream in(
      "{\"eventId\":\"e1\"}\r\n"
      "\n"
      "   \t\n"
      "{\"eventId\":\"e2\"}\n"
      "{\"eventId\":\"e3\"}\n"
      "\n"
      "{\"eventId\":\"e4\"}");  // No line break at the end.
  LedgerEventReader reader(in, "ledger.jsonl");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::LedgerEvent> events, ReadAll(reader));
  EXPECT_THAT(EventIds(events), ElementsAre("e1", "e2", "e3", "e4"));

  // Positions 0..3 came from lines 1, 4, 5 and 7.
  EXPECT_EQ(reader.LineOf(0), 1);
  EXPECT_EQ(reader.LineOf(1), 4);
  EXPECT_EQ(reader.LineOf(2), 5);
  EXPECT_EQ(reader.LineOf(3), 7);
}

TEST(LedgerEventReaderTest, LineOfWithoutBlankLinesIsPositionPlusOne) {
  std::istringstream in("{}\n{}\n{}\n");
  LedgerEventReader reader(in, "ledger.jsonl");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::LedgerEvent> events, ReadAll(reader));
  EXPECT_EQ(events.size(), 3u);
  EXPECT_EQ(reader.LineOf(0), 1);
  EXPECT_EQ(reader.LineOf(2), 3);
}

TEST(LedgerEventReaderTest, EmptyInputHasNoEvents) {
  std::istringstream in("\n\n");
  LedgerEventReader reader(in, "ledger.jsonl");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::LedgerEvent> events, ReadAll(reader));
  EXPECT_TRUE(events.empty());
}

TEST(LedgerEventReaderTest, BadLineReportsItsNumberAfterTheGoodOnes) {
  std::istringstream in(
      "{\"eventId\":\"e1\"}\n"
      "\n"
      "{\"eventId\":\"e2\",\n"
      "{\"eventId\":\"e3\"}\n");
  LedgerEventReader reader(in, "ledger.jsonl");
  v1::LedgerEvent event;
  ASSERT_OK_AND_ASSIGN(bool read, reader.Next(&event));
  EXPECT_TRUE(read);
  EXPECT_EQ(event.event_id(), "e1");
  absl::StatusOr<bool> bad = reader.Next(&event);
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument,
                            "ledger.jsonl:3: not a LedgerEvent in proto JSON: "
                            "Unexpected end of string. Expected an object key "
                            "or }."));
  EXPECT_EQ(reader.events(), 1);
}

TEST(LedgerEventReaderTest, UnknownFieldIsNamed) {
  std::istringstream in(R"({"eventId":"e1","amout":"5"})");
  LedgerEventReader reader(in, "in.jsonl");
  EXPECT_THAT(ReadAll(reader),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "in.jsonl:1: not a LedgerEvent in proto JSON: amout: "
                       "Cannot find field."));
}

TEST(LedgerEventReaderTest, UnknownFieldsWrongTypesAndNonObjectsAreBad) {
  for (const char* line :
       {R"({"eventId":"e1","amout":"5"})", R"({"eventId":"e1","amount":"x"})",
        R"({"eventId":"e1","kind":"LEDGER_EVENT_KIND_GIFT"})",
        R"({"eventId":"e1","time":"yesterday"})", R"(["e1"])", "e1"}) {
    std::istringstream in(absl::StrCat("{}\n", line, "\n"));
    LedgerEventReader reader(in, "in.jsonl");
    EXPECT_THAT(ReadAll(reader),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("in.jsonl:2: not a LedgerEvent")))
        << line;
  }
}

TEST(LedgerEventReaderTest, OverlongLineIsRefusedWithoutReadingItWhole) {
  std::string input = "{}\n{\"eventId\":\"";
  input.append(kMaxLedgerLineBytes, 'x');
  input += "\"}\n{}\n";
  std::istringstream in(input);
  LedgerEventReader reader(in, "big.jsonl");
  EXPECT_THAT(ReadAll(reader),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat("big.jsonl:2: line longer than ",
                                    kMaxLedgerLineBytes, " bytes")));
}

TEST(LedgerEventReaderTest, LineOfTheLongestAllowedLengthIsRead) {
  // {"eventId":"xxx..."} exactly kMaxLedgerLineBytes long, then a CR LF.
  std::string line = "{\"eventId\":\"";
  line.append(kMaxLedgerLineBytes - line.size() - 2, 'x');
  line += "\"}";
  ASSERT_EQ(line.size(), kMaxLedgerLineBytes);
  std::istringstream in(line + "\r\n{}\n");
  LedgerEventReader reader(in, "edge.jsonl");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::LedgerEvent> events, ReadAll(reader));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event_id().size(), kMaxLedgerLineBytes - 14);
}

}  // namespace
}  // namespace sentinel::cli
