// Tests of turning the incident subcommands' options into their requests.
#include "cli/incident_options.h"

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "cli/flags.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class IncidentOptionsTest : public ::testing::Test {
 private:
  absl::FlagSaver saver_;
};

TEST_F(IncidentOptionsTest, ReportWithDefaults) {
  absl::SetFlag(&FLAGS_category, "account_takeover");
  absl::SetFlag(&FLAGS_description, "2FA reset");
  ASSERT_OK_AND_ASSIGN(v1::ReportIncidentRequest request,
                       ReportIncidentRequestFromFlags("acct-1"));
  EXPECT_EQ(request.account_id(), "acct-1");
  EXPECT_EQ(request.category(), v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER);
  EXPECT_EQ(request.description(), "2FA reset");
  EXPECT_EQ(request.channel(), v1::CHANNEL_LIVE_CHAT);
  EXPECT_EQ(request.vip_level(), 0);
  EXPECT_EQ(request.idempotency_key(), "");
}

TEST_F(IncidentOptionsTest, ReportWithEveryOption) {
  absl::SetFlag(&FLAGS_category, "Trade_Dispute");
  absl::SetFlag(&FLAGS_channel, "vip_manager");
  absl::SetFlag(&FLAGS_vip_level, 4);
  absl::SetFlag(&FLAGS_idempotency_key, "k-1");
  ASSERT_OK_AND_ASSIGN(v1::ReportIncidentRequest request,
                       ReportIncidentRequestFromFlags("acct-2"));
  EXPECT_EQ(request.category(), v1::INCIDENT_CATEGORY_TRADE_DISPUTE);
  EXPECT_EQ(request.channel(), v1::CHANNEL_VIP_MANAGER);
  EXPECT_EQ(request.vip_level(), 4);
  EXPECT_EQ(request.idempotency_key(), "k-1");
}

TEST_F(IncidentOptionsTest, ReportNeedsAKnownCategoryAndChannel) {
  EXPECT_THAT(ReportIncidentRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("report needs --category=CATEGORY (one of "
                                 "ACCOUNT_TAKEOVER, TWO_FA_FAILURE, ")));
  absl::SetFlag(&FLAGS_category, "hack");
  EXPECT_THAT(ReportIncidentRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--category: unknown category \"hack\" "
                                 "(expected one of ACCOUNT_TAKEOVER")));
  absl::SetFlag(&FLAGS_category, "phishing");
  absl::SetFlag(&FLAGS_channel, "pigeon");
  EXPECT_THAT(ReportIncidentRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--channel: unknown channel \"pigeon\" "
                                 "(expected one of LIVE_CHAT, TICKET")));
  absl::SetFlag(&FLAGS_channel, "");
  EXPECT_THAT(ReportIncidentRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--channel: unknown channel \"\"")));
}

TEST_F(IncidentOptionsTest, QueueWithoutFiltersMatchesAll) {
  ASSERT_OK_AND_ASSIGN(v1::ListIncidentsRequest request,
                       ListIncidentsRequestFromFlags());
  EXPECT_EQ(request.status(), v1::INCIDENT_STATUS_UNSPECIFIED);
  EXPECT_EQ(request.priority(), v1::PRIORITY_UNSPECIFIED);
  EXPECT_EQ(request.account_id(), "");
  EXPECT_EQ(request.assignee(), "");
}

TEST_F(IncidentOptionsTest, QueueFilters) {
  absl::SetFlag(&FLAGS_status, "new");
  absl::SetFlag(&FLAGS_priority, "p0");
  absl::SetFlag(&FLAGS_account, "acct-1");
  absl::SetFlag(&FLAGS_assignee, "agent/alice");
  absl::SetFlag(&FLAGS_page_size, 5);
  absl::SetFlag(&FLAGS_page_token, "t");
  ASSERT_OK_AND_ASSIGN(v1::ListIncidentsRequest request,
                       ListIncidentsRequestFromFlags());
  EXPECT_EQ(request.status(), v1::INCIDENT_STATUS_NEW);
  EXPECT_EQ(request.priority(), v1::PRIORITY_P0);
  EXPECT_EQ(request.account_id(), "acct-1");
  EXPECT_EQ(request.assignee(), "agent/alice");
  EXPECT_EQ(request.page_size(), 5);
  EXPECT_EQ(request.page_token(), "t");
}

TEST_F(IncidentOptionsTest, QueueRefusesBadFilters) {
  absl::SetFlag(&FLAGS_status, "open");
  EXPECT_THAT(ListIncidentsRequestFromFlags(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--status: unknown status \"open\"")));
  absl::SetFlag(&FLAGS_status, "");
  absl::SetFlag(&FLAGS_priority, "P0,P1");
  EXPECT_THAT(ListIncidentsRequestFromFlags(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("queue filters by one priority")));
  absl::SetFlag(&FLAGS_priority, "urgent");
  EXPECT_THAT(ListIncidentsRequestFromFlags(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--priority: unknown priority \"urgent\"")));
  absl::SetFlag(&FLAGS_priority, "");
  absl::SetFlag(&FLAGS_assignee, "alice");
  EXPECT_THAT(ListIncidentsRequestFromFlags(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--assignee=alice: ")));
}

TEST_F(IncidentOptionsTest, StatusChange) {
  absl::SetFlag(&FLAGS_note, "called the user");
  ASSERT_OK_AND_ASSIGN(
      v1::UpdateIncidentStatusRequest request,
      UpdateIncidentStatusRequestFromFlags("inc-7", "waiting_on_user"));
  EXPECT_EQ(request.incident_id(), "inc-7");
  EXPECT_EQ(request.status(), v1::INCIDENT_STATUS_WAITING_ON_USER);
  EXPECT_EQ(request.note(), "called the user");

  EXPECT_THAT(UpdateIncidentStatusRequestFromFlags("inc-7", "done"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("STATUS: unknown status \"done\" (expected "
                                 "one of NEW, ACKNOWLEDGED")));
}

TEST_F(IncidentOptionsTest, Breaches) {
  ASSERT_OK_AND_ASSIGN(v1::ListSlaBreachesRequest request,
                       ListSlaBreachesRequestFromFlags());
  EXPECT_TRUE(request.priorities().empty());
  EXPECT_FALSE(request.breached_only());

  absl::SetFlag(&FLAGS_priority, "P0,p1");
  absl::SetFlag(&FLAGS_breached_only, true);
  absl::SetFlag(&FLAGS_page_size, 10);
  ASSERT_OK_AND_ASSIGN(request, ListSlaBreachesRequestFromFlags());
  EXPECT_THAT(request.priorities(),
              ElementsAre(v1::PRIORITY_P0, v1::PRIORITY_P1));
  EXPECT_TRUE(request.breached_only());
  EXPECT_EQ(request.page_size(), 10);

  absl::SetFlag(&FLAGS_priority, "P0,P0");
  EXPECT_THAT(ListSlaBreachesRequestFromFlags(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--priority: priority P0 given twice")));
}

}  // namespace
}  // namespace sentinel::cli
