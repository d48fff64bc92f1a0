// Tests of IncidentService enum values as operators type and read them.
#include "cli/incident_names.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ParseCategoryNameTest, AnyCase) {
  ASSERT_OK_AND_ASSIGN(v1::IncidentCategory category,
                       ParseCategoryName("account_takeover"));
  EXPECT_EQ(category, v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER);
  ASSERT_OK_AND_ASSIGN(category, ParseCategoryName("Two_FA_Failure"));
  EXPECT_EQ(category, v1::INCIDENT_CATEGORY_TWO_FA_FAILURE);
  ASSERT_OK_AND_ASSIGN(category, ParseCategoryName("OTHER"));
  EXPECT_EQ(category, v1::INCIDENT_CATEGORY_OTHER);
}

TEST(ParseCategoryNameTest, UnknownNamesListTheValidOnes) {
  for (const char* name : {"", "unspecified", "INCIDENT_CATEGORY_PHISHING",
                           "phish", "4", " phishing"}) {
    EXPECT_THAT(
        ParseCategoryName(name),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 absl::StrCat(
                     "unknown category \"", name,
                     "\" (expected one of ACCOUNT_TAKEOVER, TWO_FA_FAILURE, "
                     "UNAUTHORIZED_WITHDRAWAL, PHISHING, "
                     "WITHDRAWAL_NOT_RECEIVED, ACCOUNT_RESTRICTED_IN_ERROR, "
                     "TRADE_DISPUTE, POLICY_QUESTION, OTHER)")))
        << name;
  }
}

TEST(CategoryNameListTest, EveryCategoryButUnspecified) {
  EXPECT_EQ(CategoryNameList(),
            "ACCOUNT_TAKEOVER, TWO_FA_FAILURE, UNAUTHORIZED_WITHDRAWAL, "
            "PHISHING, WITHDRAWAL_NOT_RECEIVED, ACCOUNT_RESTRICTED_IN_ERROR, "
            "TRADE_DISPUTE, POLICY_QUESTION, OTHER");
}

TEST(ParseChannelNameTest, AnyCaseAndUnknown) {
  ASSERT_OK_AND_ASSIGN(v1::Channel channel, ParseChannelName("live_chat"));
  EXPECT_EQ(channel, v1::CHANNEL_LIVE_CHAT);
  ASSERT_OK_AND_ASSIGN(channel, ParseChannelName("Internal_Detection"));
  EXPECT_EQ(channel, v1::CHANNEL_INTERNAL_DETECTION);
  EXPECT_THAT(ParseChannelName("email"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown channel \"email\" (expected one of LIVE_CHAT, "
                       "TICKET, SOCIAL, VIP_MANAGER, INTERNAL_DETECTION)"));
  EXPECT_THAT(ParseChannelName("unspecified"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown channel \"unspecified\"")));
}

TEST(ParseIncidentStatusNameTest, AnyCaseAndUnknown) {
  ASSERT_OK_AND_ASSIGN(v1::IncidentStatus status,
                       ParseIncidentStatusName("acknowledged"));
  EXPECT_EQ(status, v1::INCIDENT_STATUS_ACKNOWLEDGED);
  ASSERT_OK_AND_ASSIGN(status, ParseIncidentStatusName("WAITING_ON_USER"));
  EXPECT_EQ(status, v1::INCIDENT_STATUS_WAITING_ON_USER);
  EXPECT_THAT(ParseIncidentStatusName("done"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown status \"done\" (expected one of NEW, "
                       "ACKNOWLEDGED, INVESTIGATING, WAITING_ON_USER, "
                       "RESOLVED, CLOSED)"));
}

TEST(ParsePriorityNameTest, AnyCaseAndUnknown) {
  ASSERT_OK_AND_ASSIGN(v1::Priority priority, ParsePriorityName("p0"));
  EXPECT_EQ(priority, v1::PRIORITY_P0);
  ASSERT_OK_AND_ASSIGN(priority, ParsePriorityName("P3"));
  EXPECT_EQ(priority, v1::PRIORITY_P3);
  for (const char* name : {"0", "P4", "high", "PRIORITY_P0", ""}) {
    EXPECT_THAT(ParsePriorityName(name),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("(expected one of P0, P1, P2, P3)")))
        << name;
  }
}

TEST(ParsePriorityListTest, KeepsOrderAndIgnoresSpaces) {
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Priority> priorities,
                       ParsePriorityList(" p2 ,P0"));
  EXPECT_THAT(priorities, ElementsAre(v1::PRIORITY_P2, v1::PRIORITY_P0));
  ASSERT_OK_AND_ASSIGN(priorities, ParsePriorityList(" "));
  EXPECT_THAT(priorities, IsEmpty());
}

TEST(ParsePriorityListTest, RefusesEmptyUnknownAndRepeatedNames) {
  EXPECT_THAT(ParsePriorityList("P0,,P1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "empty priority name in \"P0,,P1\""));
  EXPECT_THAT(ParsePriorityList("P0,P9"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown priority \"P9\"")));
  EXPECT_THAT(ParsePriorityList("P1,p1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "priority P1 given twice in \"P1,p1\""));
}

TEST(ShortNamesTest, StripThePrefix) {
  EXPECT_EQ(CategoryName(v1::INCIDENT_CATEGORY_ACCOUNT_RESTRICTED_IN_ERROR),
            "ACCOUNT_RESTRICTED_IN_ERROR");
  EXPECT_EQ(ChannelName(v1::CHANNEL_VIP_MANAGER), "VIP_MANAGER");
  EXPECT_EQ(IncidentStatusName(v1::INCIDENT_STATUS_WAITING_ON_USER),
            "WAITING_ON_USER");
  EXPECT_EQ(PriorityName(v1::PRIORITY_P1), "P1");
  EXPECT_EQ(ReportOutcomeName(v1::REPORT_OUTCOME_FOLDED), "FOLDED");
  EXPECT_EQ(SlaStateName(v1::SLA_STATE_AT_RISK), "AT_RISK");
  EXPECT_EQ(SlaClockName(v1::SLA_CLOCK_ACKNOWLEDGE), "ACKNOWLEDGE");
}

TEST(ShortNamesTest, UnspecifiedIsADashAndUnknownIsTheNumber) {
  EXPECT_EQ(CategoryName(v1::INCIDENT_CATEGORY_UNSPECIFIED), "-");
  EXPECT_EQ(IncidentStatusName(v1::INCIDENT_STATUS_UNSPECIFIED), "-");
  EXPECT_EQ(PriorityName(42), "42");
  EXPECT_EQ(SlaStateName(-1), "-1");
}

}  // namespace
}  // namespace sentinel::cli
