// gRPC credentials from files: built from good files, and every bad file
// refused with its path and what is wrong.

#include "tls/credentials.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/tls/tls_testing.h"
#include "tls/development_pki.h"

namespace sentinel::tls {
namespace {

using ::sentinel::testing::ReadFile;
using ::sentinel::testing::StatusIs;
using ::sentinel::testing::TempDir;
using ::sentinel::testing::WriteFile;
using ::testing::HasSubstr;

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<DevelopmentPki> pki =
        EnsureDevelopmentPki(dir_.path() + "/tls", absl::Now());
    ASSERT_OK(pki.status());
    pki_.emplace(*std::move(pki));
  }

  std::string Path(const std::string& name) const {
    return absl::StrCat(dir_.path(), "/", name);
  }

  absl::Status Server(const std::string& cert, const std::string& key,
                      const std::string& ca) {
    return ServerCredentials(cert, key, ca).status();
  }

  TempDir dir_;
  std::optional<DevelopmentPki> pki_;
};

TEST_F(CredentialsTest, GoodFilesMakeCredentials) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::ServerCredentials> server,
                       ServerCredentials(pki_->server_cert(),
                                         pki_->server_key(), pki_->ca_cert()));
  EXPECT_NE(server, nullptr);
  ASSERT_OK_AND_ASSIGN(
      std::shared_ptr<grpc::ChannelCredentials> channel,
      ChannelCredentials(pki_->ca_cert(), pki_->ClientCertFor(v1::ROLE_AGENT),
                         pki_->ClientKeyFor(v1::ROLE_AGENT)));
  EXPECT_NE(channel, nullptr);
}

TEST_F(CredentialsTest, MissingFilesAreNamed) {
  const std::string missing = Path("missing.pem");
  EXPECT_THAT(Server(missing, pki_->server_key(), pki_->ca_cert()),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr(missing + ": cannot open the certificate")));
  EXPECT_THAT(
      Server(pki_->server_cert(), missing, pki_->ca_cert()),
      StatusIs(absl::StatusCode::kNotFound,
               HasSubstr(missing + ": cannot open the TLS private key")));
  EXPECT_THAT(Server(pki_->server_cert(), pki_->server_key(), missing),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(missing)));
  EXPECT_THAT(ChannelCredentials(missing, pki_->ClientCertFor(v1::ROLE_AGENT),
                                 pki_->ClientKeyFor(v1::ROLE_AGENT)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(missing)));
}

TEST_F(CredentialsTest, LooseKeyIsRefused) {
  const std::string key = Path("loose.key");
  WriteFile(key, ReadFile(pki_->server_key()), 0640);
  EXPECT_THAT(
      Server(pki_->server_cert(), key, pki_->ca_cert()),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               key + ": permissions 0640 are too open; the TLS private key "
                     "must be readable by its owner only (chmod 600)"));
}

TEST_F(CredentialsTest, NonPemFilesAreRefused) {
  const std::string garbage = Path("garbage");
  WriteFile(garbage, "SECRET-LOOKING-BYTES\n", 0600);
  EXPECT_THAT(Server(garbage, pki_->server_key(), pki_->ca_cert()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       garbage + ": not a PEM certificate"));
  EXPECT_THAT(Server(pki_->server_cert(), pki_->server_key(), garbage),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       garbage + ": not a PEM certificate"));
  EXPECT_THAT(Server(pki_->server_cert(), garbage, pki_->ca_cert()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       garbage + ": not an unencrypted PEM private key"));
}

TEST_F(CredentialsTest, KeyOfAnotherCertificateIsRefused) {
  EXPECT_THAT(
      ChannelCredentials(pki_->ca_cert(), pki_->ClientCertFor(v1::ROLE_AGENT),
                         pki_->ClientKeyFor(v1::ROLE_ADMIN)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               pki_->ClientKeyFor(v1::ROLE_ADMIN) +
                   ": the private key does not match the certificate"));
}

}  // namespace
}  // namespace sentinel::tls
