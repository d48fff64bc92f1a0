#include "incident/incident_manager.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "audit/audit_entries.h"
#include "common/idempotency_scope.h"
#include "common/paging.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "incident/incident_access.h"
#include "incident/incident_audit_entry.h"
#include "incident/incident_validation.h"
#include "incident/triage.h"
#include "redaction/secret_redactor.h"

namespace sentinel::incident {

using redaction::Redaction;
using redaction::RedactSecrets;

namespace {

std::string FoldKeyOf(absl::string_view account_id, int category) {
  return absl::StrCat("fold:", account_id, "/", category);
}

std::string IdKey(absl::string_view incident_id) {
  return absl::StrCat("id:", incident_id);
}

// The summary view sent by listings: no history, folds or evidence.
v1::Incident Summary(v1::Incident incident) {
  incident.clear_history();
  incident.clear_folded_reports();
  incident.clear_evidence();
  return incident;
}

}  // namespace

absl::StatusOr<std::unique_ptr<IncidentManager>> IncidentManager::Create(
    IncidentStore& store, ProtectiveFreezer& freezer, const Clock& clock,
    SlaPolicy sla, EvidenceLimits evidence_limits) {
  SENTINEL_ASSIGN_OR_RETURN(uint64_t last_number, store.LastNumber());
  SENTINEL_ASSIGN_OR_RETURN(uint64_t last_version, store.LastEventVersion());
  std::unique_ptr<IncidentManager> manager(new IncidentManager(
      store, freezer, clock, std::move(sla), std::move(evidence_limits),
      last_number, last_version));
  std::vector<v1::Incident> open;
  SENTINEL_RETURN_IF_ERROR(store.ForEachOpen(
      [&open](v1::Incident incident) { open.push_back(std::move(incident)); }));
  for (const v1::Incident& incident : open) manager->Apply(incident);
  return manager;
}

IncidentManager::IncidentManager(IncidentStore& store,
                                 ProtectiveFreezer& freezer, const Clock& clock,
                                 SlaPolicy sla, EvidenceLimits evidence_limits,
                                 uint64_t last_number, uint64_t last_version)
    : store_(store),
      freezer_(freezer),
      clock_(clock),
      sla_(std::move(sla)),
      evidence_limits_(std::move(evidence_limits)),
      feed_(last_version, kMaxIncidentWatchLag),
      versions_(feed_, last_version),
      numbers_(store, last_number) {}

void IncidentManager::HoldLocked(const std::string& key) {
  while (held_.contains(key)) released_.Wait(&mu_);
  held_.insert(key);
}

void IncidentManager::Hold(const std::string& key) {
  absl::MutexLock lock(&mu_);
  HoldLocked(key);
}

void IncidentManager::Release(const std::string& key) {
  absl::MutexLock lock(&mu_);
  held_.erase(key);
  released_.SignalAll();
}

void IncidentManager::Apply(const v1::Incident& incident) {
  absl::MutexLock lock(&mu_);
  const std::string fold_key =
      FoldKeyOf(incident.account_id(), incident.category());
  if (IsOpen(incident.status())) {
    open_[incident.incident_id()] = incident;
    if (IsEmergency(incident.priority())) {
      open_p0_[fold_key] = incident.incident_id();
    }
    if (incident.freeze_failed()) {
      freeze_failed_.insert(incident.incident_id());
    } else {
      freeze_failed_.erase(incident.incident_id());
    }
    return;
  }
  open_.erase(incident.incident_id());
  freeze_failed_.erase(incident.incident_id());
  auto it = open_p0_.find(fold_key);
  if (it != open_p0_.end() && it->second == incident.incident_id()) {
    open_p0_.erase(it);
  }
}

absl::StatusOr<v1::Incident> IncidentManager::Load(
    const std::string& incident_id) const {
  {
    absl::MutexLock lock(&mu_);
    auto it = open_.find(incident_id);
    if (it != open_.end()) return it->second;
  }
  SENTINEL_ASSIGN_OR_RETURN(std::optional<v1::Incident> stored,
                            store_.Find(incident_id));
  if (!stored.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("incident_id: no incident ", incident_id));
  }
  return *std::move(stored);
}

