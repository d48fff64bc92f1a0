// The intake domain: reports, triage, the protective freeze for P0, SLA
// clocks, duplicates, the agent queue and status changes.
//
// Concurrency: no lock is held while anything is written. A write first
// reserves what it will change under a short lock (an incident number, an
// idempotency key, an open P0 fold target, or one incident it updates), then
// freezes and commits durably (group-committed with every other writer), and
// finally applies the result to memory. Two writes to one incident wait for
// each other; writes to different incidents never do, so an emergency report
// never waits behind ordinary tickets.
#ifndef SENTINEL_INCIDENT_INCIDENT_MANAGER_H_
#define SENTINEL_INCIDENT_INCIDENT_MANAGER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/log_feed.h"
#include "common/principal.h"
#include "common/version_sequencer.h"
#include "incident/evidence.h"
#include "incident/incident_numbers.h"
#include "incident/incident_store.h"
#include "incident/protective_freezer.h"
#include "incident/sla_policy.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

// A subscriber falling further behind than this many versions is told to
// resync (WatchIncidents).
inline constexpr uint64_t kMaxIncidentWatchLag = 10000;

// Thread-safe.
class IncidentManager final {
 public:
  // Loads the open incidents from `store`. All arguments must outlive the
  // manager.
  static absl::StatusOr<std::unique_ptr<IncidentManager>> Create(
      IncidentStore& store, ProtectiveFreezer& freezer, const Clock& clock,
      SlaPolicy sla, EvidenceLimits evidence_limits = {});

  // Files a report (see ReportIncident in incident.proto): triage, secret
  // redaction, protective freeze for P0 before the durable commit, retries by
  // idempotency key (REPLAYED), repeated open P0 reports folded (FOLDED).
  // A report with the same key (of the same person) or for the same open
  // P0 as one being written waits for that write, then replays or folds.
  // Errors: kInvalidArgument; kAlreadyExists (key reused for another
  // request); storage errors.
  absl::StatusOr<v1::Incident> Report(const Principal& caller,
                                      const v1::ReportIncidentRequest& request)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Retries the protective freeze of every open incident whose freeze failed
  // (freeze_failed: the freeze service was down or refused), one at a time,
  // as `retrier` (the service itself). Each one that now succeeds is
  // committed as a change of the incident (protective_freeze_id set,
  // freeze_failed cleared; event PROTECTIVE_FREEZE_RETRIED; audit action
  // "IncidentService.RetryProtectiveFreeze"). Each incident is tried on its
  // own: one that fails again never keeps the others from being tried.
  // Returns how many were frozen; storage errors.
  absl::StatusOr<int> RetryFailedFreezes(const Principal& retrier)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Whether an open incident waits for its protective freeze.
  bool HasFailedFreezes() const ABSL_LOCKS_EXCLUDED(mu_);

  // kInvalidArgument, kNotFound.
  absl::StatusOr<v1::Incident> Get(const v1::GetIncidentRequest& request) const
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<v1::ListIncidentsResponse> List(
      const v1::ListIncidentsRequest& request) const;

  // Assigns `caller` the most urgent unclaimed incident. kNotFound when none.
  absl::StatusOr<v1::Incident> ClaimNext(const Principal& caller)
      ABSL_LOCKS_EXCLUDED(mu_);

  // kInvalidArgument, kNotFound, kPermissionDenied (the caller may not
  // change this incident: CheckMayChange), kFailedPrecondition (a move the
  // lifecycle does not allow, or a full history).
  absl::StatusOr<v1::Incident> UpdateStatus(
      const Principal& caller, const v1::UpdateIncidentStatusRequest& request)
      ABSL_LOCKS_EXCLUDED(mu_);

  absl::StatusOr<v1::ListSlaBreachesResponse> ListSlaBreaches(
      const v1::ListSlaBreachesRequest& request) const ABSL_LOCKS_EXCLUDED(mu_);

  // Stores an assembled evidence upload (its file name redacted, and its
  // content when it is text; binary content is stored as uploaded and marked
  // EVIDENCE_SCAN_NOT_SCANNED) with the incident's new version, its change
  // event and its audit entry, in one durable write. kNotFound;
  // kPermissionDenied (the caller may not change this incident:
  // CheckMayChange); kFailedPrecondition for a CLOSED incident or one with
  // kMaxEvidenceFiles files.
  absl::StatusOr<v1::Evidence> AddEvidence(const Principal& caller,
                                           EvidenceUpload upload)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Authorizes and records one evidence read, returning the file's metadata
  // (its content is then read with ReadEvidencePart). Security and admin may
  // read any evidence; agents only that of incidents assigned to them
  // (kPermissionDenied otherwise); other roles are refused. The attempt is an
  // audit entry, durable before this returns, whatever its outcome; when it
  // cannot be recorded the read is refused with kUnavailable.
  // kInvalidArgument, kNotFound (incident, or evidence not in it).
  absl::StatusOr<v1::Evidence> OpenEvidence(
      const Principal& caller, const v1::ReadEvidenceRequest& request)
      ABSL_LOCKS_EXCLUDED(mu_);

