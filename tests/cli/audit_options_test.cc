// Tests of the audit subcommands' option values: times, positions and the
// QueryAuditRequest built from the flags.
#include "cli/audit_options.h"

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "cli/flags.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

absl::Time Utc(int year, int month, int day, int hour) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, 0, 0),
                         absl::UTCTimeZone());
}

TEST(ParseTimeOptionTest, AcceptsRfc3339) {
  ASSERT_OK_AND_ASSIGN(absl::Time time,
                       ParseTimeOption("since", "2026-11-26T10:00:00Z"));
  EXPECT_EQ(time, Utc(2026, 11, 26, 10));
  ASSERT_OK_AND_ASSIGN(time,
                       ParseTimeOption("since", "2026-11-26T11:00:00.5+01:00"));
  EXPECT_EQ(time, Utc(2026, 11, 26, 10) + absl::Milliseconds(500));
}

TEST(ParseTimeOptionTest, RefusesOtherForms) {
  for (const char* value : {"", "2026-11-26", "yesterday", "1795689828",
                            "2026-11-26 10:00:00Z", "infinite-past"}) {
    EXPECT_THAT(
        ParseTimeOption("until", value),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--until: \"")))
        << value;
  }
}

TEST(ParseSeqArgumentTest, DecimalPositions) {
  ASSERT_OK_AND_ASSIGN(uint64_t seq, ParseSeqArgument("0"));
  EXPECT_EQ(seq, 0u);
  ASSERT_OK_AND_ASSIGN(seq, ParseSeqArgument("18446744073709551615"));
  EXPECT_EQ(seq, 18446744073709551615u);
  for (const char* value :
       {"", "-1", "+1", " 1", "1x", "0x10", "18446744073709551616"}) {
    EXPECT_THAT(ParseSeqArgument(value),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("SEQ")))
        << value;
  }
}

TEST(QueryAuditRequestFromFlagsTest, CopiesEveryFilter) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_subject, "acct-1");
  absl::SetFlag(&FLAGS_actor, "agent/alice");
  absl::SetFlag(&FLAGS_action, "FreezeService.FreezeAccount");
  absl::SetFlag(&FLAGS_since, "2026-11-26T10:00:00Z");
  absl::SetFlag(&FLAGS_until, "2026-11-26T11:00:00Z");
  absl::SetFlag(&FLAGS_page_size, 5);
  absl::SetFlag(&FLAGS_page_token, "t");
  ASSERT_OK_AND_ASSIGN(v1::QueryAuditRequest request,
                       QueryAuditRequestFromFlags());
  EXPECT_EQ(request.subject(), "acct-1");
  EXPECT_EQ(request.actor(), "agent/alice");
  EXPECT_EQ(request.action(), "FreezeService.FreezeAccount");
  EXPECT_EQ(FromProtoTime(request.since()), Utc(2026, 11, 26, 10));
  EXPECT_EQ(FromProtoTime(request.until()), Utc(2026, 11, 26, 11));
  EXPECT_EQ(request.page_size(), 5);
  EXPECT_EQ(request.page_token(), "t");
}

TEST(QueryAuditRequestFromFlagsTest, LeavesUnsetTimesUnset) {
  absl::FlagSaver saver;
  ASSERT_OK_AND_ASSIGN(v1::QueryAuditRequest request,
                       QueryAuditRequestFromFlags());
  EXPECT_FALSE(request.has_since());
  EXPECT_FALSE(request.has_until());
}

TEST(QueryAuditRequestFromFlagsTest, RefusesMalformedActorAndAction) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_actor, "alice");
  EXPECT_THAT(QueryAuditRequestFromFlags(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--actor=alice: ")));
  absl::SetFlag(&FLAGS_actor, "");
  // check's --action takes a scope; audit query's takes Service.Method.
  for (const char* action : {"WITHDRAW", ".FreezeAccount", "FreezeService."}) {
    absl::SetFlag(&FLAGS_action, action);
    EXPECT_THAT(QueryAuditRequestFromFlags(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("Service.Method")))
        << action;
  }
}

TEST(QueryAuditRequestFromFlagsTest, RefusesBadOrEmptyRange) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_since, "soon");
  EXPECT_THAT(
      QueryAuditRequestFromFlags(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--since")));
  absl::SetFlag(&FLAGS_since, "2026-11-26T11:00:00Z");
  absl::SetFlag(&FLAGS_until, "2026-11-26T11:00:00Z");
  EXPECT_THAT(QueryAuditRequestFromFlags(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not before --until")));
}

}  // namespace
}  // namespace sentinel::cli
