// The development PKI on a real file system: what it creates, that it loads
// instead of regenerating, and what it refuses.

#include "tls/development_pki.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/principal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/tls/tls_testing.h"
#include "tls/pem.h"

namespace sentinel::tls {
namespace {

using ::sentinel::testing::CertificateOf;
using ::sentinel::testing::ReadFile;
using ::sentinel::testing::StatusIs;
using ::sentinel::testing::TempDir;
using ::sentinel::testing::VerifyCertificate;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr v1::Role kRoles[] = {v1::ROLE_AGENT, v1::ROLE_SECURITY,
                               v1::ROLE_INTERNAL, v1::ROLE_AUDITOR,
                               v1::ROLE_ADMIN};

mode_t FileMode(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

std::set<std::string> EntriesOf(const std::string& directory) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

// The URI SANs of `certificate`, read with OpenSSL directly.
std::vector<std::string> UrisOf(X509* certificate) {
  std::vector<std::string> uris;
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
    uris.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                      ASN1_STRING_length(uri));
  }
  GENERAL_NAMES_free(names);
  return uris;
}

// The serial number in decimal.
std::string SerialOf(X509* certificate) {
  char* text = i2s_ASN1_INTEGER(nullptr, X509_get_serialNumber(certificate));
  std::string serial = text == nullptr ? "" : text;
  OPENSSL_free(text);
  return serial;
}

class DevelopmentPkiTest : public ::testing::Test {
 protected:
  std::string TlsDir() const { return dir_.path() + "/tls"; }

  absl::StatusOr<DevelopmentPki> Ensure() {
    return EnsureDevelopmentPki(TlsDir(), now_);
  }

  // Every file's name and contents.
  std::map<std::string, std::string> Snapshot() const {
    std::map<std::string, std::string> files;
    for (const std::string& name : EntriesOf(TlsDir())) {
      files[name] = ReadFile(TlsDir() + "/" + name);
    }
    return files;
  }

