// Mutual TLS end to end: a real gRPC server on 127.0.0.1 port 0 with the
// development PKI's server credentials, whose one handler (CheckAccounts)
// authenticates with TlsAuthenticator and echoes the caller, called by
// clients holding good, foreign, expired, nameless or no certificates.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "services/common/authenticator.h"
#include "services/common/grpc_status.h"
#include "services/common/tls_authenticator.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/tls/tls_testing.h"
#include "tests/tls/who_am_i_service.h"
#include "tls/certificate_issuer.h"
#include "tls/credentials.h"
#include "tls/development_pki.h"
#include "tls/pem_files.h"

namespace sentinel::tls {
namespace {

using ::sentinel::testing::ReadFile;
using ::sentinel::testing::TempDir;
using ::sentinel::testing::WhoAmIService;
using ::sentinel::testing::WriteFile;
using ::testing::HasSubstr;

class MutualTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<DevelopmentPki> pki =
        EnsureDevelopmentPki(dir_.path() + "/tls", absl::Now());
    ASSERT_OK(pki.status());
    pki_.emplace(*std::move(pki));
    ASSERT_OK_AND_ASSIGN(
        std::shared_ptr<grpc::ServerCredentials> credentials,
        ServerCredentials(pki_->server_cert(), pki_->server_key(),
                          pki_->ca_cert()));
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", credentials, &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    address_ = absl::StrCat("127.0.0.1:", port);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // Credentials presenting the development certificate of `role`.
  std::shared_ptr<grpc::ChannelCredentials> AsRole(v1::Role role) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        DevelopmentChannelCredentials(*pki_, role);
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return credentials.ok() ? *credentials : grpc::InsecureChannelCredentials();
  }

  // Credentials presenting a certificate minted from `spec` by `issuer`
  // (the development CA when null), trusting the development CA.
  std::shared_ptr<grpc::ChannelCredentials> AsMinted(
      const CertificateSpec& spec, const CertifiedKey* issuer = nullptr) {
    absl::StatusOr<CertifiedKey> ca =
        ReadCertifiedKey(pki_->ca_cert(), pki_->ca_key());
    EXPECT_TRUE(ca.ok()) << ca.status();
    absl::StatusOr<CertifiedKey> client =
        IssueCertificate(spec, issuer != nullptr ? issuer : &*ca);
    EXPECT_TRUE(client.ok()) << client.status();
    if (!client.ok()) return grpc::InsecureChannelCredentials();
    const std::string prefix = absl::StrCat(dir_.path(), "/minted-", ++minted_);
    WriteFile(prefix + ".pem", client->certificate_pem, 0600);
    WriteFile(prefix + ".key", client->private_key_pem, 0600);
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        ChannelCredentials(pki_->ca_cert(), prefix + ".pem", prefix + ".key");
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return credentials.ok() ? *credentials : grpc::InsecureChannelCredentials();
  }

  // Calls CheckAccounts with a 5 s deadline on a channel of its own (no
  // connection shared with another test's credentials). On OK, `caller` is
  // the principal the server saw.
  grpc::Status Call(std::shared_ptr<grpc::ChannelCredentials> credentials,
                    std::string* caller = nullptr,
                    const std::string& principal_header = "") {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    std::unique_ptr<v1::FreezeService::Stub> stub = v1::FreezeService::NewStub(
        grpc::CreateCustomChannel(address_, credentials, arguments));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    if (!principal_header.empty()) {
      context.AddMetadata(kPrincipalHeader, principal_header);
    }
    v1::CheckAccountsRequest request;
    request.add_account_ids("acct-1");
    v1::CheckAccountsResponse response;
    grpc::Status status = stub->CheckAccounts(&context, request, &response);
    if (status.ok() && caller != nullptr && response.results_size() == 1) {
      *caller = response.results(0).account_id();
    }
    return status;
  }

  CertificateSpec ClientSpec(std::vector<std::string> uris) const {
    CertificateSpec spec;
    spec.common_name = "test client";
    spec.usage = CertificateUsage::kClient;
    spec.uris = std::move(uris);
    spec.not_before = absl::Now() - absl::Minutes(5);
    spec.not_after = absl::Now() + absl::Hours(1);
    return spec;
  }

