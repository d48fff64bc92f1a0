#include "freeze/freeze_index.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"

namespace sentinel::freeze {

void FreezeIndex::PutActive(const v1::FreezeRecord& record) {
  std::vector<v1::FreezeRecord>& active = accounts_[record.account_id()].active;
  for (v1::FreezeRecord& existing : active) {
    if (existing.freeze_id() == record.freeze_id()) {
      existing = record;
      return;
    }
  }
  active.push_back(record);
}

void FreezeIndex::RemoveActive(absl::string_view account_id,
                               absl::string_view freeze_id) {
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) return;
  std::vector<v1::FreezeRecord>& active = it->second.active;
  active.erase(std::remove_if(active.begin(), active.end(),
                              [&](const v1::FreezeRecord& record) {
                                return record.freeze_id() == freeze_id;
                              }),
               active.end());
}

void FreezeIndex::SetHold(absl::string_view account_id, absl::Time until) {
  accounts_[account_id].withdrawals_held_until = until;
}

const v1::FreezeRecord* FreezeIndex::FindActive(
    absl::string_view account_id, absl::string_view freeze_id) const {
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) return nullptr;
  for (const v1::FreezeRecord& record : it->second.active) {
    if (record.freeze_id() == freeze_id) return &record;
  }
  return nullptr;
}

ScopeSet FreezeIndex::EffectiveScopes(
    absl::string_view account_id, absl::string_view excluded_freeze_id) const {
  ScopeSet scopes;
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) return scopes;
  for (const v1::FreezeRecord& record : it->second.active) {
    if (record.freeze_id() == excluded_freeze_id) continue;
    scopes = scopes.Union(ScopeSet::Of(record.scopes()));
  }
  return scopes;
}

std::vector<v1::FreezeRecord> FreezeIndex::WithPendingRequests() const {
  std::vector<v1::FreezeRecord> found;
  for (const auto& [account, entry] : accounts_) {
    for (const v1::FreezeRecord& record : entry.active) {
      if (!record.unfreeze_request_id().empty()) found.push_back(record);
    }
  }
  return found;
}

absl::Time FreezeIndex::Hold(absl::string_view account_id) const {
  auto it = accounts_.find(account_id);
  return it == accounts_.end() ? absl::InfinitePast()
                               : it->second.withdrawals_held_until;
}

v1::AccountCheck FreezeIndex::Check(const std::string& account_id,
                                    v1::FreezeScope action,
                                    absl::Time now) const {
  v1::AccountCheck check;
  CheckInto(account_id, action, now, &check);
  return check;
}

void FreezeIndex::CheckInto(const std::string& account_id,
                            v1::FreezeScope action, absl::Time now,
                            v1::AccountCheck* check) const {
  check->set_account_id(account_id);
  check->set_allowed(true);
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) return;
  const AccountEntry& entry = it->second;

  std::string blockers;
  for (const v1::FreezeRecord& record : entry.active) {
    if (!ScopeSet::Of(record.scopes()).Contains(action)) continue;
    check->add_freeze_ids(record.freeze_id());
    absl::StrAppend(&blockers, blockers.empty() ? "" : ", ",
                    record.freeze_id());
    if (!record.incident_id().empty()) {
      absl::StrAppend(&blockers, " (incident ", record.incident_id(), ")");
    }
  }
  if (!blockers.empty()) {
    check->set_allowed(false);
    check->set_denial(v1::DENIAL_REASON_FROZEN);
    check->set_reason(
        absl::StrCat("frozen for ", ScopeName(action), " by ", blockers));
    return;
  }
  if (action == v1::FREEZE_SCOPE_WITHDRAW &&
      entry.withdrawals_held_until > now) {
    check->set_allowed(false);
    check->set_denial(v1::DENIAL_REASON_COOLING_OFF);
    *check->mutable_held_until() = ToProtoTime(entry.withdrawals_held_until);
    check->set_reason(absl::StrCat("withdrawals held until ",
                                   FormatUtc(entry.withdrawals_held_until),
                                   " (cooling-off after a freeze was lifted)"));
  }
}

bool FreezeIndex::IsRestricted(const AccountEntry& entry, absl::Time now) {
  return !entry.active.empty() || entry.withdrawals_held_until > now;
}

v1::AccountFreezeState FreezeIndex::ToState(absl::string_view account_id,
                                            const AccountEntry& entry,
                                            absl::Time now) {
  v1::AccountFreezeState state;
  state.set_account_id(std::string(account_id));
  ScopeSet effective;
  for (const v1::FreezeRecord& record : entry.active) {
    *state.add_active_freezes() = record;
    effective = effective.Union(ScopeSet::Of(record.scopes()));
  }
  effective.CopyTo(state.mutable_effective_scopes());
  if (entry.withdrawals_held_until > now) {
    *state.mutable_withdrawals_held_until() =
        ToProtoTime(entry.withdrawals_held_until);
  }
  return state;
}

v1::AccountFreezeState FreezeIndex::State(absl::string_view account_id,
                                          absl::Time now) const {
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) {
    v1::AccountFreezeState state;
    state.set_account_id(std::string(account_id));
    return state;
  }
  return ToState(account_id, it->second, now);
}

std::vector<v1::AccountFreezeState> FreezeIndex::ListRestricted(
    absl::string_view after_account, size_t limit, absl::Time now,
    absl::string_view incident_id, bool* more) const {
  std::vector<v1::AccountFreezeState> page;
  *more = false;
  const auto linked = [incident_id](const AccountEntry& entry) {
    return std::any_of(entry.active.begin(), entry.active.end(),
                       [incident_id](const v1::FreezeRecord& record) {
                         return record.incident_id() == incident_id;
                       });
  };
  for (auto it = accounts_.upper_bound(after_account); it != accounts_.end();
       ++it) {
    if (!IsRestricted(it->second, now)) continue;
    if (!incident_id.empty() && !linked(it->second)) continue;
    if (page.size() == limit) {
      *more = true;
      break;
    }
    page.push_back(ToState(it->first, it->second, now));
  }
  return page;
}

}  // namespace sentinel::freeze
