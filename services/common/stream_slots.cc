#include "services/common/stream_slots.h"

#include <algorithm>
#include <utility>

namespace sentinel::services {

StreamSlots::StreamSlots(size_t max, size_t max_per_person)
    : max_(max),
      max_per_person_(
          std::clamp<size_t>(max_per_person, 1, std::max<size_t>(max, 1))) {}

bool StreamSlots::TryTake(const Principal& holder) {
  absl::MutexLock lock(&mu_);
  if (taken_ >= max_) return false;
  size_t& held = taken_by_[holder.PersonId()];
  if (held >= max_per_person_) return false;
  ++held;
  ++taken_;
  return true;
}

void StreamSlots::Give(const Principal& holder) {
  absl::MutexLock lock(&mu_);
  auto it = taken_by_.find(holder.PersonId());
  if (it == taken_by_.end() || it->second == 0) return;
  if (--it->second == 0) taken_by_.erase(it);
  --taken_;
}

std::shared_ptr<const void> StreamSlots::TakeShared(const Principal& holder) {
  class Held final {
   public:
    Held(StreamSlots& slots, Principal holder)
        : slots_(slots), holder_(std::move(holder)) {}
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;
    ~Held() { slots_.Give(holder_); }

   private:
    StreamSlots& slots_;
    const Principal holder_;
  };
  if (!TryTake(holder)) return nullptr;
  return std::make_shared<const Held>(*this, holder);
}

}  // namespace sentinel::services
