// Tests of principal parsing: the identity every authorization decision uses.

#include "common/principal.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

// The URI form parses to role and name and prints back the same.
TEST(PrincipalTest, ParsesUriForm) {
  ASSERT_OK_AND_ASSIGN(
      Principal principal,
      ParsePrincipalUri("spiffe://sentinel/role/security/user/bob.smith@ex-1"));
  EXPECT_EQ(principal.role, v1::ROLE_SECURITY);
  EXPECT_EQ(principal.name, "bob.smith@ex-1");
  EXPECT_EQ(principal.ToString(), "security/bob.smith@ex-1");
  EXPECT_EQ(principal.ToUri(),
            "spiffe://sentinel/role/security/user/bob.smith@ex-1");
}

// Malformed identities are refused with the reason.
TEST(PrincipalTest, RefusesMalformedUris) {
  for (const char* uri : {"", "spiffe://other/role/agent/user/a",
                          "spiffe://sentinel/role/agent/a",
                          "spiffe://sentinel/role/agent/user/a/b",
                          "spiffe://sentinel/role/agent/person/a"}) {
    EXPECT_THAT(
        ParsePrincipalUri(uri),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 HasSubstr("spiffe://sentinel/role/<role>/user/<name>")))
        << uri;
  }
  EXPECT_THAT(ParsePrincipalUri("spiffe://sentinel/role/root/user/a"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown role \"root\"")));
  EXPECT_THAT(ParsePrincipalUri("spiffe://sentinel/role/agent/user/"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "principal name must be 1 to 64 bytes"));
  EXPECT_THAT(ParsePrincipalUri("spiffe://sentinel/role/agent/user/a b"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "principal name may contain only [A-Za-z0-9._@-]"));
}

// Names are limited to 64 bytes: 64 passes, 65 does not.
TEST(PrincipalTest, NameLengthLimit) {
  EXPECT_OK(ParsePrincipalShort("agent/" + std::string(64, 'n')).status());
  EXPECT_THAT(ParsePrincipalShort("agent/" + std::string(65, 'n')),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "principal name must be 1 to 64 bytes"));
}

// The short form used by sentinelctl --as.
TEST(PrincipalTest, ParsesShortForm) {
  ASSERT_OK_AND_ASSIGN(Principal principal, ParsePrincipalShort("auditor/eve"));
  EXPECT_EQ(principal.role, v1::ROLE_AUDITOR);
  EXPECT_EQ(principal.name, "eve");
  EXPECT_THAT(
      ParsePrincipalShort("eve"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("<role>/<name>")));
}

}  // namespace
}  // namespace sentinel
