#include "common/server_process.h"

#include "absl/synchronization/mutex.h"

namespace sentinel {

void ConfigureServerProcess() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace sentinel
