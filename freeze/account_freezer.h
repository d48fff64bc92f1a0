// Freezing one account, wherever the freeze domain runs: in the same process
// (services/freeze/local_account_freezer.h) or behind the freeze service
// (services/freeze/freeze_service_client.h). Intake's protective freezes
// and trace's candidate freezes go through it.
#ifndef SENTINEL_FREEZE_ACCOUNT_FREEZER_H_
#define SENTINEL_FREEZE_ACCOUNT_FREEZER_H_

#include "absl/status/statusor.h"
#include "common/principal.h"
#include "sentinel/v1/freeze.pb.h"

namespace sentinel::freeze {

// Thread-safe.
class AccountFreezer {
 public:
  virtual ~AccountFreezer() = default;

  // Freezes one account as `caller`, as FreezeService.FreezeAccount does:
  // validated, durable and audited before it returns; idempotent by the
  // request's idempotency_key (the caller's, see common/idempotency_scope.h).
  virtual absl::StatusOr<v1::FreezeRecord> FreezeAccount(
      const Principal& caller, const v1::FreezeAccountRequest& request) = 0;
};

}  // namespace sentinel::freeze

#endif  // SENTINEL_FREEZE_ACCOUNT_FREEZER_H_
