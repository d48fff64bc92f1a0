// FreezeStore on RocksDB, in the "freeze" column family of the process's
// database, committing through the AuditSink so that every change and its
// audit entry share one synced WriteBatch.
//
// Layout:
//   "f/" + freeze_id            -> FreezeRecord (every freeze, any state)
//   "a/" + account + "\0" + id  -> FreezeRecord (ACTIVE freezes only)
//   "u/" + request_id           -> UnfreezeRequest
//   "i/" + idempotency_key      -> freeze_id
//   "h/" + account              -> withdrawal hold end, Unix nanoseconds
//   "v" + be64(version)         -> FreezeEvent
#ifndef SENTINEL_FREEZE_ROCKSDB_FREEZE_STORE_H_
#define SENTINEL_FREEZE_ROCKSDB_FREEZE_STORE_H_

#include "audit/audit_sink.h"
#include "common/rocks_database.h"
#include "freeze/freeze_store.h"

namespace sentinel::freeze {

// The column family the freeze domain lives in.
inline constexpr char kFreezeFamily[] = "freeze";

class RocksDbFreezeStore final : public FreezeStore {
 public:
  // `database` must have been opened with kFreezeFamily, and `audit` must
  // write to the same database. Both must outlive the store.
  RocksDbFreezeStore(RocksDatabase& database, audit::AuditSink& audit);

  absl::Status Commit(const FreezeChange& change) override;
  absl::StatusOr<std::optional<v1::FreezeRecord>> FindFreeze(
      absl::string_view freeze_id) const override;
  absl::StatusOr<std::optional<v1::UnfreezeRequest>> FindUnfreezeRequest(
      absl::string_view request_id) const override;
  absl::StatusOr<std::vector<v1::UnfreezeRequest>> ReadUnfreezeRequests(
      uint64_t after_number, size_t max_requests) const override;
  absl::StatusOr<std::optional<std::string>> FindIdempotencyKey(
      absl::string_view key) const override;
  absl::StatusOr<FreezeSnapshot> LoadSnapshot() const override;
  absl::StatusOr<std::vector<v1::FreezeEvent>> ReadEvents(
      uint64_t after_version, size_t max_events) const override;

 private:
  RocksDatabase& database_;
  audit::AuditSink& audit_;
};

}  // namespace sentinel::freeze

#endif  // SENTINEL_FREEZE_ROCKSDB_FREEZE_STORE_H_
