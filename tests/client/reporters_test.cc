// IncidentReporter and LedgerStreamer against the real server over mutual
// TLS.

#include "absl/strings/str_cat.h"
#include "client/incident_reporter.h"
#include "client/ledger_streamer.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/client/test_server.h"

namespace sentinel::client {
namespace {

using ::sentinel::testing::TestServer;

constexpr BackoffPolicy kFastBackoff = {.initial = absl::Milliseconds(1),
                                        .max = absl::Milliseconds(5)};

v1::ReportIncidentRequest Takeover(const std::string& key) {
  v1::ReportIncidentRequest request;
  request.set_account_id("acct-1");
  request.set_category(v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER);
  request.set_description("new device and 2FA reset within a minute");
  request.set_channel(v1::CHANNEL_INTERNAL_DETECTION);
  request.set_idempotency_key(key);
  return request;
}

std::unique_ptr<IncidentReporter> Reporter(const TestServer& server) {
  absl::StatusOr<std::unique_ptr<IncidentReporter>> reporter =
      IncidentReporter::Create(
          {.connection = server.ConnectionAs(v1::ROLE_INTERNAL),
           .deadline = absl::Seconds(10),
           .max_attempts = 3,
           .backoff = kFastBackoff});
  EXPECT_TRUE(reporter.ok()) << reporter.status();
  return reporter.ok() ? *std::move(reporter) : nullptr;
}

// A P0 report comes back with its protective freeze; the same key again
// returns the same incident without filing a second.
TEST(ClientIncidentReporterTest, ReportsOncePerKey) {
  TestServer server;
  std::unique_ptr<IncidentReporter> reporter = Reporter(server);
  ASSERT_NE(reporter, nullptr);
  absl::StatusOr<v1::Incident> first = reporter->Report(Takeover("risk-1"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->priority(), v1::PRIORITY_P0);
  EXPECT_EQ(first->report_outcome(), v1::REPORT_OUTCOME_CREATED);
  EXPECT_EQ(first->protective_freeze_id(), "frz-1");

  absl::StatusOr<v1::Incident> again = reporter->Report(Takeover("risk-1"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->incident_id(), first->incident_id());
  EXPECT_EQ(again->report_outcome(), v1::REPORT_OUTCOME_REPLAYED);
}

TEST(ClientIncidentReporterTest, RequiresIdempotencyKey) {
  TestServer server;
  std::unique_ptr<IncidentReporter> reporter = Reporter(server);
  ASSERT_NE(reporter, nullptr);
  EXPECT_EQ(reporter->Report(Takeover("")).status(),
            absl::InvalidArgumentError(
                "idempotency_key: required, so that a retried report cannot "
                "file a second incident"));
}

// With the server down every attempt is UNAVAILABLE; the last is returned.
TEST(ClientIncidentReporterTest, UnavailableAfterLastAttempt) {
  TestServer server;
  std::unique_ptr<IncidentReporter> reporter = Reporter(server);
  ASSERT_NE(reporter, nullptr);
  server.Stop();
  EXPECT_EQ(reporter->Report(Takeover("risk-2")).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(ClientIncidentReporterTest, InvalidOptionsAreRefused) {
  EXPECT_EQ(
      IncidentReporter::Create({}).status(),
      absl::InvalidArgumentError("connection.address: required (host:port)"));
  TestServer server;
  EXPECT_EQ(IncidentReporter::Create(
                {.connection = server.ConnectionAs(v1::ROLE_INTERNAL),
                 .max_attempts = 0})
                .status(),
            absl::InvalidArgumentError("max_attempts: must be 1..100"));
}

v1::LedgerEvent Transfer(int i) {
  v1::LedgerEvent event;
  event.set_event_id(absl::StrCat("ev-", i));
  *event.mutable_time() =
      ToProtoTime(absl::FromUnixSeconds(1767225600 + 60 * i));
  event.set_kind(v1::LEDGER_EVENT_KIND_TRANSFER);
  event.set_from_account("acct-1");
  event.set_to_account(absl::StrCat("acct-", 10 + i));
  event.set_asset("BTC");
  event.set_amount(1000 + i);
  return event;
}

std::unique_ptr<LedgerStreamer> Streamer(const TestServer& server) {
  absl::StatusOr<std::unique_ptr<LedgerStreamer>> streamer =
      LedgerStreamer::Create(
          {.connection = server.ConnectionAs(v1::ROLE_INTERNAL),
           .batch_events = 2,
           .backoff = kFastBackoff});
  EXPECT_TRUE(streamer.ok()) << streamer.status();
  return streamer.ok() ? *std::move(streamer) : nullptr;
}

// Five events in streams of two: the summaries add up, rejection positions
// index the whole input, and sending again counts duplicates only.
TEST(ClientLedgerStreamerTest, StreamsInBatchesAndAddsUpSummaries) {
  TestServer server;
  std::unique_ptr<LedgerStreamer> streamer = Streamer(server);
  ASSERT_NE(streamer, nullptr);
  std::vector<v1::LedgerEvent> events;
  for (int i = 0; i < 5; ++i) events.push_back(Transfer(i));
  events[3].set_amount(0);

  absl::StatusOr<v1::IngestSummary> summary = streamer->Ingest(events);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->accepted(), 4);
  EXPECT_EQ(summary->duplicates(), 0);
  EXPECT_EQ(summary->rejected(), 1);
  ASSERT_EQ(summary->rejections_size(), 1);
  EXPECT_EQ(summary->rejections(0).position(), 3);
  EXPECT_EQ(summary->rejections(0).event_id(), "ev-3");
  EXPECT_EQ(summary->rejections(0).reason(), "amount: must be > 0");

  summary = streamer->Ingest(events);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->accepted(), 0);
  EXPECT_EQ(summary->duplicates(), 4);
  EXPECT_EQ(summary->rejected(), 1);
}

TEST(ClientLedgerStreamerTest, UnavailableWhenServerDown) {
  TestServer server;
  std::unique_ptr<LedgerStreamer> streamer = Streamer(server);
  ASSERT_NE(streamer, nullptr);
  server.Stop();
  const std::vector<v1::LedgerEvent> events = {Transfer(0)};
  EXPECT_EQ(streamer->Ingest(events).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace sentinel::client
