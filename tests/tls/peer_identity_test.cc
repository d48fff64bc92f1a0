// The principal a client certificate names, and every way it can fail to.

#include "tls/peer_identity.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tls/certificate_issuer.h"

namespace sentinel::tls {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

// A self-signed client certificate with these SANs: the function under test
// reads names and leaves verification to the TLS handshake.
std::string ClientCertificate(std::vector<std::string> uris,
                              std::vector<std::string> dns_names = {}) {
  CertificateSpec spec;
  spec.common_name = "client";
  spec.usage = CertificateUsage::kClient;
  spec.uris = std::move(uris);
  spec.dns_names = std::move(dns_names);
  spec.not_before = absl::FromUnixSeconds(1'700'000'000);
  spec.not_after = spec.not_before + absl::Hours(24);
  absl::StatusOr<CertifiedKey> issued = IssueCertificate(spec, nullptr);
  EXPECT_TRUE(issued.ok()) << issued.status();
  return issued.ok() ? issued->certificate_pem : "";
}

TEST(PeerIdentityTest, OneSpiffeUriIsThePrincipal) {
  ASSERT_OK_AND_ASSIGN(
      Principal principal,
      PrincipalFromCertificatePem(ClientCertificate(
          {"spiffe://sentinel/role/security/user/alice"}, {"alice.example"})));
  EXPECT_EQ(principal, (Principal{v1::ROLE_SECURITY, "alice"}));
}

TEST(PeerIdentityTest, NoSanAtAllIsRefused) {
  EXPECT_THAT(PrincipalFromCertificatePem(ClientCertificate({})),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       "client certificate has no URI SAN"));
}

TEST(PeerIdentityTest, DnsSanOnlyIsRefused) {
  EXPECT_THAT(
      PrincipalFromCertificatePem(ClientCertificate({}, {"alice.example"})),
      StatusIs(absl::StatusCode::kUnauthenticated,
               "client certificate has no URI SAN"));
}

TEST(PeerIdentityTest, TwoUriSansAreRefused) {
  EXPECT_THAT(PrincipalFromCertificatePem(
                  ClientCertificate({"spiffe://sentinel/role/agent/user/bob",
                                     "spiffe://sentinel/role/admin/user/bob"})),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       "client certificate has 2 URI SANs"));
}

TEST(PeerIdentityTest, UnknownRoleIsRefused) {
  EXPECT_THAT(
      PrincipalFromCertificatePem(
          ClientCertificate({"spiffe://sentinel/role/king/user/x"})),
      StatusIs(absl::StatusCode::kUnauthenticated,
               HasSubstr("client certificate URI SAN "
                         "\"spiffe://sentinel/role/king/user/x\": unknown "
                         "role \"king\"")));
}

TEST(PeerIdentityTest, NonSpiffeUriIsRefused) {
  EXPECT_THAT(
      PrincipalFromCertificatePem(ClientCertificate({"https://example.com"})),
      StatusIs(absl::StatusCode::kUnauthenticated,
               HasSubstr("client certificate URI SAN \"https://example.com\": "
                         "principal must have the form "
                         "spiffe://sentinel/role/<role>/user/<name>")));
}

// Bytes from the certificate are escaped in the message.
TEST(PeerIdentityTest, UriSanIsEscapedInTheMessage) {
  EXPECT_THAT(
      PrincipalFromCertificatePem(ClientCertificate(
          {std::string("spiffe://sentinel/role/agent/user/a\nb")})),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("user/a\\nb\"")));
}

TEST(PeerIdentityTest, NonPemIsRefused) {
  EXPECT_THAT(PrincipalFromCertificatePem("not a certificate"),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       "client certificate is not PEM"));
}

}  // namespace
}  // namespace sentinel::tls
