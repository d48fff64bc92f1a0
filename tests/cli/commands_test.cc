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
}

TEST(ResolveCommandTest, SharedOptionsWorkForEachOfTheirCommands) {
  EXPECT_OK(Resolve({"check", "acct-1"}, {"action"}));
  EXPECT_OK(Resolve({"audit", "query"}, {"action", "page_size", "page_token"}));
  EXPECT_OK(Resolve({"list"}, {"page_size", "page_token"}));
  EXPECT_OK(Resolve({"audit", "checkpoint"}, {"vkey", "tree_size"}));
  EXPECT_OK(Resolve({"audit", "export", "bundle"}, {"vkey"}));
}

TEST(ResolveCommandTest, GlobalFlagsGoWithEveryCommand) {
  const GivenFlags globals = {"server", "as", "json", "insecure", "timeout"};
  EXPECT_OK(Resolve({"audit", "query"}, globals));
  EXPECT_OK(Resolve({"watch"}, globals));
  EXPECT_OK(Resolve({"unfreeze", "approve", "unf-1"}, globals));
}

// A flag that no subcommand lists would pass as global and be ignored.
TEST(ResolveCommandTest, EverySubcommandOptionIsCheckedPerCommand) {
  const GivenFlags globals = {"server", "as", "json", "insecure", "timeout"};
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
  EXPECT_GE(options, 16);
}

TEST(UsageTextTest, ListsEveryCommandsSynopsis) {
  const std::string usage = UsageText();
  for (const char* synopsis :
       {"sentinelctl freeze ACCOUNT --scopes=", "sentinelctl unfreeze request",
        "sentinelctl unfreeze approve REQUEST_ID", "sentinelctl state ACCOUNT",
        "sentinelctl check --action=SCOPE", "sentinelctl list",
        "sentinelctl watch", "sentinelctl audit query [--subject=ID]",
        "sentinelctl audit checkpoint [--tree_size=N]",
        "sentinelctl audit prove SEQ --vkey=FILE_OR_TEXT",
        "sentinelctl audit export FILE"}) {
    EXPECT_THAT(usage, HasSubstr(synopsis));
  }
}

}  // namespace
}  // namespace sentinel::cli