absl::Status IncidentManager::Commit(const Principal& caller,
                                     absl::string_view action,
                                     v1::IncidentEventKind kind,
                                     const std::optional<v1::Incident>& before,
                                     v1::Incident& after,
                                     std::string idempotency_key,
                                     std::optional<EvidenceContent> evidence) {
  const uint64_t version = versions_.Reserve();
  after.set_version(version);
  IncidentChange change;
  change.before = before;
  change.after = after;
  change.idempotency_key = std::move(idempotency_key);
  change.evidence = std::move(evidence);
  change.urgent = IsEmergency(after.priority());
  change.event.set_version(version);
  change.event.set_kind(kind);
  *change.event.mutable_incident() = Summary(after);
  *change.event.mutable_time() = after.updated_at();
  change.event.set_actor(caller.ToString());
  const v1::Incident* before_pointer = before.has_value() ? &*before : nullptr;
  absl::StatusOr<v1::AuditEntry> entry =
      IncidentAuditEntry(caller, clock_.Now(), action, before_pointer, after);
  absl::Status committed = entry.status();
  if (committed.ok()) {
    change.audit = *std::move(entry);
    committed = store_.Commit(change);
  }
  versions_.Finish(version);
  return committed;
}

void IncidentManager::ProtectiveFreeze(v1::Incident& incident) {
  // For whoever first reported the incident: a retry (a folded report, or
  // RetryFailedFreezes) is then the same request, and the freeze's
  // idempotency returns the freeze an earlier attempt made but never heard
  // back from.
  absl::StatusOr<Principal> reporter =
      ParsePrincipalShort(incident.reported_by());
  if (!reporter.ok()) {
    incident.set_freeze_failed(true);
    incident.set_freeze_error(
        absl::StrCat("reported_by: ", reporter.status().message()));
    return;
  }
  absl::StatusOr<std::string> freeze_id = freezer_.Freeze(*reporter, incident);
  if (freeze_id.ok()) {
    incident.set_protective_freeze_id(*freeze_id);
    incident.set_freeze_failed(false);
    incident.clear_freeze_error();
  } else {
    incident.set_freeze_failed(true);
    incident.set_freeze_error(std::string(freeze_id.status().message()));
  }
}

absl::StatusOr<v1::Incident> IncidentManager::Report(
    const Principal& caller, const v1::ReportIncidentRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateReport(request));
  Redaction redaction = RedactSecrets(request.description());
  const Triage triage = TriageReport(request.category(), request.vip_level());

  std::vector<std::string> held;
  const auto release_all = [&] {
    for (const std::string& key : held) Release(key);
  };
  std::string idempotency_key;
  if (!request.idempotency_key().empty()) {
    SENTINEL_ASSIGN_OR_RETURN(idempotency_key,
                              ScopedIdempotencyKey(caller, "idempotency_key",
                                                   request.idempotency_key()));
    held.push_back(absl::StrCat("key:", idempotency_key));
    Hold(held.back());
    absl::StatusOr<std::optional<std::string>> existing =
        store_.FindIdempotencyKey(idempotency_key);
    if (!existing.ok() || existing->has_value()) {
      release_all();
      if (!existing.ok()) return existing.status();
      return Replay(request, redaction.text, **existing);
    }
  }
  std::optional<std::string> fold_target;
  if (IsEmergency(triage.priority)) {
    held.push_back(FoldKeyOf(request.account_id(), request.category()));
    absl::MutexLock lock(&mu_);
    HoldLocked(held.back());
    auto it = open_p0_.find(held.back());
    if (it != open_p0_.end()) fold_target = it->second;
  }
  absl::StatusOr<v1::Incident> result =
      fold_target.has_value()
          ? Fold(caller, request, idempotency_key, std::move(redaction.text),
                 redaction.count, *fold_target)
          : Create(caller, request, idempotency_key, std::move(redaction.text),
                   redaction.count);
  release_all();
  return result;
}

