// CRLs minted with IssueCrl, parsed and verified by ParseRevocationList
// against client CA bundles: which serials they revoke, and every reason a
// CRL is refused.

#include "tls/revocation_list.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/tls/tls_testing.h"
#include "tls/crl_issuer.h"

namespace sentinel::tls {
namespace {

using ::sentinel::testing::CertificateOf;
using ::sentinel::testing::MintCa;
using ::sentinel::testing::MintClient;
using ::sentinel::testing::MintCrl;
using ::sentinel::testing::SerialHexOf;
using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

class RevocationListTest : public ::testing::Test {
 protected:
  const absl::Time now_ = absl::Now();
  const CertifiedKey ca_ = MintCa("Sentinel CA");
  const CertifiedKey alice_ =
      MintClient(ca_, "spiffe://sentinel/role/agent/user/alice");
  const CertifiedKey bob_ =
      MintClient(ca_, "spiffe://sentinel/role/agent/user/bob");

  std::string CrlOf(const CertifiedKey& ca,
                    const std::vector<std::string>& serials) const {
    return MintCrl(ca, serials, now_ - absl::Hours(1),
                   now_ + absl::Hours(24 * 30));
  }
  bool Revokes(const RevocationList& list, const CertifiedKey& client) const {
    X509Ptr certificate = CertificateOf(client.certificate_pem);
    return list.IsRevoked(certificate.get());
  }
};

TEST_F(RevocationListTest, RevokesTheListedSerialsOnly) {
  ASSERT_OK_AND_ASSIGN(
      RevocationList list,
      ParseRevocationList(CrlOf(ca_, {SerialHexOf(alice_.certificate_pem)}),
                          ca_.certificate_pem, now_));
  EXPECT_TRUE(Revokes(list, alice_));
  EXPECT_FALSE(Revokes(list, bob_));
  EXPECT_EQ(list.size(), 1u);
  EXPECT_EQ(absl::ToUnixSeconds(list.next_update()),
            absl::ToUnixSeconds(now_ + absl::Hours(24 * 30)));
}

TEST_F(RevocationListTest, AnEmptyCrlRevokesNothing) {
  ASSERT_OK_AND_ASSIGN(
      RevocationList list,
      ParseRevocationList(CrlOf(ca_, {}), ca_.certificate_pem, now_));
  EXPECT_FALSE(Revokes(list, alice_));
  EXPECT_EQ(list.size(), 0u);
  EXPECT_FALSE(Revokes(RevocationList(), alice_));
}

// Serials are compared as numbers: leading zeros and case do not matter.
TEST_F(RevocationListTest, SerialsAreNumbers) {
  const std::string serial = SerialHexOf(alice_.certificate_pem);
  std::string lower = "00" + serial;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  ASSERT_OK_AND_ASSIGN(
      RevocationList list,
      ParseRevocationList(CrlOf(ca_, {lower}), ca_.certificate_pem, now_));
  EXPECT_TRUE(Revokes(list, alice_));
}

// The same serial from another CA is another certificate.
TEST_F(RevocationListTest, OnlyTheIssuersCertificatesAreRevoked) {
  const CertifiedKey other_ca = MintCa("Other CA");
  const std::string bundle = ca_.certificate_pem + other_ca.certificate_pem;
  ASSERT_OK_AND_ASSIGN(
      RevocationList list,
      ParseRevocationList(
          CrlOf(other_ca, {SerialHexOf(alice_.certificate_pem)}), bundle,
          now_));
  EXPECT_FALSE(Revokes(list, alice_));
}

TEST_F(RevocationListTest, OneFileHoldsTheCrlsOfSeveralCas) {
  const CertifiedKey other_ca = MintCa("Other CA");
  const CertifiedKey carol =
      MintClient(other_ca, "spiffe://sentinel/role/agent/user/carol");
  const std::string bundle = ca_.certificate_pem + other_ca.certificate_pem;
  const std::string crls =
      CrlOf(ca_, {SerialHexOf(alice_.certificate_pem)}) +
      CrlOf(other_ca, {SerialHexOf(carol.certificate_pem)});
  ASSERT_OK_AND_ASSIGN(RevocationList list,
                       ParseRevocationList(crls, bundle, now_));
  EXPECT_TRUE(Revokes(list, alice_));
  EXPECT_TRUE(Revokes(list, carol));
  EXPECT_FALSE(Revokes(list, bob_));
  EXPECT_EQ(list.size(), 2u);
}

TEST_F(RevocationListTest, ACrlOfAnotherCaIsRefused) {
  const CertifiedKey other_ca = MintCa("Other CA");
  EXPECT_THAT(
      ParseRevocationList(CrlOf(other_ca, {}), ca_.certificate_pem, now_)
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("CRL 1 (issuer CN=Other CA): not issued by a "
                         "client CA")));
}

// Another CA under the client CA's very name: the signature gives it away.
TEST_F(RevocationListTest, ACrlSignedByAnImpostorIsRefused) {
  const CertifiedKey impostor = MintCa("Sentinel CA");
  EXPECT_THAT(
      ParseRevocationList(CrlOf(impostor, {}), ca_.certificate_pem, now_)
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("CRL 1 (issuer CN=Sentinel CA): the signature does "
                         "not verify against the client CA")));
}

