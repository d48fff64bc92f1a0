// Freezing accounts through sentinel-freeze over gRPC: what sentinel-intake
// (protective freezes of P0 incidents) and sentinel-trace (freeze
// candidates) use when the freeze domain is another process.
//
// The freeze is made with this service's own identity (role internal); the
// person or system on whose behalf it is made is named in the freeze's
// reason and in the calling service's audit entry.
#ifndef SENTINEL_SERVICES_FREEZE_FREEZE_SERVICE_CLIENT_H_
#define SENTINEL_SERVICES_FREEZE_FREEZE_SERVICE_CLIENT_H_

#include <memory>

#include "absl/time/time.h"
#include "client/backoff.h"
#include "client/server_connection.h"
#include "freeze/account_freezer.h"
#include "sentinel/v1/freeze.grpc.pb.h"

namespace sentinel::services {

// Thread-safe.
class FreezeServiceClient final : public freeze::AccountFreezer {
 public:
  // Each freeze gets `timeout` overall; UNAVAILABLE is retried with
  // `backoff` within it, which the request's idempotency key makes safe.
  FreezeServiceClient(client::ServerConnection connection,
                      absl::Duration timeout, client::BackoffPolicy backoff);

  // The freeze service's answer, or kUnavailable / kDeadlineExceeded when
  // it cannot be reached in time. A request without an idempotency key gets
  // a random one, so that this call's own retries freeze once.
  absl::StatusOr<v1::FreezeRecord> FreezeAccount(
      const Principal& caller,
      const v1::FreezeAccountRequest& request) override;

 private:
  const client::ServerConnection connection_;
  const absl::Duration timeout_;
  const client::BackoffPolicy backoff_;
  std::unique_ptr<v1::FreezeService::Stub> stub_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_FREEZE_FREEZE_SERVICE_CLIENT_H_
