// Tests of resolving a command line to a subcommand: names, argument counts,
// per-subcommand options, and the usage text.
#include "cli/commands.h"

#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::StatusOr<Invocation> Resolve(std::vector<std::string> positional,
                                   GivenFlags given = {}) {
  return ResolveCommand(positional, given);
}

TEST(ResolveCommandTest, FindsOneAndTwoWordCommands) {
  ASSERT_OK_AND_ASSIGN(Invocation invocation, Resolve({"state", "acct-1"}));
  EXPECT_EQ(invocation.command->name, "state");
  EXPECT_THAT(invocation.args, ElementsAre("acct-1"));

  ASSERT_OK_AND_ASSIGN(invocation,
                       Resolve({"unfreeze", "request", "acct-1", "frz-1"}));
  EXPECT_EQ(invocation.command->name, "unfreeze request");
  EXPECT_THAT(invocation.args, ElementsAre("acct-1", "frz-1"));

  ASSERT_OK_AND_ASSIGN(invocation, Resolve({"audit", "prove", "0"}, {"vkey"}));
  EXPECT_EQ(invocation.command->name, "audit prove");
  EXPECT_THAT(invocation.args, ElementsAre("0"));

  ASSERT_OK_AND_ASSIGN(invocation, Resolve({"audit", "query"}));
  EXPECT_EQ(invocation.command->name, "audit query");
  EXPECT_THAT(invocation.args, IsEmpty());
}

TEST(ResolveCommandTest, MissingOrUnknownCommandListsTheCommands) {
  EXPECT_THAT(Resolve({}), StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("missing command; expected one "
                                              "of freeze, ")));
  EXPECT_THAT(Resolve({"thaw", "acct-1"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown command \"thaw\"")));
}

TEST(ResolveCommandTest, IncompleteCommandNamesItsSubcommands) {
  EXPECT_THAT(Resolve({"unfreeze"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected unfreeze request or unfreeze "
                                 "approve")));
  EXPECT_THAT(
      Resolve({"audit", "verify", "x"}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("incomplete or unknown command \"audit verify\"; "
                         "expected audit query or audit checkpoint or audit "
                         "prove or audit export")));
}