absl::StatusOr<v1::Incident> IncidentManager::Replay(
    const v1::ReportIncidentRequest& request, const std::string& redacted,
    const std::string& incident_id) const {
  SENTINEL_ASSIGN_OR_RETURN(v1::Incident incident, Load(incident_id));
  const bool same = incident.account_id() == request.account_id() &&
                    incident.category() == request.category() &&
                    incident.channel() == request.channel() &&
                    incident.vip_level() == request.vip_level() &&
                    (incident.description() == redacted ||
                     std::any_of(incident.folded_reports().begin(),
                                 incident.folded_reports().end(),
                                 [&](const v1::FoldedReport& folded) {
                                   return folded.idempotency_key() ==
                                          request.idempotency_key();
                                 }));
  if (!same) {
    return absl::AlreadyExistsError(absl::StrCat(
        "idempotency_key: already used by incident ", incident_id,
        " for a different report; use a new key for a new report"));
  }
  incident.set_report_outcome(v1::REPORT_OUTCOME_REPLAYED);
  sla_.Stamp(incident, clock_.Now());
  return incident;
}

absl::StatusOr<v1::Incident> IncidentManager::Create(
    const Principal& caller, const v1::ReportIncidentRequest& request,
    const std::string& idempotency_key, std::string description,
    int redactions) {
  SENTINEL_ASSIGN_OR_RETURN(const uint64_t number, numbers_.Next());
  const absl::Time now = clock_.Now();
  const Triage triage = TriageReport(request.category(), request.vip_level());
  v1::Incident incident;
  incident.set_incident_id(IncidentId(number));
  incident.set_account_id(request.account_id());
  incident.set_category(request.category());
  incident.set_priority(triage.priority);
  incident.set_priority_raised_for_vip(triage.raised_for_vip);
  incident.set_status(v1::INCIDENT_STATUS_NEW);
  incident.set_description(std::move(description));
  incident.set_redactions(redactions);
  incident.set_channel(request.channel());
  incident.set_vip_level(request.vip_level());
  incident.set_reported_by(caller.ToString());
  *incident.mutable_created_at() = ToProtoTime(now);
  *incident.mutable_updated_at() = ToProtoTime(now);
  *incident.mutable_last_reported_at() = ToProtoTime(now);
  incident.set_occurrence_count(1);
  v1::StatusChange& change = *incident.add_history();
  change.set_to_status(v1::INCIDENT_STATUS_NEW);
  change.set_actor(caller.ToString());
  *change.mutable_time() = ToProtoTime(now);
  change.set_note("reported");
  sla_.Stamp(incident, now);
  // The freeze is durable before the incident is: a crash in between leaves
  // the account frozen (the safe side) with the incident id in its record,
  // an id the number lease keeps from being given to another incident.
  if (IsEmergency(incident.priority())) ProtectiveFreeze(incident);

  const std::string id_key = IdKey(incident.incident_id());
  Hold(id_key);
  const absl::Status committed = Commit(
      caller, "IncidentService.ReportIncident", v1::INCIDENT_EVENT_KIND_CREATED,
      std::nullopt, incident, idempotency_key);
  if (committed.ok()) Apply(incident);
  Release(id_key);
  SENTINEL_RETURN_IF_ERROR(committed);
  incident.set_report_outcome(v1::REPORT_OUTCOME_CREATED);
  return incident;
}