  TempDir dir_;
  const absl::Time now_ = absl::FromUnixSeconds(1'750'000'000);
};

// The first call creates exactly the expected files, owner-only, in a 0700
// directory, and leaves no staging directory behind.
TEST_F(DevelopmentPkiTest, CreatesEveryFileOwnerOnly) {
  ASSERT_OK_AND_ASSIGN(DevelopmentPki pki, Ensure());
  EXPECT_EQ(pki.directory(), TlsDir());
  EXPECT_EQ(pki.ca_cert(), TlsDir() + "/ca.pem");
  EXPECT_EQ(pki.server_key(), TlsDir() + "/server.key");
  EXPECT_EQ(pki.ClientCertFor(v1::ROLE_AUDITOR),
            TlsDir() + "/client-auditor.pem");
  EXPECT_EQ(pki.ClientKeyFor(v1::ROLE_ADMIN), TlsDir() + "/client-admin.key");

  EXPECT_EQ(FileMode(TlsDir()), 0700);
  std::set<std::string> expected = {"ca.pem", "ca.key", "server.pem",
                                    "server.key"};
  for (v1::Role role : kRoles) {
    expected.insert(absl::StrCat("client-", RoleName(role), ".pem"));
    expected.insert(absl::StrCat("client-", RoleName(role), ".key"));
  }
  EXPECT_EQ(EntriesOf(TlsDir()), expected);
  for (const std::string& name : expected) {
    EXPECT_EQ(FileMode(TlsDir() + "/" + name), 0600) << name;
  }
  EXPECT_THAT(EntriesOf(dir_.path()), ElementsAre("tls"));
}

// A second call, even much later, loads the same material byte for byte.
TEST_F(DevelopmentPkiTest, SecondCallLoadsTheSameMaterial) {
  ASSERT_OK(Ensure().status());
  const std::map<std::string, std::string> first = Snapshot();
  ASSERT_OK(
      EnsureDevelopmentPki(TlsDir(), now_ + absl::Hours(24 * 30)).status());
  EXPECT_EQ(Snapshot(), first);
  ASSERT_OK(LoadDevelopmentPki(TlsDir() + "/").status());
  EXPECT_EQ(Snapshot(), first);
}

// Two processes starting at once agree on one PKI.
TEST_F(DevelopmentPkiTest, ConcurrentCallsAgree) {
  absl::Status first_status;
  absl::Status second_status;
  std::thread first([&] { first_status = Ensure().status(); });
  std::thread second([&] { second_status = Ensure().status(); });
  first.join();
  second.join();
  EXPECT_OK(first_status);
  EXPECT_OK(second_status);
  EXPECT_THAT(EntriesOf(dir_.path()), ElementsAre("tls"));
  EXPECT_EQ(Snapshot().size(), 14u);
}

// An existing empty directory (say, made by an operator) is filled, and
// ends up 0700 whatever its mode was.
TEST_F(DevelopmentPkiTest, FillsAnEmptyDirectory) {
  ASSERT_EQ(::mkdir(TlsDir().c_str(), 0755), 0);
  ASSERT_OK(Ensure().status());
  EXPECT_EQ(FileMode(TlsDir()), 0700);
  EXPECT_EQ(Snapshot().size(), 14u);
}

// A key readable by others is refused, naming the file; nothing is
// regenerated.
TEST_F(DevelopmentPkiTest, LooseKeyIsRefused) {
  ASSERT_OK_AND_ASSIGN(DevelopmentPki pki, Ensure());
  ASSERT_EQ(::chmod(pki.server_key().c_str(), 0644), 0);
  const std::map<std::string, std::string> before = Snapshot();
  const std::string message = absl::StrCat(
      pki.server_key(),
      ": permissions 0644 are too open; the TLS private key must be readable "
      "by its owner only (chmod 600)");
  EXPECT_THAT(Ensure(),
              StatusIs(absl::StatusCode::kFailedPrecondition, message));
  EXPECT_THAT(LoadDevelopmentPki(TlsDir()),
              StatusIs(absl::StatusCode::kFailedPrecondition, message));
  EXPECT_EQ(Snapshot(), before);
}

// A directory missing one file is refused, naming it, and never completed
// or overwritten.
TEST_F(DevelopmentPkiTest, MissingFileIsRefused) {
  ASSERT_OK_AND_ASSIGN(DevelopmentPki pki, Ensure());
  const std::string missing = pki.ClientCertFor(v1::ROLE_AUDITOR);
  ASSERT_EQ(::unlink(missing.c_str()), 0);
  const std::map<std::string, std::string> before = Snapshot();
  EXPECT_THAT(Ensure(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                 HasSubstr(missing + " is missing")));
  EXPECT_EQ(Snapshot(), before);
}

// A certificate that is not PEM is refused, naming it.
TEST_F(DevelopmentPkiTest, CorruptCertificateIsRefused) {
  ASSERT_OK_AND_ASSIGN(DevelopmentPki pki, Ensure());
  std::ofstream(pki.ca_cert(), std::ios::trunc) << "garbage\n";
  EXPECT_THAT(Ensure(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 pki.ca_cert() + ": not a PEM certificate"));
}

// Load never creates anything.
TEST_F(DevelopmentPkiTest, LoadOfAbsentDirectoryIsNotFound) {
  EXPECT_THAT(LoadDevelopmentPki(TlsDir()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(TlsDir())));
  EXPECT_TRUE(EntriesOf(dir_.path()).empty());
}

// The staging directory a crash left behind does not get in the way.
TEST_F(DevelopmentPkiTest, StaleStagingDirectoryIsIgnored) {
  const std::string stale = TlsDir() + ".new-AbC123";
  ASSERT_EQ(::mkdir(stale.c_str(), 0700), 0);
  std::ofstream(stale + "/ca.pem") << "half-written";
  ASSERT_OK(Ensure().status());
  EXPECT_EQ(Snapshot().size(), 14u);
}

// The CA is a self-signed CA; the server and client certificates verify
// against it for their purpose, with the promised names and validity.
TEST_F(DevelopmentPkiTest, CertificatesVerifyAgainstTheCa) {
  ASSERT_OK_AND_ASSIGN(DevelopmentPki pki, Ensure());
  X509Ptr ca = CertificateOf(ReadFile(pki.ca_cert()));
  ASSERT_NE(ca, nullptr);
  char common_name[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(ca.get()), NID_commonName,
                            common_name, sizeof(common_name));
  EXPECT_STREQ(common_name, "Sentinel development CA");
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_NE(X509_get_key_usage(ca.get()) & KU_KEY_CERT_SIGN, 0u);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notBefore(ca.get()),
                                 absl::ToTimeT(now_ - absl::Minutes(5))),
            0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(ca.get()),
                                 absl::ToTimeT(now_ + absl::Hours(24 * 3650))),
            0);

  X509Ptr server = CertificateOf(ReadFile(pki.server_cert()));
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(
      VerifyCertificate(server.get(), ca.get(), now_, X509_PURPOSE_SSL_SERVER),
      X509_V_OK);
  EXPECT_EQ(X509_check_host(server.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "::1", 0), 1);
  EXPECT_NE(
      VerifyCertificate(server.get(), ca.get(), now_, X509_PURPOSE_SSL_CLIENT),
      X509_V_OK);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(server.get()),
                                 absl::ToTimeT(now_ + absl::Hours(24 * 365))),
            0);
  // A year and a day later the leaf has expired.
  EXPECT_EQ(
      VerifyCertificate(server.get(), ca.get(), now_ + absl::Hours(24 * 366),
                        X509_PURPOSE_SSL_SERVER),
      X509_V_ERR_CERT_HAS_EXPIRED);

  std::set<std::string> serials = {SerialOf(ca.get()), SerialOf(server.get())};
  for (v1::Role role : kRoles) {
    X509Ptr client = CertificateOf(ReadFile(pki.ClientCertFor(role)));
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(VerifyCertificate(client.get(), ca.get(), now_,
                                X509_PURPOSE_SSL_CLIENT),
              X509_V_OK)
        << RoleName(role);
    EXPECT_THAT(
        UrisOf(client.get()),
        ElementsAre(absl::StrCat("spiffe://sentinel/role/", RoleName(role),
                                 "/user/dev-", RoleName(role))));
    serials.insert(SerialOf(client.get()));
  }
  EXPECT_EQ(serials.size(), 7u);  // Random serials: all different.
}

}  // namespace
}  // namespace sentinel::tls
