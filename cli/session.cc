// Implements Session: the channel and per-call metadata.
#include "cli/session.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/call_headers.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace sentinel::cli {

Session::Session(const std::string& server,
                 std::shared_ptr<grpc::ChannelCredentials> credentials,
                 Principal principal, bool send_principal,
                 absl::Duration timeout)
    : server_(server),
      principal_(std::move(principal)),
      send_principal_(send_principal),
      timeout_(timeout),
      channel_(grpc::CreateChannel(server, std::move(credentials))),
      freeze_(v1::FreezeService::NewStub(channel_)),
      audit_(v1::AuditService::NewStub(channel_)),
      incident_(v1::IncidentService::NewStub(channel_)),
      trace_(v1::TraceService::NewStub(channel_)) {}

void Session::Prepare(grpc::ClientContext* context) const {
  PrepareOpenEnded(context);
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
}

void Session::PrepareOpenEnded(grpc::ClientContext* context) const {
  if (send_principal_) {
    context->AddMetadata(kPrincipalHeader, principal_.ToUri());
  }
}

grpc::Status Session::WaitForConnection() const {
  if (channel_->WaitForConnected(absl::ToChronoTime(absl::Now() + timeout_))) {
    return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      absl::StrCat("cannot connect to ", server_, " within ",
                                   absl::FormatDuration(timeout_)));
}

}  // namespace sentinel::cli