absl::StatusOr<v1::Incident> IncidentManager::Fold(
    const Principal& caller, const v1::ReportIncidentRequest& request,
    const std::string& idempotency_key, std::string description, int redactions,
    const std::string& incident_id) {
  const std::string id_key = IdKey(incident_id);
  Hold(id_key);
  absl::StatusOr<v1::Incident> before = Load(incident_id);
  if (!before.ok()) {
    Release(id_key);
    return before.status();
  }
  if (!IsOpen(before->status())) {
    // Resolved while this report waited for it: open a new incident.
    Release(id_key);
    return Create(caller, request, idempotency_key, std::move(description),
                  redactions);
  }
  const absl::Time now = clock_.Now();
  v1::Incident incident = *before;
  incident.set_occurrence_count(incident.occurrence_count() + 1);
  *incident.mutable_last_reported_at() = ToProtoTime(now);
  *incident.mutable_updated_at() = ToProtoTime(now);
  if (incident.folded_reports_size() < kMaxFoldedReports) {
    v1::FoldedReport& folded = *incident.add_folded_reports();
    folded.set_reported_by(caller.ToString());
    folded.set_channel(request.channel());
    *folded.mutable_time() = ToProtoTime(now);
    folded.set_description(std::move(description));
    folded.set_redactions(redactions);
    folded.set_idempotency_key(request.idempotency_key());
  }
  if (incident.freeze_failed()) ProtectiveFreeze(incident);
  sla_.Stamp(incident, now);
  const absl::Status committed = Commit(
      caller, "IncidentService.ReportIncident", v1::INCIDENT_EVENT_KIND_FOLDED,
      *before, incident, idempotency_key);
  if (committed.ok()) Apply(incident);
  Release(id_key);
  SENTINEL_RETURN_IF_ERROR(committed);
  incident.set_report_outcome(v1::REPORT_OUTCOME_FOLDED);
  return incident;
}

absl::StatusOr<int> IncidentManager::RetryFailedFreezes(
    const Principal& retrier) {
  std::vector<std::string> waiting;
  {
    absl::MutexLock lock(&mu_);
    waiting.assign(freeze_failed_.begin(), freeze_failed_.end());
  }
  std::sort(waiting.begin(), waiting.end());
  int frozen = 0;
  for (const std::string& incident_id : waiting) {
    const std::string id_key = IdKey(incident_id);
    Hold(id_key);
    absl::StatusOr<v1::Incident> before = Load(incident_id);
    if (!before.ok() || !IsOpen(before->status()) || !before->freeze_failed()) {
      Release(id_key);  // closed, or frozen by a folded report meanwhile
      continue;
    }
    v1::Incident incident = *before;
    ProtectiveFreeze(incident);
    if (incident.freeze_failed()) {
      // Still failing; every other waiting incident is still tried, so one
      // freeze that keeps failing never holds back the rest.
      Release(id_key);
      continue;
    }
    *incident.mutable_updated_at() = ToProtoTime(clock_.Now());
    const absl::Status committed =
        Commit(retrier, "IncidentService.RetryProtectiveFreeze",
               v1::INCIDENT_EVENT_KIND_PROTECTIVE_FREEZE_RETRIED, *before,
               incident, "");
    if (committed.ok()) Apply(incident);
    Release(id_key);
    SENTINEL_RETURN_IF_ERROR(committed);
    ++frozen;
  }
  return frozen;
}

bool IncidentManager::HasFailedFreezes() const {
  absl::MutexLock lock(&mu_);
  return !freeze_failed_.empty();
}

absl::StatusOr<v1::Incident> IncidentManager::Get(
    const v1::GetIncidentRequest& request) const {
  SENTINEL_RETURN_IF_ERROR(
      ValidateIncidentId("incident_id", request.incident_id()));
  SENTINEL_ASSIGN_OR_RETURN(v1::Incident incident, Load(request.incident_id()));
  sla_.Stamp(incident, clock_.Now());
  return incident;
}

