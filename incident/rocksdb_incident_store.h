// IncidentStore on RocksDB, in the "incident" column family, committing
// through the AuditSink so that every change and its audit entry share one
// synced write.
//
// Layout (n = the incident's number, as 8 big-endian bytes):
//   "i" + n                           -> Incident
//   "k/" + idempotency_key            -> incident id
//   "xs" + u8(status) + n             -> ""   listing indexes: one key per
//   "xp" + u8(priority) + n           -> ""   incident and index, replaced
//   "xa/" + account_id + "\0" + n     -> ""   when the indexed field changes
//   "xg/" + assignee + "\0" + n       -> ""
//   "v" + version                     -> IncidentEvent (the change log)
//   "e/" + sha256 hex + "/" + part    -> evidence bytes, 1 MiB per part;
//                                        content-addressed, so one file
//                                        uploaded twice is stored once
#ifndef SENTINEL_INCIDENT_ROCKSDB_INCIDENT_STORE_H_
#define SENTINEL_INCIDENT_ROCKSDB_INCIDENT_STORE_H_

#include "audit/audit_sink.h"
#include "common/rocks_database.h"
#include "incident/incident_store.h"

namespace sentinel::incident {

inline constexpr char kIncidentFamily[] = "incident";

class RocksDbIncidentStore final : public IncidentStore {
 public:
  // `database` must have kIncidentFamily; `audit` must write to it too.
  RocksDbIncidentStore(RocksDatabase& database, audit::AuditSink& audit);

  absl::Status Commit(const IncidentChange& change) override;
  absl::Status RecordAccess(const v1::AuditEntry& entry) override;
  absl::StatusOr<std::optional<v1::Incident>> Find(
      absl::string_view incident_id) const override;
  absl::StatusOr<std::optional<std::string>> FindIdempotencyKey(
      absl::string_view key) const override;
  absl::StatusOr<std::vector<v1::Incident>> List(
      const IncidentFilter& filter, uint64_t before_number, size_t limit,
      size_t scan_budget, uint64_t* next_number) const override;
  absl::Status ForEachOpen(
      const std::function<void(v1::Incident)>& visit) const override;
  absl::Status LeaseNumbers(uint64_t through) override;
  absl::StatusOr<uint64_t> LastNumber() const override;
  absl::StatusOr<std::vector<v1::IncidentEvent>> ReadEvents(
      uint64_t after_version, size_t max) const override;
  absl::StatusOr<uint64_t> LastEventVersion() const override;
  absl::StatusOr<std::string> ReadEvidencePart(absl::string_view address,
                                               uint64_t part) const override;

 private:
  RocksDatabase& database_;
  audit::AuditSink& audit_;
};

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_ROCKSDB_INCIDENT_STORE_H_
