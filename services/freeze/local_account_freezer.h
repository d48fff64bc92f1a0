// Freezing accounts through the freeze domain in the same process
// (sentineld): the in-process counterpart of FreezeServiceClient.
#ifndef SENTINEL_SERVICES_FREEZE_LOCAL_ACCOUNT_FREEZER_H_
#define SENTINEL_SERVICES_FREEZE_LOCAL_ACCOUNT_FREEZER_H_

#include "freeze/account_freezer.h"
#include "freeze/freeze_manager.h"

namespace sentinel::services {

class LocalAccountFreezer final : public freeze::AccountFreezer {
 public:
  // `freezes` must outlive this.
  explicit LocalAccountFreezer(freeze::FreezeManager& freezes)
      : freezes_(freezes) {}

  absl::StatusOr<v1::FreezeRecord> FreezeAccount(
      const Principal& caller,
      const v1::FreezeAccountRequest& request) override {
    return freezes_.FreezeAccount(caller, request);
  }

 private:
  freeze::FreezeManager& freezes_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_FREEZE_LOCAL_ACCOUNT_FREEZER_H_