TEST_F(RevocationListTest, AnExpiredCrlIsRefused) {
  const std::string crl =
      MintCrl(ca_, {}, now_ - absl::Hours(48), now_ - absl::Hours(24));
  EXPECT_THAT(ParseRevocationList(crl, ca_.certificate_pem, now_).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expired: nextUpdate")));
}

TEST_F(RevocationListTest, WhatIsNotOnlyCrlsIsRefused) {
  const std::string crl = CrlOf(ca_, {SerialHexOf(alice_.certificate_pem)});
  EXPECT_THAT(ParseRevocationList("", ca_.certificate_pem, now_).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "no PEM CRL"));
  EXPECT_THAT(
      ParseRevocationList("garbage\n", ca_.certificate_pem, now_).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, "no PEM CRL"));
  // Cut short in its base64: the second CRL must not be lost in silence.
  const std::string cut = crl + crl.substr(0, crl.size() / 2);
  EXPECT_THAT(ParseRevocationList(cut, ca_.certificate_pem, now_).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("CRL 2 does not parse")));
  EXPECT_THAT(ParseRevocationList(crl + alice_.certificate_pem,
                                  ca_.certificate_pem, now_)
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("2 PEM blocks of which 1 are CRLs")));
  EXPECT_THAT(
      ParseRevocationList(crl, "", now_).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, "no PEM CA certificate"));
}

TEST(CrlIssuerTest, RefusesWhatIsNotASerialOrAWindow) {
  const CertifiedKey ca = MintCa("Sentinel CA");
  CrlSpec spec;
  spec.this_update = absl::Now();
  spec.next_update = spec.this_update + absl::Hours(1);
  spec.revoked_serials = {"12G4"};
  EXPECT_THAT(IssueCrl(spec, ca).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"12G4\" is not hex")));
  spec.revoked_serials = {};
  spec.next_update = spec.this_update - absl::Seconds(1);
  EXPECT_THAT(IssueCrl(spec, ca).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("next_update is before its this_update")));
  spec.next_update = spec.this_update;
  EXPECT_THAT(
      IssueCrl(spec, CertifiedKey(ca.certificate_pem, "")).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("issuer:")));
}

// What IssueCrl writes, OpenSSL reads back as the spec said.
TEST(CrlIssuerTest, WritesTheSpec) {
  const CertifiedKey ca = MintCa("Sentinel CA");
  const absl::Time now =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  CrlSpec spec;
  spec.this_update = now;
  spec.next_update = now + absl::Hours(24);
  spec.revoked_serials = {"0A", "FF01"};
  ASSERT_OK_AND_ASSIGN(std::string pem, IssueCrl(spec, ca));
  EXPECT_THAT(pem, HasSubstr("-----BEGIN X509 CRL-----"));
  ASSERT_OK_AND_ASSIGN(RevocationList list,
                       ParseRevocationList(pem, ca.certificate_pem, now));
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(list.next_update(), spec.next_update);
  X509Ptr ca_certificate = CertificateOf(ca.certificate_pem);
  const std::string issuer =
      SerialOf(ca_certificate.get()).issuer_der;  // The CA's own name.
  EXPECT_TRUE(list.IsRevoked(CertificateSerial{issuer, "0A"}));
  EXPECT_TRUE(list.IsRevoked(CertificateSerial{issuer, "FF01"}));
  EXPECT_FALSE(list.IsRevoked(CertificateSerial{issuer, "0B"}));
}

}  // namespace
}  // namespace sentinel::tls
