#include "client/freeze_replica.h"

#include <atomic>
#include <mutex>

#include "common/time_util.h"

namespace sentinel::client {
namespace {

// Holds every slot of a replica exclusively, in slot order.
template <typename Slots>
class AllSlotsLock {
 public:
  explicit AllSlotsLock(Slots& slots) : slots_(slots) {
    for (auto& slot : slots_) slot.mu.lock();
  }
  ~AllSlotsLock() {
    for (auto it = slots_.rbegin(); it != slots_.rend(); ++it) it->mu.unlock();
  }

 private:
  Slots& slots_;
};

}  // namespace

std::vector<v1::FreezeScope> AccountRestriction::Scopes() const {
  std::vector<v1::FreezeScope> scopes;
  for (int scope = v1::FreezeScope_MIN; scope <= v1::FreezeScope_MAX; ++scope) {
    if (Freezes(static_cast<v1::FreezeScope>(scope))) {
      scopes.push_back(static_cast<v1::FreezeScope>(scope));
    }
  }
  return scopes;
}

const FreezeReplica::Slot& FreezeReplica::ReaderSlot() const {
  static std::atomic<size_t> next_slot{0};
  thread_local const size_t slot =
      next_slot.fetch_add(1, std::memory_order_relaxed) % kSlots;
  return slots_[slot];
}

void FreezeReplica::Apply(const v1::FreezeEvent& event) {
  if (event.account_id().empty()) return;
  AccountRestriction restriction;
  for (int scope : event.effective_scopes()) {
    if (scope > 0 && scope < 32) restriction.scope_bits |= 1u << scope;
  }
  if (event.has_withdrawals_held_until()) {
    restriction.held_until = FromProtoTime(event.withdrawals_held_until());
  }
  AllSlotsLock lock(slots_);
  if (restriction.scope_bits == 0 &&
      restriction.held_until == absl::InfinitePast()) {
    accounts_.erase(event.account_id());
  } else {
    accounts_.insert_or_assign(event.account_id(), restriction);
  }
}

std::optional<AccountRestriction> FreezeReplica::Find(
    absl::string_view account_id) const {
  std::shared_lock lock(ReaderSlot().mu);
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

bool FreezeReplica::Blocks(absl::string_view account_id, v1::FreezeScope action,
                           absl::Time now) const {
  std::shared_lock lock(ReaderSlot().mu);
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) return false;
  const AccountRestriction& restriction = it->second;
  return restriction.Freezes(action) ||
         (action == v1::FREEZE_SCOPE_WITHDRAW && now < restriction.held_until);
}

size_t FreezeReplica::size() const {
  std::shared_lock lock(ReaderSlot().mu);
  return accounts_.size();
}

}  // namespace sentinel::client
