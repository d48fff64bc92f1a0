#include "tests/crash/crash_client.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "tls/credentials.h"
#include "tls/development_pki.h"

namespace sentinel::crash {

absl::StatusOr<std::unique_ptr<CrashClient>> CrashClient::Connect(
    const ServiceAddresses& addresses, const std::string& tls_dir) {
  const tls::DevelopmentPki pki(tls_dir);
  std::map<v1::Role, std::shared_ptr<grpc::ChannelCredentials>> credentials;
  for (v1::Role role : {v1::ROLE_AGENT, v1::ROLE_SECURITY, v1::ROLE_INTERNAL}) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> of_role =
        tls::DevelopmentChannelCredentials(pki, role);
    if (!of_role.ok()) return of_role.status();
    credentials[role] = *std::move(of_role);
  }
  std::unique_ptr<CrashClient> client(new CrashClient());
  const auto channel = [&](const std::string& address, v1::Role role) {
    std::shared_ptr<grpc::Channel>& channel =
        client->channels_[{address, role}];
    if (channel == nullptr) {
      channel = grpc::CreateChannel(address, credentials.at(role));
    }
    return channel;
  };
  client->freeze_as_agent_ =
      v1::FreezeService::NewStub(channel(addresses.freeze, v1::ROLE_AGENT));
  client->freeze_as_security_ =
      v1::FreezeService::NewStub(channel(addresses.freeze, v1::ROLE_SECURITY));
  client->incident_as_internal_ = v1::IncidentService::NewStub(
      channel(addresses.intake, v1::ROLE_INTERNAL));
  client->incident_as_security_ = v1::IncidentService::NewStub(
      channel(addresses.intake, v1::ROLE_SECURITY));
  client->trace_as_internal_ =
      v1::TraceService::NewStub(channel(addresses.trace, v1::ROLE_INTERNAL));
  client->audit_as_security_ =
      v1::AuditService::NewStub(channel(addresses.audit, v1::ROLE_SECURITY));
  return client;
}

std::unique_ptr<grpc::ClientContext> CrashClient::Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  return context;
}

grpc::Status CrashClient::Ingest(const std::vector<v1::LedgerEvent>& events,
                                 v1::IngestSummary* summary) {
  auto context = Context();
  auto writer = trace_as_internal_->IngestLedger(context.get(), summary);
  for (const v1::LedgerEvent& event : events) {
    if (!writer->Write(event)) break;
  }
  writer->WritesDone();
  return writer->Finish();
}

std::vector<v1::LedgerEvent> LedgerBatch(const std::string& first) {
  std::vector<v1::LedgerEvent> events;
  for (int i = 0; i < kLedgerBatch; ++i) {
    v1::LedgerEvent& event = events.emplace_back();
    event.set_event_id(absl::StrCat(first, "-", i));
    event.mutable_time()->set_seconds(1795000000 + i);
    event.set_kind(v1::LEDGER_EVENT_KIND_DEPOSIT);
    event.set_to_account(first);
    event.set_asset("BTC");
    event.set_amount(1000 + i);
  }
  return events;
}

}  // namespace sentinel::crash
