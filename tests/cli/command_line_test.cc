// Tests of the pre-parse check of sentinelctl's command line: option forms,
// unknown options, missing and bad values, and help requests.
#include "cli/command_line.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "cli/flags.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// Runs `check` over "sentinelctl" followed by `args`.
template <typename Check>
auto WithArgv(std::vector<std::string> args, Check check) {
  args.insert(args.begin(), "sentinelctl");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  return check(static_cast<int>(argv.size()), argv.data());
}

absl::StatusOr<GivenFlags> Check(std::vector<std::string> args) {
  return WithArgv(std::move(args), CheckCommandLine);
}

bool Help(std::vector<std::string> args) {
  return WithArgv(std::move(args), WantsHelp);
}

class CommandLineTest : public ::testing::Test {
 private:
  // CheckCommandLine sets the flags it reads.
  absl::FlagSaver saver_;
};

TEST_F(CommandLineTest, ReadsEveryOptionForm) {
  ASSERT_OK_AND_ASSIGN(
      GivenFlags given,
      Check({"--insecure", "--as=auditor/carol", "-json", "audit", "prove",
             "--vkey", "k+1+2", "7", "--out=receipt"}));
  EXPECT_THAT(given,
              UnorderedElementsAre("insecure", "as", "json", "vkey", "out"));
  EXPECT_EQ(absl::GetFlag(FLAGS_vkey), "k+1+2");
  EXPECT_EQ(absl::GetFlag(FLAGS_out), "receipt");
  EXPECT_TRUE(absl::GetFlag(FLAGS_json));
}

TEST_F(CommandLineTest, NegatedBoolFlag) {
  ASSERT_OK_AND_ASSIGN(GivenFlags given, Check({"--json", "--nojson", "list"}));
  EXPECT_THAT(given, UnorderedElementsAre("json"));
  EXPECT_FALSE(absl::GetFlag(FLAGS_json));
  EXPECT_THAT(
      Check({"--nojson=1"}),
      StatusIs(absl::StatusCode::kInvalidArgument, "--nojson takes no value"));
}

TEST_F(CommandLineTest, StopsAtDoubleDash) {
  ASSERT_OK_AND_ASSIGN(GivenFlags given,
                       Check({"state", "--", "--not-an-option"}));
  EXPECT_TRUE(given.empty());
}

TEST_F(CommandLineTest, RefusesUnknownOptions) {
  EXPECT_THAT(
      Check({"list", "--colour"}),
      StatusIs(absl::StatusCode::kInvalidArgument, "unknown option --colour"));
  EXPECT_THAT(Check({"--=1"}), StatusIs(absl::StatusCode::kInvalidArgument,
                                        "unknown option --"));
}

TEST_F(CommandLineTest, RefusesMissingAndBadValues) {
  EXPECT_THAT(Check({"audit", "checkpoint", "--tree_size"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--tree_size needs a value"));
  EXPECT_THAT(
      Check({"list", "--page_size=ten"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--page_size: ")));
  EXPECT_THAT(
      Check({"audit", "checkpoint", "--tree_size=-1"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--tree_size: ")));
  EXPECT_THAT(
      Check({"--timeout=soon", "list"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--timeout: ")));
}

TEST_F(CommandLineTest, HelpRequests) {
  EXPECT_TRUE(Help({"--help"}));
  EXPECT_TRUE(Help({"audit", "query", "--helpfull"}));
  EXPECT_TRUE(Help({"-version"}));
  EXPECT_FALSE(Help({"audit", "query", "--subject=help"}));
  EXPECT_FALSE(Help({"state", "--", "--help"}));
}

}  // namespace
}  // namespace sentinel::cli
