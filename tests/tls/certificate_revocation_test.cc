// Certificate revocation end to end: a real gRPC server on 127.0.0.1 port 0
// with the development PKI's server credentials and a CRL file
// (tls::ServerCredentials with a CrlWatcher), whose one handler
// (CheckAccounts) authenticates with a TlsAuthenticator checking the same
// CRL and echoes the caller. The watcher's clock is fake: a new CRL file is
// looked at once the test moves the clock by the check interval.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "services/common/grpc_status.h"
#include "services/common/tls_authenticator.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/tls/tls_testing.h"
#include "tests/tls/who_am_i_service.h"
#include "tls/credentials.h"
#include "tls/crl_watcher.h"
#include "tls/development_pki.h"
#include "tls/pem_files.h"

namespace sentinel::tls {
namespace {

using ::sentinel::testing::FakeClock;
using ::sentinel::testing::MintCa;
using ::sentinel::testing::MintClient;
using ::sentinel::testing::MintCrl;
using ::sentinel::testing::ReplaceFile;
using ::sentinel::testing::SerialHexOf;
using ::sentinel::testing::StatusIs;
using ::sentinel::testing::TempDir;
using ::sentinel::testing::WhoAmIService;
using ::sentinel::testing::WriteFile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

class CertificateRevocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<DevelopmentPki> pki =
        EnsureDevelopmentPki(dir_.path() + "/tls", absl::Now());
    ASSERT_OK(pki.status());
    pki_.emplace(*std::move(pki));
    ASSERT_OK_AND_ASSIGN(ca_,
                         ReadCertifiedKey(pki_->ca_cert(), pki_->ca_key()));
    alice_ = Mint("alice");
    bob_ = Mint("bob");
    ReplaceFile(crl_path_, CrlRevoking({SerialHexOf(alice_.certificate_pem)}));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // Starts the server with the CRL file as it is.
  absl::Status StartServer() {
    CrlWatcherOptions options;
    options.crl_path = crl_path_;
    options.client_ca_path = pki_->ca_cert();
    options.clock = &clock_;
    options.check_interval = absl::Seconds(1);
    options.log = [this](const std::string& line) {
      absl::MutexLock lock(&log_mu_);
      log_.push_back(line);
    };
    absl::StatusOr<std::shared_ptr<CrlWatcher>> crl =
        CrlWatcher::Start(std::move(options));
    if (!crl.ok()) return crl.status();
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
        ServerCredentials(pki_->server_cert(), pki_->server_key(),
                          pki_->ca_cert(), *crl);
    if (!credentials.ok()) return credentials.status();
    service_.emplace(*crl);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", *credentials, &port);
    builder.RegisterService(&*service_);
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port == 0) {
      return absl::UnavailableError("the test server did not start");
    }
    address_ = absl::StrCat("127.0.0.1:", port);
    return absl::OkStatus();
  }

  // A client certificate of the development CA for agent/<name>, written
  // to <dir>/<name>.pem and .key.
  CertifiedKey Mint(const std::string& name) {
    CertifiedKey client = MintClient(
        ca_, absl::StrCat("spiffe://sentinel/role/agent/user/", name));
    WriteFile(dir_.path() + "/" + name + ".pem", client.certificate_pem, 0600);
    WriteFile(dir_.path() + "/" + name + ".key", client.private_key_pem, 0600);
    return client;
  }

  std::string CrlRevoking(const std::vector<std::string>& serials) const {
    return MintCrl(ca_, serials, clock_.Now() - absl::Hours(1),
                   clock_.Now() + absl::Hours(24 * 30));
  }