absl::StatusOr<v1::ListIncidentsResponse> IncidentManager::List(
    const v1::ListIncidentsRequest& request) const {
  SENTINEL_ASSIGN_OR_RETURN(
      size_t page_size,
      PageSize("page_size", request.page_size(), kDefaultIncidentPageSize,
               kMaxIncidentPageSize));
  SENTINEL_ASSIGN_OR_RETURN(
      uint64_t before, ParseNumberPageToken("before", request.page_token()));
  IncidentFilter filter;
  filter.status = request.status();
  filter.priority = request.priority();
  filter.account_id = request.account_id();
  filter.assignee = request.assignee();
  uint64_t next = 0;
  SENTINEL_ASSIGN_OR_RETURN(
      std::vector<v1::Incident> page,
      store_.List(filter, before, page_size, /*scan_budget=*/10000, &next));
  v1::ListIncidentsResponse response;
  const absl::Time now = clock_.Now();
  for (v1::Incident& incident : page) {
    sla_.Stamp(incident, now);
    *response.add_incidents() = Summary(std::move(incident));
  }
  if (next != 0) response.set_next_page_token(NumberPageToken("before", next));
  return response;
}

absl::StatusOr<v1::Incident> IncidentManager::ClaimNext(
    const Principal& caller) {
  const absl::Time now = clock_.Now();
  std::optional<v1::Incident> chosen;
  {
    absl::MutexLock lock(&mu_);
    // Most urgent first: priority, then the running deadline, then age.
    auto urgency = [&](const v1::Incident& incident) {
      const ClockReading clock = incident.status() == v1::INCIDENT_STATUS_NEW
                                     ? sla_.AcknowledgeClock(incident, now)
                                     : sla_.ResolveClock(incident, now);
      return std::make_tuple(
          static_cast<int>(incident.priority()), clock.due,
          ParseIncidentId(incident.incident_id()).value_or(0));
    };
    for (const auto& [id, incident] : open_) {
      const bool claimable =
          incident.assignee().empty() && !held_.contains(IdKey(id)) &&
          (incident.status() == v1::INCIDENT_STATUS_NEW ||
           incident.status() == v1::INCIDENT_STATUS_ACKNOWLEDGED ||
           incident.status() == v1::INCIDENT_STATUS_INVESTIGATING);
      if (claimable &&
          (!chosen.has_value() || urgency(incident) < urgency(*chosen))) {
        chosen = incident;
      }
    }
    if (!chosen.has_value()) {
      return absl::NotFoundError("no unclaimed incident is waiting");
    }
    held_.insert(IdKey(chosen->incident_id()));
  }
  const v1::Incident before = *chosen;
  v1::Incident& incident = *chosen;
  incident.set_assignee(caller.ToString());
  *incident.mutable_claimed_at() = ToProtoTime(now);
  *incident.mutable_updated_at() = ToProtoTime(now);
  sla_.Stamp(incident, now);
  const absl::Status committed =
      Commit(caller, "IncidentService.ClaimNextIncident",
             v1::INCIDENT_EVENT_KIND_CLAIMED, before, incident, "");
  if (committed.ok()) Apply(incident);
  Release(IdKey(incident.incident_id()));
  SENTINEL_RETURN_IF_ERROR(committed);
  return incident;
}

