// Candidate freezes through the freeze domain in the same process
// (sentineld).
#ifndef SENTINEL_SERVICES_TRACE_LOCAL_CANDIDATE_FREEZER_H_
#define SENTINEL_SERVICES_TRACE_LOCAL_CANDIDATE_FREEZER_H_

#include "freeze/freeze_manager.h"
#include "trace/candidate_freezes.h"

namespace sentinel::services {

class LocalCandidateFreezer final : public trace::CandidateFreezer {
 public:
  // `freezes` must outlive this.
  explicit LocalCandidateFreezer(freeze::FreezeManager& freezes)
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

#endif  // SENTINEL_SERVICES_TRACE_LOCAL_CANDIDATE_FREEZER_H_
