#include "tests/services/server_fixture.h"

#include <chrono>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "services/common/message_limits.h"
#include "services/common/tls_authenticator.h"
#include "tls/credentials.h"
#include "tls/development_clients.h"
#include "tls/development_pki.h"

namespace sentinel::testing {

namespace {

std::unique_ptr<services::Authenticator> AuthenticatorFor(bool mutual_tls) {
  if (mutual_tls) return std::make_unique<services::TlsAuthenticator>();
  return std::make_unique<services::HeaderAuthenticator>();
}

void AbortUnless(const absl::Status& status) {
  if (!status.ok()) {
    ADD_FAILURE() << status;
    std::abort();
  }
}

}  // namespace

ServerFixture::ServerFixture(size_t max_queued_writes,
                             size_t max_queued_tickets, bool mutual_tls)
    : mutual_tls_(mutual_tls),
      authenticator_(AuthenticatorFor(mutual_tls)),
      gate_(*authenticator_, domain_.audit_log(), domain_.clock()),
      writes_("test writes", 2, max_queued_writes),
      service_(domain_.manager(), gate_, writes_),
      reads_("test reads", 2, 64),
      deliveries_("test deliveries", 2, 64),
      audit_service_(domain_.audit_log(), domain_.audit_reader(),
                     domain_.audit_inbox(), gate_, {reads_, deliveries_},
                     domain_.clock()),
      emergency_("test emergency reports", 2, 1000),
      tickets_("test ticket reports", 2, max_queued_tickets),
      desk_("test desk", 2, 64),
      intake_service_(domain_.incidents(), gate_,
                      {emergency_, tickets_, desk_}),
      candidate_freezer_(domain_.manager()),
      ledger_("test ledger ingest", 1, services::kDefaultMaxIngestStreams),
      traces_work_("test traces", 2, 64),
      trace_service_(domain_.traces(), candidate_freezer_, gate_,
                     {ledger_, traces_work_}) {
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::InsecureServerCredentials();
  if (mutual_tls_) {
    absl::StatusOr<tls::DevelopmentPki> pki =
        tls::EnsureDevelopmentPki(domain_.dir() + "/tls", absl::Now());
    AbortUnless(pki.status());
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> tls_credentials =
        tls::ServerCredentials(pki->server_cert(), pki->server_key(),
                               pki->ca_cert());
    AbortUnless(tls_credentials.status());
    credentials = *tls_credentials;
  }
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", credentials, &port);
  builder.SetMaxReceiveMessageSize(services::kMaxRequestBytes);
  builder.RegisterService(&service_);
  builder.RegisterService(&audit_service_);
  builder.RegisterService(&intake_service_);
  builder.RegisterService(&trace_service_);
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port == 0) {
    ADD_FAILURE() << "cannot start the test server";
    std::abort();
  }
  address_ = absl::StrCat("127.0.0.1:", port);
  channel_ = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  stub_ = v1::FreezeService::NewStub(channel_);
  audit_stub_ = v1::AuditService::NewStub(channel_);
  intake_stub_ = v1::IncidentService::NewStub(channel_);
  trace_stub_ = v1::TraceService::NewStub(channel_);
}

ServerFixture::~ServerFixture() {
  domain_.manager().feed().Close();
  domain_.incidents().feed().Close();
  domain_.audit_log().feed().Close();
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
}

std::unique_ptr<grpc::ClientContext> ServerFixture::As(
    const std::string& principal) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  if (!principal.empty()) {
    absl::StatusOr<Principal> parsed = ParsePrincipalShort(principal);
    if (!parsed.ok()) {
      ADD_FAILURE() << parsed.status();
      std::abort();
    }
    context->AddMetadata(kPrincipalHeader, parsed->ToUri());
  }
  return context;
}

std::shared_ptr<grpc::Channel> ServerFixture::ChannelAs(
    const std::string& principal) {
  absl::StatusOr<Principal> parsed = ParsePrincipalShort(principal);
  AbortUnless(parsed.status());
  absl::StatusOr<tls::DevelopmentPki> pki =
      tls::LoadDevelopmentPki(domain_.dir() + "/tls");
  AbortUnless(pki.status());
  absl::StatusOr<tls::ClientCertificateFiles> client =
      tls::EnsureDevelopmentClient(*pki, *parsed, absl::Now());
  AbortUnless(client.status());
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      tls::ChannelCredentials(pki->ca_cert(), client->certificate, client->key);
  AbortUnless(credentials.status());
  return grpc::CreateChannel(address_, *credentials);
}

}  // namespace sentinel::testing