absl::StatusOr<v1::Incident> IncidentManager::UpdateStatus(
    const Principal& caller, const v1::UpdateIncidentStatusRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateStatusUpdate(request));
  const std::string id_key = IdKey(request.incident_id());
  Hold(id_key);
  absl::StatusOr<v1::Incident> result = [&]() -> absl::StatusOr<v1::Incident> {
    SENTINEL_ASSIGN_OR_RETURN(v1::Incident before, Load(request.incident_id()));
    SENTINEL_RETURN_IF_ERROR(CheckMayChange(caller, before));
    SENTINEL_RETURN_IF_ERROR(
        CheckTransition(before.status(), request.status()));
    if (before.history_size() >= kMaxHistory) {
      return absl::FailedPreconditionError(
          absl::StrCat("incident ", before.incident_id(),
                       " has the maximum of ", kMaxHistory, " status changes"));
    }
    const absl::Time now = clock_.Now();
    Redaction note = RedactSecrets(request.note());
    v1::Incident incident = before;
    v1::StatusChange& change = *incident.add_history();
    change.set_from_status(before.status());
    change.set_to_status(request.status());
    change.set_actor(caller.ToString());
    *change.mutable_time() = ToProtoTime(now);
    change.set_note(std::move(note.text));
    incident.set_redactions(incident.redactions() + note.count);
    incident.set_status(request.status());
    if (before.status() == v1::INCIDENT_STATUS_WAITING_ON_USER) {
      const absl::Duration paused =
          now - FromProtoTime(before.sla_paused_since());
      *incident.mutable_sla_paused_total() = ToProtoDuration(
          FromProtoDuration(before.sla_paused_total()) + paused);
      incident.set_sla_paused(false);
      incident.clear_sla_paused_since();
    }
    switch (request.status()) {
      case v1::INCIDENT_STATUS_ACKNOWLEDGED:
        *incident.mutable_acknowledged_at() = ToProtoTime(now);
        break;
      case v1::INCIDENT_STATUS_WAITING_ON_USER:
        incident.set_sla_paused(true);
        *incident.mutable_sla_paused_since() = ToProtoTime(now);
        break;
      case v1::INCIDENT_STATUS_RESOLVED:
        *incident.mutable_resolved_at() = ToProtoTime(now);
        break;
      case v1::INCIDENT_STATUS_CLOSED:
        *incident.mutable_closed_at() = ToProtoTime(now);
        break;
      default:
        break;
    }
    *incident.mutable_updated_at() = ToProtoTime(now);
    sla_.Stamp(incident, now);
    SENTINEL_RETURN_IF_ERROR(
        Commit(caller, "IncidentService.UpdateIncidentStatus",
               v1::INCIDENT_EVENT_KIND_STATUS_CHANGED, before, incident, ""));
    Apply(incident);
    return incident;
  }();
  Release(id_key);
  return result;
}

absl::StatusOr<v1::ListSlaBreachesResponse> IncidentManager::ListSlaBreaches(
    const v1::ListSlaBreachesRequest& request) const {
  SENTINEL_ASSIGN_OR_RETURN(
      size_t page_size,
      PageSize("page_size", request.page_size(), kDefaultIncidentPageSize,
               kMaxIncidentPageSize));
  SENTINEL_ASSIGN_OR_RETURN(
      uint64_t offset, ParseNumberPageToken("offset", request.page_token()));
  SENTINEL_RETURN_IF_ERROR(
      ValidatePriorities("priorities", request.priorities()));
  const absl::Time now = clock_.Now();
  std::vector<v1::SlaBreach> breaches;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, stored] : open_) {
      if (!request.priorities().empty() &&
          std::find(request.priorities().begin(), request.priorities().end(),
                    stored.priority()) == request.priorities().end()) {
        continue;
      }
      v1::Incident incident = stored;
      sla_.Stamp(incident, now);
      const auto consider = [&](v1::SlaClock which, const ClockReading& clock) {
        if (!clock.running) return;
        const bool breached = clock.state == v1::SLA_STATE_BREACHED;
        if (!breached &&
            (request.breached_only() || clock.state != v1::SLA_STATE_AT_RISK)) {
          return;
        }
        v1::SlaBreach& breach = breaches.emplace_back();
        *breach.mutable_incident() = Summary(incident);
        breach.set_clock(which);
        breach.set_state(clock.state);
        *breach.mutable_due() = ToProtoTime(clock.due);
        breach.set_elapsed_permille(static_cast<int32_t>(
            std::min<int64_t>(clock.elapsed_permille, INT32_MAX)));
      };
      if (incident.status() == v1::INCIDENT_STATUS_NEW) {
        consider(v1::SLA_CLOCK_ACKNOWLEDGE,
                 sla_.AcknowledgeClock(incident, now));
      }
      consider(v1::SLA_CLOCK_RESOLVE, sla_.ResolveClock(incident, now));
    }
  }
  std::sort(breaches.begin(), breaches.end(),
            [](const v1::SlaBreach& a, const v1::SlaBreach& b) {
              const bool a_breached = a.state() == v1::SLA_STATE_BREACHED;
              const bool b_breached = b.state() == v1::SLA_STATE_BREACHED;
              if (a_breached != b_breached) return a_breached;
              return std::make_tuple(FromProtoTime(a.due()),
                                     a.incident().incident_id(), a.clock()) <
                     std::make_tuple(FromProtoTime(b.due()),
                                     b.incident().incident_id(), b.clock());
            });
  v1::ListSlaBreachesResponse response;
  *response.mutable_as_of() = ToProtoTime(now);
  for (uint64_t i = offset; i < breaches.size() && i < offset + page_size;
       ++i) {
    *response.add_breaches() = std::move(breaches[i]);
  }
  if (offset + page_size < breaches.size()) {
    response.set_next_page_token(NumberPageToken("offset", offset + page_size));
  }
  return response;
}