  // See IncidentStore::ReadEvidencePart.
  absl::StatusOr<std::string> ReadEvidencePart(const v1::Evidence& evidence,
                                               uint64_t part) const;

  // A cursor over the change log for WatchIncidents, from
  // request.from_version, delivering only the requested priorities.
  // kInvalidArgument for an unknown or repeated priority.
  absl::StatusOr<std::unique_ptr<LogSubscription<v1::IncidentEvent>>> Subscribe(
      const v1::WatchIncidentsRequest& request);

  // The change feed's head and shutdown switch.
  LogFeed& feed() { return feed_; }

  const SlaPolicy& sla() const { return sla_; }
  const EvidenceLimits& evidence_limits() const { return evidence_limits_; }

 private:
  IncidentManager(IncidentStore& store, ProtectiveFreezer& freezer,
                  const Clock& clock, SlaPolicy sla,
                  EvidenceLimits evidence_limits, uint64_t last_number,
                  uint64_t last_version);

  absl::StatusOr<v1::Incident> Replay(const v1::ReportIncidentRequest& request,
                                      const std::string& redacted,
                                      const std::string& incident_id) const;
  // `idempotency_key` is the request's key as stored (ScopedIdempotencyKey),
  // or empty.
  absl::StatusOr<v1::Incident> Create(const Principal& caller,
                                      const v1::ReportIncidentRequest& request,
                                      const std::string& idempotency_key,
                                      std::string description, int redactions)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<v1::Incident> Fold(const Principal& caller,
                                    const v1::ReportIncidentRequest& request,
                                    const std::string& idempotency_key,
                                    std::string description, int redactions,
                                    const std::string& incident_id)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Freezes the account of a P0 incident on behalf of its reporter,
  // recording the freeze or why it failed on `incident`.
  void ProtectiveFreeze(v1::Incident& incident);

  // Waits until no other write holds `key` ("id:inc-5", "key:<key>",
  // "fold:<account>/<category>"), then holds it.
  void HoldLocked(const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Hold(const std::string& key) ABSL_LOCKS_EXCLUDED(mu_);
  // Releases `key` and wakes writes waiting for it.
  void Release(const std::string& key) ABSL_LOCKS_EXCLUDED(mu_);
  // Records a committed version in memory: open incidents and open P0s.
  void Apply(const v1::Incident& incident) ABSL_LOCKS_EXCLUDED(mu_);
  // The current version of an incident: from memory when open, else stored.
  absl::StatusOr<v1::Incident> Load(const std::string& incident_id) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Commits one change of an incident with its change event (`kind`) and
  // audit entry (`action`), first setting after.version to the change's
  // version. `evidence` is the content of an added file.
  absl::Status Commit(const Principal& caller, absl::string_view action,
                      v1::IncidentEventKind kind,
                      const std::optional<v1::Incident>& before,
                      v1::Incident& after, std::string idempotency_key,
                      std::optional<EvidenceContent> evidence = std::nullopt);
  // Records an evidence read attempt and its outcome in the audit log.
  absl::Status RecordEvidenceRead(const Principal& caller,
                                  const v1::ReadEvidenceRequest& request,
                                  const std::string& account_id,
                                  const absl::Status& outcome);

  IncidentStore& store_;
  ProtectiveFreezer& freezer_;
  const Clock& clock_;
  const SlaPolicy sla_;
  const EvidenceLimits evidence_limits_;
  LogFeed feed_;
  VersionSequencer versions_;
  IncidentNumbers numbers_;

  mutable absl::Mutex mu_;
  absl::CondVar released_;
  // Incidents not RESOLVED or CLOSED, by id.
  absl::flat_hash_map<std::string, v1::Incident> open_ ABSL_GUARDED_BY(mu_);
  // The open P0 incident of each (account, category), for folding.
  absl::flat_hash_map<std::string, std::string> open_p0_ ABSL_GUARDED_BY(mu_);
  // Open incidents whose protective freeze failed.
  absl::flat_hash_set<std::string> freeze_failed_ ABSL_GUARDED_BY(mu_);
  // Incidents, idempotency keys and fold targets a write is working on.
  absl::flat_hash_set<std::string> held_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_INCIDENT_MANAGER_H_
