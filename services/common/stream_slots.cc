#include "services/common/stream_slots.h"

namespace sentinel::services {

bool StreamSlots::TryTake() {
  size_t taken = taken_.load();
  while (taken < max_) {
    if (taken_.compare_exchange_weak(taken, taken + 1)) return true;
  }
  return false;
}

void StreamSlots::Give() { taken_.fetch_sub(1); }

}  // namespace sentinel::services
