#include "services/freeze/freeze_service_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "client/retry.h"
#include "common/call_headers.h"
#include "common/random_key.h"

namespace sentinel::services {

constexpr int kMaxFreezeAttempts = 5;

FreezeServiceClient::FreezeServiceClient(client::ServerConnection connection,
                                         absl::Duration timeout,
                                         client::BackoffPolicy backoff)
    : connection_(std::move(connection)),
      timeout_(timeout),
      backoff_(backoff),
      stub_(v1::FreezeService::NewStub(
          client::OpenChannel(connection_, backoff.initial, backoff.max))) {}

absl::StatusOr<v1::FreezeRecord> FreezeServiceClient::FreezeAccount(
    const Principal& caller, const v1::FreezeAccountRequest& request) {
  v1::FreezeAccountRequest on_behalf = request;
  if (on_behalf.idempotency_key().empty()) {
    // The caller did not ask for idempotency across its own retries; this
    // call's retries still need it.
    on_behalf.set_idempotency_key(absl::StrCat("peer-", RandomKey()));
  }
  v1::FreezeRecord record;
  const absl::Status status = client::RetryUnavailable(
      [&](absl::Time deadline) {
        grpc::ClientContext context;
        client::PrepareContext(connection_, &context);
        // The freeze is the person's: authorized, recorded and idempotent
        // as theirs, carried by this service.
        context.AddMetadata(kOnBehalfOfHeader, caller.ToString());
        context.set_deadline(absl::ToChronoTime(deadline));
        return client::FromGrpcStatus(
            stub_->FreezeAccount(&context, on_behalf, &record));
      },
      absl::Now() + timeout_, kMaxFreezeAttempts, backoff_);
  if (!status.ok()) return status;
  return record;
}

}  // namespace sentinel::services