absl::StatusOr<v1::Evidence> IncidentManager::AddEvidence(
    const Principal& caller, EvidenceUpload upload) {
  // The file name is typed by a person, so it is redacted whatever the
  // content; the content only when it is text (binary content is stored as
  // uploaded and marked NOT_SCANNED).
  Redaction file_name = RedactSecrets(upload.file_name);
  upload.file_name = std::move(file_name.text);
  int redactions = file_name.count;
  v1::EvidenceScan scan = v1::EVIDENCE_SCAN_NOT_SCANNED;
  if (IsTextContent(upload.content_type)) {
    Redaction redaction = RedactSecrets(upload.data);
    upload.data = std::move(redaction.text);
    redactions += redaction.count;
    scan = v1::EVIDENCE_SCAN_REDACTED;
  }
  EvidenceContent content{.address = ContentAddress(upload.data),
                          .data = std::move(upload.data)};
  const std::string id_key = IdKey(upload.incident_id);
  Hold(id_key);
  absl::StatusOr<v1::Evidence> result = [&]() -> absl::StatusOr<v1::Evidence> {
    SENTINEL_ASSIGN_OR_RETURN(v1::Incident before, Load(upload.incident_id));
    SENTINEL_RETURN_IF_ERROR(CheckMayChange(caller, before));
    if (before.status() == v1::INCIDENT_STATUS_CLOSED) {
      return absl::FailedPreconditionError(
          absl::StrCat("incident ", before.incident_id(),
                       " is CLOSED; evidence can no longer be added"));
    }
    if (before.evidence_count() >= kMaxEvidenceFiles) {
      return absl::FailedPreconditionError(absl::StrCat(
          "incident ", before.incident_id(), " has the maximum of ",
          kMaxEvidenceFiles, " evidence files"));
    }
    const absl::Time now = clock_.Now();
    v1::Incident incident = before;
    v1::Evidence& evidence = *incident.add_evidence();
    evidence.set_evidence_id(EvidenceId(before.evidence_count() + 1));
    evidence.set_incident_id(before.incident_id());
    evidence.set_file_name(std::move(upload.file_name));
    evidence.set_content_type(std::move(upload.content_type));
    evidence.set_size_bytes(static_cast<int64_t>(content.data.size()));
    evidence.set_sha256(content.address);
    evidence.set_uploaded_by(caller.ToString());
    *evidence.mutable_uploaded_at() = ToProtoTime(now);
    evidence.set_redactions(redactions);
    evidence.set_scan(scan);
    incident.set_evidence_count(before.evidence_count() + 1);
    *incident.mutable_updated_at() = ToProtoTime(now);
    sla_.Stamp(incident, now);
    SENTINEL_RETURN_IF_ERROR(Commit(caller, "IncidentService.AddEvidence",
                                    v1::INCIDENT_EVENT_KIND_EVIDENCE_ADDED,
                                    before, incident, "", std::move(content)));
    Apply(incident);
    return incident.evidence(incident.evidence_size() - 1);
  }();
  Release(id_key);
  return result;
}

