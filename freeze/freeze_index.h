// The in-memory view of every account's restrictions: active freezes and
// withdrawal holds. It answers CheckAccounts, GetFreezeState and
// ListFrozenAccounts without touching disk, and is rebuilt from the store at
// start.
//
// Not thread-safe: FreezeManager guards it with a reader/writer lock.
#ifndef SENTINEL_FREEZE_FREEZE_INDEX_H_
#define SENTINEL_FREEZE_FREEZE_INDEX_H_

#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "freeze/scope_set.h"
#include "sentinel/v1/freeze.pb.h"

namespace sentinel::freeze {

class FreezeIndex final {
 public:
  // Adds or replaces (by freeze_id) an ACTIVE freeze.
  void PutActive(const v1::FreezeRecord& record);
  // Removes an active freeze; no-op when absent.
  void RemoveActive(absl::string_view account_id, absl::string_view freeze_id);
  // Holds withdrawals of `account_id` until `until`.
  void SetHold(absl::string_view account_id, absl::Time until);

  // The active freeze with this id on this account, or nullptr.
  const v1::FreezeRecord* FindActive(absl::string_view account_id,
                                     absl::string_view freeze_id) const;
  // Union of the account's active freezes' scopes, leaving out the freeze
  // `excluded_freeze_id` when it is given.
  ScopeSet EffectiveScopes(absl::string_view account_id,
                           absl::string_view excluded_freeze_id = "") const;
  // The active freezes with an unfreeze request pending (unfreeze_request_id
  // set), in account order: where expired requests are to be found.
  std::vector<v1::FreezeRecord> WithPendingRequests() const;
  // The account's withdrawal hold end, or InfinitePast when none was set.
  absl::Time Hold(absl::string_view account_id) const;

  // Whether `action` is allowed on `account_id` at `now`, and why not.
  v1::AccountCheck Check(const std::string& account_id, v1::FreezeScope action,
                         absl::Time now) const;
  // The same, written into `*check` (which may live on an arena; it must be
  // empty).
  void CheckInto(const std::string& account_id, v1::FreezeScope action,
                 absl::Time now, v1::AccountCheck* check) const;

  // The account's restrictions at `now`; empty for unknown accounts.
  v1::AccountFreezeState State(absl::string_view account_id,
                               absl::Time now) const;

  // Up to `limit` accounts after `after_account` (in id order) that have an
  // active freeze or a hold in force at `now`; with `incident_id` set, only
  // accounts with an active freeze linked to that incident. `*more` says
  // whether any such account follows the page.
  std::vector<v1::AccountFreezeState> ListRestricted(
      absl::string_view after_account, size_t limit, absl::Time now,
      absl::string_view incident_id, bool* more) const;

 private:
  struct AccountEntry {
    std::vector<v1::FreezeRecord> active;  // oldest first
    absl::Time withdrawals_held_until = absl::InfinitePast();
  };

  static bool IsRestricted(const AccountEntry& entry, absl::Time now);
  static v1::AccountFreezeState ToState(absl::string_view account_id,
                                        const AccountEntry& entry,
                                        absl::Time now);

  absl::btree_map<std::string, AccountEntry, std::less<>> accounts_;
};

}  // namespace sentinel::freeze

#endif  // SENTINEL_FREEZE_FREEZE_INDEX_H_