  // A stub on a channel of its own presenting <name>'s certificate.
  std::unique_ptr<v1::FreezeService::Stub> StubAs(const std::string& name) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        ChannelCredentials(pki_->ca_cert(), dir_.path() + "/" + name + ".pem",
                           dir_.path() + "/" + name + ".key");
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return v1::FreezeService::NewStub(grpc::CreateCustomChannel(
        address_,
        credentials.ok() ? *credentials : grpc::InsecureChannelCredentials(),
        arguments));
  }

  // CheckAccounts with a 5 s deadline; on OK, `caller` is who the server
  // saw.
  static grpc::Status Call(v1::FreezeService::Stub& stub,
                           std::string* caller = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    v1::CheckAccountsRequest request;
    request.add_account_ids("acct-1");
    v1::CheckAccountsResponse response;
    grpc::Status status = stub.CheckAccounts(&context, request, &response);
    if (status.ok() && caller != nullptr && response.results_size() == 1) {
      *caller = response.results(0).account_id();
    }
    return status;
  }

  grpc::Status CallAs(const std::string& name, std::string* caller = nullptr) {
    return Call(*StubAs(name), caller);
  }

  std::vector<std::string> log() {
    absl::MutexLock lock(&log_mu_);
    return log_;
  }

  TempDir dir_;
  const std::string crl_path_ = dir_.path() + "/crl.pem";
  FakeClock clock_{absl::Now()};
  std::optional<DevelopmentPki> pki_;
  CertifiedKey ca_;
  CertifiedKey alice_;
  CertifiedKey bob_;
  std::optional<WhoAmIService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  absl::Mutex log_mu_;
  std::vector<std::string> log_ ABSL_GUARDED_BY(log_mu_);
};

// (1) The revoked certificate fails the handshake; another certificate of
// the same CA gets through.
TEST_F(CertificateRevocationTest, ARevokedCertificateFailsTheHandshake) {
  ASSERT_OK(StartServer());
  EXPECT_EQ(CallAs("alice").error_code(), grpc::StatusCode::UNAVAILABLE);
  std::string caller;
  grpc::Status status = CallAs("bob", &caller);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(caller, "agent/bob");
}

// (2) A new CRL file revokes bob without a restart: new connections fail
// their handshake, and bob's connection opened before gets no further call.
TEST_F(CertificateRevocationTest, ANewCrlFileRevokesWithoutRestart) {
  ASSERT_OK(StartServer());
  std::unique_ptr<v1::FreezeService::Stub> connected = StubAs("bob");
  ASSERT_TRUE(Call(*connected).ok());

  ReplaceFile(crl_path_, CrlRevoking({SerialHexOf(alice_.certificate_pem),
                                      SerialHexOf(bob_.certificate_pem)}));
  clock_.Advance(absl::Seconds(1));  // The check interval.

  grpc::Status status = Call(*connected);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr(SerialHexOf(bob_.certificate_pem)),
                    HasSubstr("is revoked")));
  EXPECT_EQ(CallAs("bob").error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(CallAs("alice").error_code(), grpc::StatusCode::UNAVAILABLE);
  Mint("carol");
  EXPECT_TRUE(CallAs("carol").ok());
  EXPECT_THAT(log(), ElementsAre(StartsWith(
                         "event=crl_loaded path=" + crl_path_ + " revoked=2")));
}

// (3) A CRL signed by another CA (under the development CA's very name)
// stops the server from starting, naming the file and the reason.
TEST_F(CertificateRevocationTest, ACrlOfAnotherCaIsRefusedAtStartup) {
  const CertifiedKey impostor = MintCa("Sentinel development CA");
  ReplaceFile(crl_path_, MintCrl(impostor, {SerialHexOf(bob_.certificate_pem)},
                                 clock_.Now(), clock_.Now() + absl::Hours(1)));
  EXPECT_THAT(StartServer(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith(crl_path_ + ": CRL 1 (issuer "
                                                    "CN=Sentinel development "
                                                    "CA)"),
                             HasSubstr("the signature does not verify "
                                       "against the client CA"))));
  EXPECT_EQ(server_, nullptr);
}

// (4) A corrupt CRL written after start-up is refused, logged once, and the
// CRL before stays in force.
TEST_F(CertificateRevocationTest, ACorruptCrlKeepsTheOneInForce) {
  ASSERT_OK(StartServer());
  const std::string good = CrlRevoking({SerialHexOf(bob_.certificate_pem)});
  ReplaceFile(crl_path_, good.substr(0, good.size() / 2));
  for (int i = 0; i < 2; ++i) {
    clock_.Advance(absl::Seconds(1));
    EXPECT_EQ(CallAs("alice").error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_TRUE(CallAs("bob").ok());
  }
  std::vector<std::string> lines = log();
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], AllOf(StartsWith("event=crl_refused " + crl_path_),
                              HasSubstr("stays in force (1 revoked)")));
}

}  // namespace
}  // namespace sentinel::tls