TEST(ResolveCommandTest, WrongArgumentCountShowsUsage) {
  EXPECT_THAT(Resolve({"audit", "prove"}, {"vkey"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("audit prove takes 1 argument, got 0; usage: "
                                 "sentinelctl audit prove SEQ "
                                 "--vkey=FILE_OR_TEXT [--out=FILE]")));
  EXPECT_THAT(Resolve({"audit", "export", "a", "b"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("audit export takes 1 argument, got 2")));
  EXPECT_THAT(Resolve({"audit", "query", "acct-1"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("audit query takes 0 arguments, got 1")));
  EXPECT_THAT(Resolve({"check"}, {"action"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("check takes at least 1 argument, got 0")));
}

TEST(ResolveCommandTest, RefusesOptionsOfOtherCommands) {
  EXPECT_THAT(Resolve({"audit", "query"}, {"vkey"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--vkey is not an option of audit query; "
                                 "usage: sentinelctl audit query")));
  EXPECT_THAT(Resolve({"audit", "prove", "0"}, {"vkey", "tree_size"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--tree_size is not an option of audit "
                                 "prove")));
  EXPECT_THAT(Resolve({"list"}, {"subject"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--subject is not an option of list")));
  EXPECT_THAT(Resolve({"state", "acct-1"}, {"action"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--action is not an option of state")));
  EXPECT_THAT(Resolve({"report", "acct-1"}, {"category", "reason"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--reason is not an option of report; usage: "
                                 "sentinelctl report ACCOUNT "
                                 "--category=CATEGORY")));
  EXPECT_THAT(Resolve({"queue"}, {"breached_only"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--breached_only is not an option of queue")));
  EXPECT_THAT(Resolve({"breaches"}, {"status"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--status is not an option of breaches")));
  EXPECT_THAT(Resolve({"claim"}, {"note"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--note is not an option of claim; usage: sentinelctl "
                       "claim"));
  EXPECT_THAT(Resolve({"freeze", "acct-1"}, {"description"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--description is not an option of freeze")));
}

TEST(ResolveCommandTest, IncidentCommands) {
  ASSERT_OK_AND_ASSIGN(
      Invocation invocation,
      Resolve({"report", "acct-1"}, {"category", "description", "channel",
                                     "vip_level", "idempotency_key"}));
  EXPECT_EQ(invocation.command->name, "report");
  EXPECT_THAT(invocation.args, ElementsAre("acct-1"));

  ASSERT_OK_AND_ASSIGN(invocation,
                       Resolve({"status", "inc-7", "acknowledged"}, {"note"}));
  EXPECT_EQ(invocation.command->name, "status");
  EXPECT_THAT(invocation.args, ElementsAre("inc-7", "acknowledged"));

  ASSERT_OK_AND_ASSIGN(invocation, Resolve({"show", "inc-7"}));
  EXPECT_EQ(invocation.command->name, "show");
  ASSERT_OK_AND_ASSIGN(invocation, Resolve({"claim"}));
  EXPECT_EQ(invocation.command->name, "claim");

  EXPECT_THAT(Resolve({"status", "inc-7"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "status takes 2 arguments, got 1; usage: sentinelctl "
                       "status INCIDENT_ID STATUS [--note=TEXT]"));
  EXPECT_THAT(Resolve({"claim", "inc-7"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "claim takes 0 arguments, got 1; usage: sentinelctl "
                       "claim"));
}

TEST(ResolveCommandTest, TraceCommandsOfOneTwoAndThreeWords) {
  ASSERT_OK_AND_ASSIGN(
      Invocation invocation,
      Resolve({"trace", "acct-1"},
              {"since", "until", "model", "max_hops", "max_events", "max_edges",
               "assets", "incident", "dot"}));
  EXPECT_EQ(invocation.command->name, "trace");
  EXPECT_THAT(invocation.args, ElementsAre("acct-1"));

  ASSERT_OK_AND_ASSIGN(invocation, Resolve({"trace", "ingest", "-"}));
  EXPECT_EQ(invocation.command->name, "trace ingest");
  EXPECT_THAT(invocation.args, ElementsAre("-"));

  ASSERT_OK_AND_ASSIGN(
      invocation, Resolve({"trace", "freeze", "acct-1"},
                          {"since", "incident", "reason", "scopes", "accounts",
                           "idempotency_key", "model", "max_hops", "max_events",
                           "assets", "until"}));
  EXPECT_EQ(invocation.command->name, "trace freeze");
  EXPECT_THAT(invocation.args, ElementsAre("acct-1"));

  ASSERT_OK_AND_ASSIGN(
      invocation,
      Resolve({"trace", "kinds", "set", "omni-1", "omnibus"}, {"note"}));
  EXPECT_EQ(invocation.command->name, "trace kinds set");
  EXPECT_THAT(invocation.args, ElementsAre("omni-1", "omnibus"));

  ASSERT_OK_AND_ASSIGN(invocation,
                       Resolve({"trace", "kinds", "list"}, {"kind"}));
  EXPECT_EQ(invocation.command->name, "trace kinds list");
  EXPECT_THAT(invocation.args, IsEmpty());
}

TEST(ResolveCommandTest, IncompleteThreeWordCommandIsNotAnArgument) {
  // "kinds" would otherwise be the ACCOUNT of `trace`.
  EXPECT_THAT(
      Resolve({"trace", "kinds"}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "incomplete or unknown command \"trace kinds\"; "
               "expected trace kinds set or trace kinds approve or trace "
               "kinds list"));
  EXPECT_THAT(Resolve({"trace", "kinds", "drop", "omni-1"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("incomplete or unknown command \"trace kinds "
                                 "drop\"; expected trace kinds set or trace "
                                 "kinds approve or trace kinds list")));
  EXPECT_THAT(Resolve({"trace", "kinds", "set", "omni-1"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("trace kinds set takes 2 arguments, got 1; "
                                 "usage: sentinelctl trace kinds set ACCOUNT "
                                 "KIND [--note=TEXT]")));
  EXPECT_THAT(Resolve({"trace"}, {"since"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("trace takes 1 argument, got 0")));
}

TEST(ResolveCommandTest, TraceCommandsRefuseEachOthersOptions) {
  EXPECT_THAT(Resolve({"trace", "freeze", "acct-1"}, {"dot"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--dot is not an option of trace freeze")));
  EXPECT_THAT(Resolve({"trace", "acct-1"}, {"scopes"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--scopes is not an option of trace;")));
  EXPECT_THAT(Resolve({"trace", "ingest", "f"}, {"since"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--since is not an option of trace ingest")));
  EXPECT_THAT(Resolve({"trace", "kinds", "list"}, {"note"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--note is not an option of trace kinds "
                                 "list")));
}

TEST(ResolveCommandTest, LongestNameWinsWhateverTheOrder) {
  ASSERT_OK_AND_ASSIGN(Invocation invocation, Resolve({"watch", "incidents"}));
  EXPECT_EQ(invocation.command->name, "watch incidents");
  ASSERT_OK_AND_ASSIGN(invocation, Resolve({"watch"}));
  EXPECT_EQ(invocation.command->name, "watch");
}

TEST(ResolveCommandTest, SharedOptionsWorkForEachOfTheirCommands) {
  EXPECT_OK(Resolve({"check", "acct-1"}, {"action"}));
  EXPECT_OK(Resolve({"audit", "query"}, {"action", "page_size", "page_token"}));
  EXPECT_OK(Resolve({"list"}, {"page_size", "page_token"}));
  EXPECT_OK(Resolve({"audit", "checkpoint"}, {"vkey", "tree_size"}));
  EXPECT_OK(Resolve({"audit", "export", "bundle"}, {"vkey"}));
  EXPECT_OK(Resolve({"freeze", "acct-1"}, {"idempotency_key"}));
  EXPECT_OK(Resolve({"report", "acct-1"}, {"idempotency_key"}));
  EXPECT_OK(Resolve({"queue"}, {"status", "priority", "account", "assignee",
                                "page_size", "page_token"}));
  EXPECT_OK(Resolve({"breaches"},
                    {"priority", "breached_only", "page_size", "page_token"}));
}

TEST(ResolveCommandTest, GlobalFlagsGoWithEveryCommand) {
  const GivenFlags globals = {"server", "as", "json", "insecure", "timeout"};
  EXPECT_OK(Resolve({"audit", "query"}, globals));
  EXPECT_OK(Resolve({"watch"}, globals));
  EXPECT_OK(Resolve({"unfreeze", "approve", "unf-1"}, globals));
}

// A flag that no subcommand lists would pass as global and be ignored.
TEST(ResolveCommandTest, EverySubcommandOptionIsCheckedPerCommand) {
  const GivenFlags globals = {"server",   "as",       "json",
                              "insecure", "timeout",  "data_dir",
                              "tls_ca",   "tls_cert", "tls_key"};
  int options = 0;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (!absl::StrContains(flag->Filename(), "cli/flags.cc") ||
        globals.count(std::string(name)) != 0) {
      continue;
    }
    ++options;
    // state takes no options, so it must refuse every subcommand option.
    EXPECT_THAT(Resolve({"state", "acct-1"}, {std::string(name)}),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("is not an option of state")))
        << name;
  }
  EXPECT_GE(options, 26);
}

TEST(UsageTextTest, ListsEveryCommandsSynopsis) {
  const std::string usage = UsageText();
  for (const char* synopsis :
       {"sentinelctl freeze ACCOUNT --scopes=",
        "sentinelctl unfreeze request",
        "sentinelctl unfreeze approve REQUEST_ID",
        "sentinelctl state ACCOUNT",
        "sentinelctl check --action=SCOPE",
        "sentinelctl list",
        "sentinelctl watch",
        "sentinelctl audit query [--subject=ID]",
        "sentinelctl audit checkpoint [--tree_size=N]",
        "sentinelctl audit prove SEQ --vkey=FILE_OR_TEXT",
        "sentinelctl audit export FILE",
        "sentinelctl report ACCOUNT --category=CATEGORY --description=TEXT",
        "sentinelctl queue [--status=STATUS]",
        "sentinelctl claim\n",
        "sentinelctl show INCIDENT_ID",
        "sentinelctl status INCIDENT_ID STATUS",
        "sentinelctl evidence add INCIDENT_ID FILE",
        "sentinelctl evidence get INCIDENT_ID EVIDENCE_ID --out=FILE",
        "sentinelctl watch incidents [--from_version=N]",
        "sentinelctl breaches [--priority=P[,P...]]",
        "sentinelctl trace ACCOUNT --since=TIME",
        "sentinelctl trace ingest FILE|-",
        "sentinelctl trace freeze ACCOUNT --since=TIME --incident=ID "
        "--reason=TEXT",
        "sentinelctl trace kinds set ACCOUNT KIND [--note=TEXT]",
        "sentinelctl trace kinds approve ACCOUNT [ACCOUNT...]",
        "sentinelctl trace kinds list [--kind=KIND] [--pending]"}) {
    EXPECT_THAT(usage, HasSubstr(synopsis));
  }
}

}  // namespace
}  // namespace sentinel::cli
