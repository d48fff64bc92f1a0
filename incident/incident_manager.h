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
#include "common/principal.h"
#include "incident/incident_store.h"
#include "incident/protective_freezer.h"
#include "incident/sla_policy.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

// Thread-safe.
class IncidentManager final {
 public:
  // Loads the open incidents from `store`. All arguments must outlive the
  // manager.
  static absl::StatusOr<std::unique_ptr<IncidentManager>> Create(
      IncidentStore& store, ProtectiveFreezer& freezer, const Clock& clock,
      SlaPolicy sla);

  // Files a report (see ReportIncident in incident.proto): triage, secret
  // redaction, protective freeze for P0 before the durable commit, retries by
  // idempotency key (REPLAYED), repeated open P0 reports folded (FOLDED).
  // Errors: kInvalidArgument; kAlreadyExists (key reused for another
  // request); kAborted (a report with the same key or the same open P0 is
  // being written: retry); storage errors.
  absl::StatusOr<v1::Incident> Report(const Principal& caller,
                                      const v1::ReportIncidentRequest& request)
      ABSL_LOCKS_EXCLUDED(mu_);

  // kInvalidArgument, kNotFound.
  absl::StatusOr<v1::Incident> Get(const v1::GetIncidentRequest& request) const
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<v1::ListIncidentsResponse> List(
      const v1::ListIncidentsRequest& request) const;

  // Assigns `caller` the most urgent unclaimed incident. kNotFound when none.
  absl::StatusOr<v1::Incident> ClaimNext(const Principal& caller)
      ABSL_LOCKS_EXCLUDED(mu_);

  // kInvalidArgument, kNotFound, kFailedPrecondition (a move the lifecycle
  // does not allow, or a full history).
  absl::StatusOr<v1::Incident> UpdateStatus(
      const Principal& caller, const v1::UpdateIncidentStatusRequest& request)
      ABSL_LOCKS_EXCLUDED(mu_);

  absl::StatusOr<v1::ListSlaBreachesResponse> ListSlaBreaches(
      const v1::ListSlaBreachesRequest& request) const ABSL_LOCKS_EXCLUDED(mu_);

  const SlaPolicy& sla() const { return sla_; }

 private:
  IncidentManager(IncidentStore& store, ProtectiveFreezer& freezer,
                  const Clock& clock, SlaPolicy sla, uint64_t last_number);

  absl::StatusOr<v1::Incident> Replay(const v1::ReportIncidentRequest& request,
                                      const std::string& redacted,
                                      const std::string& incident_id) const;
  absl::StatusOr<v1::Incident> Create(const Principal& caller,
                                      const v1::ReportIncidentRequest& request,
                                      std::string description, int redactions)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<v1::Incident> Fold(const Principal& caller,
                                    const v1::ReportIncidentRequest& request,
                                    std::string description, int redactions,
                                    const std::string& incident_id)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Freezes the account of a P0 incident, recording the freeze or why it
  // failed on `incident`.
  void ProtectiveFreeze(const Principal& caller, v1::Incident& incident);

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

  absl::Status Commit(const Principal& caller, absl::string_view action,
                      const std::optional<v1::Incident>& before,
                      const v1::Incident& after, std::string idempotency_key);

  IncidentStore& store_;
  ProtectiveFreezer& freezer_;
  const Clock& clock_;
  const SlaPolicy sla_;

  mutable absl::Mutex mu_;
  absl::CondVar released_;
  uint64_t last_number_ ABSL_GUARDED_BY(mu_);
  // Incidents not RESOLVED or CLOSED, by id.
  absl::flat_hash_map<std::string, v1::Incident> open_ ABSL_GUARDED_BY(mu_);
  // The open P0 incident of each (account, category), for folding.
  absl::flat_hash_map<std::string, std::string> open_p0_ ABSL_GUARDED_BY(mu_);
  // Incidents, idempotency keys and fold targets a write is working on.
  absl::flat_hash_set<std::string> held_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_INCIDENT_MANAGER_H_
