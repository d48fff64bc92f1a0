// Minting certificates: what verifies, what does not, and what is refused.

#include "tls/certificate_issuer.h"

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/tls/tls_testing.h"

namespace sentinel::tls {
namespace {

using ::sentinel::testing::CertificateOf;
using ::sentinel::testing::StatusIs;
using ::sentinel::testing::VerifyCertificate;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);

CertificateSpec CaSpec(const std::string& name) {
  CertificateSpec spec;
  spec.common_name = name;
  spec.usage = CertificateUsage::kCertificateAuthority;
  spec.not_before = kNow - absl::Hours(1);
  spec.not_after = kNow + absl::Hours(24);
  return spec;
}

CertificateSpec ClientSpec() {
  CertificateSpec spec;
  spec.common_name = "alice";
  spec.usage = CertificateUsage::kClient;
  spec.uris = {"spiffe://sentinel/role/security/user/alice"};
  spec.not_before = kNow - absl::Hours(1);
  spec.not_after = kNow + absl::Hours(1);
  return spec;
}

class CertificateIssuerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(ca_, IssueCertificate(CaSpec("test CA"), nullptr));
  }

  CertifiedKey ca_;
};

// A self-signed CA issues a client certificate that verifies against it for
// client authentication only, within its validity only.
TEST_F(CertificateIssuerTest, IssuedCertificateVerifiesAgainstItsCa) {
  ASSERT_OK_AND_ASSIGN(CertifiedKey client,
                       IssueCertificate(ClientSpec(), &ca_));
  X509Ptr ca = CertificateOf(ca_.certificate_pem);
  X509Ptr leaf = CertificateOf(client.certificate_pem);
  ASSERT_NE(ca, nullptr);
  ASSERT_NE(leaf, nullptr);
  EXPECT_EQ(X509_check_issued(ca.get(), ca.get()), X509_V_OK);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_ca(leaf.get()), 0);
  EXPECT_EQ(
      VerifyCertificate(leaf.get(), ca.get(), kNow, X509_PURPOSE_SSL_CLIENT),
      X509_V_OK);
  EXPECT_EQ(
      VerifyCertificate(leaf.get(), ca.get(), kNow, X509_PURPOSE_SSL_SERVER),
      X509_V_ERR_INVALID_PURPOSE);
  EXPECT_EQ(VerifyCertificate(leaf.get(), ca.get(), kNow + absl::Hours(2),
                              X509_PURPOSE_SSL_CLIENT),
            X509_V_ERR_CERT_HAS_EXPIRED);
  // The key is the certificate's.
  EXPECT_OK(ParseCertifiedKey(client).status());
}

// Serials are random, positive and at most 128 bits.
TEST_F(CertificateIssuerTest, SerialsAreRandom128Bit) {
  ASSERT_OK_AND_ASSIGN(CertifiedKey first,
                       IssueCertificate(ClientSpec(), &ca_));
  ASSERT_OK_AND_ASSIGN(CertifiedKey second,
                       IssueCertificate(ClientSpec(), &ca_));
  X509Ptr a = CertificateOf(first.certificate_pem);
  X509Ptr b = CertificateOf(second.certificate_pem);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.get()),
                             X509_get0_serialNumber(b.get())),
            0);
  BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(a.get()), nullptr);
  ASSERT_NE(serial, nullptr);
  EXPECT_FALSE(BN_is_negative(serial));
  EXPECT_LE(BN_num_bits(serial), 128);
  EXPECT_GT(BN_num_bits(serial), 64);  // Fails with probability 2^-64.
  BN_free(serial);
}

// A certificate from another CA does not verify against ours.
TEST_F(CertificateIssuerTest, OtherCaDoesNotVerify) {
  ASSERT_OK_AND_ASSIGN(CertifiedKey other_ca,
                       IssueCertificate(CaSpec("test CA"), nullptr));
  ASSERT_OK_AND_ASSIGN(CertifiedKey client,
                       IssueCertificate(ClientSpec(), &other_ca));
  X509Ptr ca = CertificateOf(ca_.certificate_pem);
  X509Ptr leaf = CertificateOf(client.certificate_pem);
  ASSERT_NE(leaf, nullptr);
  EXPECT_NE(
      VerifyCertificate(leaf.get(), ca.get(), kNow, X509_PURPOSE_SSL_CLIENT),
      X509_V_OK);
}

// Server certificates carry their DNS and IP SANs.
TEST_F(CertificateIssuerTest, ServerNames) {
  CertificateSpec spec = ClientSpec();
  spec.usage = CertificateUsage::kServer;
  spec.uris.clear();
  spec.dns_names = {"localhost"};
  spec.ip_addresses = {"127.0.0.1", "::1"};
  ASSERT_OK_AND_ASSIGN(CertifiedKey server, IssueCertificate(spec, &ca_));
  X509Ptr leaf = CertificateOf(server.certificate_pem);
  ASSERT_NE(leaf, nullptr);
  EXPECT_EQ(X509_check_host(leaf.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf.get(), "::1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf.get(), "10.0.0.1", 0), 0);
}

TEST_F(CertificateIssuerTest, BadSpecsAreRefused) {
  CertificateSpec spec = ClientSpec();
  spec.common_name.clear();
  EXPECT_THAT(IssueCertificate(spec, &ca_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("common name is empty")));
  spec = ClientSpec();
  spec.not_after = spec.not_before - absl::Seconds(1);
  EXPECT_THAT(IssueCertificate(spec, &ca_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not_after is before its not_before")));
  spec = ClientSpec();
  spec.ip_addresses = {"localhost"};
  EXPECT_THAT(IssueCertificate(spec, &ca_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "\"localhost\" is not an IP address"));
}

// An issuer whose key is not its certificate's is refused.
TEST_F(CertificateIssuerTest, MismatchedIssuerIsRefused) {
  ASSERT_OK_AND_ASSIGN(CertifiedKey other_ca,
                       IssueCertificate(CaSpec("other CA"), nullptr));
  CertifiedKey mixed(ca_.certificate_pem, other_ca.private_key_pem);
  EXPECT_THAT(
      IssueCertificate(ClientSpec(), &mixed),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "issuer: the private key does not match the certificate"));
}

}  // namespace
}  // namespace sentinel::tls