absl::StatusOr<v1::Evidence> IncidentManager::OpenEvidence(
    const Principal& caller, const v1::ReadEvidenceRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateReadEvidence(request));
  SENTINEL_ASSIGN_OR_RETURN(v1::Incident incident, Load(request.incident_id()));
  v1::Evidence found;
  const absl::Status outcome = [&]() -> absl::Status {
    const bool permitted =
        caller.role == v1::ROLE_SECURITY || caller.role == v1::ROLE_ADMIN ||
        (caller.role == v1::ROLE_AGENT && IsAssignedTo(incident, caller));
    if (!permitted) {
      return absl::PermissionDeniedError(absl::StrCat(
          caller.ToString(), " may not read the evidence of ",
          incident.incident_id(),
          caller.role == v1::ROLE_AGENT
              ? ": agents read only the evidence of incidents assigned to them"
              : ": only security, admin and the assigned agent may"));
    }
    for (const v1::Evidence& evidence : incident.evidence()) {
      if (evidence.evidence_id() == request.evidence_id()) {
        found = evidence;
        return absl::OkStatus();
      }
    }
    return absl::NotFoundError(
        absl::StrCat("evidence_id: ", incident.incident_id(), " has no ",
                     request.evidence_id()));
  }();
  SENTINEL_RETURN_IF_ERROR(
      RecordEvidenceRead(caller, request, incident.account_id(), outcome));
  SENTINEL_RETURN_IF_ERROR(outcome);
  return found;
}

absl::Status IncidentManager::RecordEvidenceRead(
    const Principal& caller, const v1::ReadEvidenceRequest& request,
    const std::string& account_id, const absl::Status& outcome) {
  v1::AuditSubject subject;
  subject.set_account_id(account_id);
  subject.set_incident_id(request.incident_id());
  absl::StatusOr<v1::AuditEntry> entry =
      audit::ChangeEntry(caller, clock_.Now(), "IncidentService.ReadEvidence",
                         std::move(subject), {.parameters = &request});
  absl::Status recorded = entry.status();
  if (recorded.ok()) {
    entry->mutable_outcome()->set_code(static_cast<int32_t>(outcome.code()));
    entry->mutable_outcome()->set_message(std::string(outcome.message()));
    recorded = store_.RecordAccess(*entry);
  }
  if (!recorded.ok()) {
    return absl::UnavailableError(
        "this evidence read could not be recorded in the audit log, so it is "
        "refused; retry later");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> IncidentManager::ReadEvidencePart(
    const v1::Evidence& evidence, uint64_t part) const {
  return store_.ReadEvidencePart(evidence.sha256(), part);
}

absl::StatusOr<std::unique_ptr<LogSubscription<v1::IncidentEvent>>>
IncidentManager::Subscribe(const v1::WatchIncidentsRequest& request) {
  SENTINEL_RETURN_IF_ERROR(
      ValidatePriorities("priorities", request.priorities()));
  LogSubscription<v1::IncidentEvent>::Keep keep;
  if (!request.priorities().empty()) {
    keep = [priorities = request.priorities()](const v1::IncidentEvent& event) {
      return std::find(priorities.begin(), priorities.end(),
                       event.incident().priority()) != priorities.end();
    };
  }
  return std::make_unique<LogSubscription<v1::IncidentEvent>>(
      feed_,
      [this](uint64_t after_version, size_t max) {
        return store_.ReadEvents(after_version, max);
      },
      [](const v1::IncidentEvent& event) { return event.version(); },
      request.from_version(), std::move(keep));
}

}  // namespace sentinel::incident
