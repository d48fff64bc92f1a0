// The storage contract of the incident domain.
//
// Incidents are numbered ("inc-<n>") and stored whole; the store keeps the
// idempotency keys and the listing indexes (by status, priority, account and
// assignee) consistent with each stored version, and commits every change
// atomically with its audit entry, durably, before returning.
#ifndef SENTINEL_INCIDENT_INCIDENT_STORE_H_
#define SENTINEL_INCIDENT_INCIDENT_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/audit.pb.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

// The stored bytes of an evidence file under their content address.
struct EvidenceContent {
  // ContentAddress(data).
  std::string address;
  std::string data;
};

// One atomic change: a new or updated incident.
struct IncidentChange {
  // The incident as stored before the change; nullopt for a new one.
  std::optional<v1::Incident> before;
  v1::Incident after;
  // Binds an idempotency key to `after` (new incidents only); may be empty.
  std::string idempotency_key;
  v1::AuditEntry audit;
  // The change's entry in the change log that WatchIncidents replays; its
  // version is reserved by the caller and unique.
  v1::IncidentEvent event;
  // The content of an evidence file the change adds; nullopt otherwise.
  std::optional<EvidenceContent> evidence;
  // P0 changes are committed without waiting to share a write.
  bool urgent = false;
};

// Filters of a listing; empty fields match everything.
struct IncidentFilter {
  v1::IncidentStatus status = v1::INCIDENT_STATUS_UNSPECIFIED;
  v1::Priority priority = v1::PRIORITY_UNSPECIFIED;
  std::string account_id;
  std::string assignee;
};

// Thread-safe. Callers serialize changes to one incident.
class IncidentStore {
 public:
  virtual ~IncidentStore() = default;

  // Applies `change`, its change-log event, any evidence content and its
  // audit entry atomically; OK only once durable.
  virtual absl::Status Commit(const IncidentChange& change) = 0;

  // Commits an audit entry that changes nothing (an audited read); OK only
  // once durable.
  virtual absl::Status RecordAccess(const v1::AuditEntry& entry) = 0;

  virtual absl::StatusOr<std::optional<v1::Incident>> Find(
      absl::string_view incident_id) const = 0;
  // The incident id bound to `key`, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> FindIdempotencyKey(
      absl::string_view key) const = 0;

  // Up to `limit` incidents matching `filter`, newest first, numbered below
  // `before_number` (0: from the newest). Served from an index; at most
  // `scan_budget` index entries are examined. `*next_number` is the number to
  // continue below, or 0 when the listing is complete.
  virtual absl::StatusOr<std::vector<v1::Incident>> List(
      const IncidentFilter& filter, uint64_t before_number, size_t limit,
      size_t scan_budget, uint64_t* next_number) const = 0;

  // Calls `visit` with every incident that is not RESOLVED or CLOSED.
  virtual absl::Status ForEachOpen(
      const std::function<void(v1::Incident)>& visit) const = 0;

  // Records durably that incident numbers up to `through` may be in use
  // (see incident_numbers.h); OK only once durable. Never lowers a recorded
  // lease.
  virtual absl::Status LeaseNumbers(uint64_t through) = 0;
  // The highest incident number stored or leased; 0 when none.
  virtual absl::StatusOr<uint64_t> LastNumber() const = 0;

  // Up to `max` change-log events with version > `after_version`, in
  // version order. Versions of failed commits are missing.
  virtual absl::StatusOr<std::vector<v1::IncidentEvent>> ReadEvents(
      uint64_t after_version, size_t max) const = 0;
  // The highest change-log version stored; 0 when none.
  virtual absl::StatusOr<uint64_t> LastEventVersion() const = 0;

  // Part `part` (from 0; each kMaxEvidenceChunkBytes but the last) of the
  // evidence content stored under `address`. kNotFound past the last part.
  virtual absl::StatusOr<std::string> ReadEvidencePart(
      absl::string_view address, uint64_t part) const = 0;
};

// Whether an incident id names a stored incident in `store`, which must
// outlive the result: freeze::FreezeOptions::incident_exists for a freeze
// service hosted with intake.
inline std::function<absl::StatusOr<bool>(absl::string_view)> IncidentExistence(
    const IncidentStore& store) {
  return [&store](absl::string_view incident_id) -> absl::StatusOr<bool> {
    absl::StatusOr<std::optional<v1::Incident>> found = store.Find(incident_id);
    if (!found.ok()) return found.status();
    return found->has_value();
  };
}

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_INCIDENT_STORE_H_