  TempDir dir_;
  std::optional<DevelopmentPki> pki_;
  WhoAmIService service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  int minted_ = 0;
};

// Each role's development certificate authenticates as exactly that role's
// development user.
TEST_F(MutualTlsTest, DevelopmentClientCertificatesAuthenticate) {
  std::string caller;
  grpc::Status status = Call(AsRole(v1::ROLE_AGENT), &caller);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(caller, "agent/dev-agent");
  for (v1::Role role : {v1::ROLE_SECURITY, v1::ROLE_INTERNAL, v1::ROLE_AUDITOR,
                        v1::ROLE_ADMIN}) {
    caller.clear();
    status = Call(AsRole(role), &caller);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(caller, absl::StrCat(RoleName(role), "/dev-", RoleName(role)));
  }
}

// With TLS the x-sentinel-principal header names nobody.
TEST_F(MutualTlsTest, PrincipalHeaderIsIgnored) {
  std::string caller;
  grpc::Status status = Call(AsRole(v1::ROLE_AGENT), &caller,
                             "spiffe://sentinel/role/admin/user/mallory");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(caller, "agent/dev-agent");

  status = Call(AsMinted(ClientSpec({})), nullptr,
                "spiffe://sentinel/role/admin/user/mallory");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

// A client with no certificate fails the handshake.
TEST_F(MutualTlsTest, NoClientCertificateIsUnavailable) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadFile(pki_->ca_cert());
  EXPECT_EQ(Call(grpc::SslCredentials(options)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// A certificate from another CA, even naming a valid principal, fails the
// handshake.
TEST_F(MutualTlsTest, CertificateFromAnotherCaIsUnavailable) {
  CertificateSpec ca_spec = ClientSpec({});
  ca_spec.common_name = "Sentinel development CA";  // The same name, too.
  ca_spec.usage = CertificateUsage::kCertificateAuthority;
  ASSERT_OK_AND_ASSIGN(CertifiedKey other_ca,
                       IssueCertificate(ca_spec, nullptr));
  EXPECT_EQ(Call(AsMinted(ClientSpec({"spiffe://sentinel/role/agent/user/eve"}),
                          &other_ca))
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// An expired certificate from the right CA fails the handshake.
TEST_F(MutualTlsTest, ExpiredCertificateIsUnavailable) {
  CertificateSpec spec = ClientSpec({"spiffe://sentinel/role/agent/user/old"});
  spec.not_before = absl::Now() - absl::Hours(48);
  spec.not_after = absl::Now() - absl::Hours(24);
  EXPECT_EQ(Call(AsMinted(spec)).error_code(), grpc::StatusCode::UNAVAILABLE);
}

// A certificate from the right CA without a URI SAN reaches the handler,
// which refuses it.
TEST_F(MutualTlsTest, CertificateWithoutUriSanIsUnauthenticated) {
  grpc::Status status = Call(AsMinted(ClientSpec({})));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("client certificate has no URI SAN"));
}

// A certificate from the right CA with a URI SAN that names no principal
// is refused by the handler.
TEST_F(MutualTlsTest, CertificateWithForeignUriIsUnauthenticated) {
  grpc::Status status = Call(AsMinted(ClientSpec({"https://example.com"})));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("https://example.com"));
}

// Plain text does not get through a TLS port.
TEST_F(MutualTlsTest, PlaintextClientIsUnavailable) {
  EXPECT_EQ(Call(grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// A client that trusts another CA refuses our server.
TEST_F(MutualTlsTest, ClientTrustingAnotherCaIsUnavailable) {
  CertificateSpec ca_spec = ClientSpec({});
  ca_spec.usage = CertificateUsage::kCertificateAuthority;
  ASSERT_OK_AND_ASSIGN(CertifiedKey other_ca,
                       IssueCertificate(ca_spec, nullptr));
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = other_ca.certificate_pem;
  options.pem_cert_chain = ReadFile(pki_->ClientCertFor(v1::ROLE_AGENT));
  options.pem_private_key = ReadFile(pki_->ClientKeyFor(v1::ROLE_AGENT));
  EXPECT_EQ(Call(grpc::SslCredentials(options)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace sentinel::tls
