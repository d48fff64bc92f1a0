// Tests of scope names as operators type them.
#include "cli/scope_names.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ParseScopeNameTest, AnyCase) {
  ASSERT_OK_AND_ASSIGN(v1::FreezeScope scope, ParseScopeName("withdraw"));
  EXPECT_EQ(scope, v1::FREEZE_SCOPE_WITHDRAW);
  ASSERT_OK_AND_ASSIGN(scope, ParseScopeName("Transfer_Out"));
  EXPECT_EQ(scope, v1::FREEZE_SCOPE_TRANSFER_OUT);
  ASSERT_OK_AND_ASSIGN(scope, ParseScopeName("API_KEYS"));
  EXPECT_EQ(scope, v1::FREEZE_SCOPE_API_KEYS);
}

TEST(ParseScopeNameTest, UnknownNamesListTheValidOnes) {
  for (const char* name :
       {"", "unspecified", "FREEZE_SCOPE_WITHDRAW", "withdrawal", "1"}) {
    EXPECT_THAT(
        ParseScopeName(name),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 HasSubstr("expected one of WITHDRAW, TRANSFER_OUT, TRADE, "
                           "LOGIN, API_KEYS")))
        << name;
  }
}

TEST(ParseScopeListTest, KeepsOrderAndIgnoresSpaces) {
  ASSERT_OK_AND_ASSIGN(std::vector<v1::FreezeScope> scopes,
                       ParseScopeList(" login , withdraw,TRADE "));
  EXPECT_THAT(scopes,
              ElementsAre(v1::FREEZE_SCOPE_LOGIN, v1::FREEZE_SCOPE_WITHDRAW,
                          v1::FREEZE_SCOPE_TRADE));
}

TEST(ParseScopeListTest, EmptyListGivesNoScopes) {
  ASSERT_OK_AND_ASSIGN(std::vector<v1::FreezeScope> scopes,
                       ParseScopeList("  "));
  EXPECT_THAT(scopes, IsEmpty());
}

TEST(ParseScopeListTest, RefusesEmptyAndUnknownNames) {
  EXPECT_THAT(ParseScopeList("withdraw,,login"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("empty scope name")));
  EXPECT_THAT(ParseScopeList("withdraw,"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("empty scope name")));
  EXPECT_THAT(ParseScopeList("withdraw,fly"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown scope \"fly\"")));
}

}  // namespace
}  // namespace sentinel::cli
