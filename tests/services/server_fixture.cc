#include "tests/services/server_fixture.h"

#include <chrono>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace sentinel::testing {

ServerFixture::ServerFixture(size_t max_queued_writes,
                             size_t max_queued_tickets)
    : gate_(authenticator_, domain_.audit_log(), domain_.clock()),
      writes_("test writes", 2, max_queued_writes),
      service_(domain_.manager(), gate_, writes_),
      reads_("test reads", 2, 64),
      audit_service_(domain_.audit_log(), domain_.audit_reader(), gate_, reads_,
                     domain_.clock()),
      emergency_("test emergency reports", 2, 1000),
      tickets_("test ticket reports", 2, max_queued_tickets),
      desk_("test desk", 2, 64),
      intake_service_(domain_.incidents(), gate_,
                      {emergency_, tickets_, desk_}) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&service_);
  builder.RegisterService(&audit_service_);
  builder.RegisterService(&intake_service_);
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port == 0) {
    ADD_FAILURE() << "cannot start the test server";
    std::abort();
  }
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                 grpc::InsecureChannelCredentials());
  stub_ = v1::FreezeService::NewStub(channel_);
  audit_stub_ = v1::AuditService::NewStub(channel_);
  intake_stub_ = v1::IncidentService::NewStub(channel_);
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
    context->AddMetadata(services::kPrincipalHeader, parsed->ToUri());
  }
  return context;
}

}  // namespace sentinel::testing
