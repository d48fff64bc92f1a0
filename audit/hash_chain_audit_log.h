// An append-only audit log in which each entry's hash chains to the previous
// one, stored in the "audit" column family of the process's RocksDB.
//
// This is the interim log until the Merkle-tree log with signed checkpoints
// replaces it (issue #3): any change to, removal of or insertion between
// stored entries is detected by Verify(). There is no update or delete path.
//
// Layout (keys are big-endian sequence numbers, so iteration is in order):
//   "e" + be64(seq) -> the entry's serialized bytes (AuditEntry, seq set)
//   "c" + be64(seq) -> chain hash: SHA-256(chain[seq-1] || entry bytes),
//                      with chain[-1] = 32 zero bytes
#ifndef SENTINEL_AUDIT_HASH_CHAIN_AUDIT_LOG_H_
#define SENTINEL_AUDIT_HASH_CHAIN_AUDIT_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_sink.h"
#include "common/rocks_database.h"

namespace sentinel::audit {

// The column family the log lives in.
inline constexpr char kAuditFamily[] = "audit";

// Thread-safe.
class HashChainAuditLog final : public AuditSink {
 public:
  // Resumes the log stored in `database` (which must have been opened with
  // kAuditFamily). Returns kDataLoss when the stored tail is inconsistent.
  static absl::StatusOr<std::unique_ptr<HashChainAuditLog>> Open(
      RocksDatabase& database);

  absl::StatusOr<AuditReceipt> CommitWithAudit(rocksdb::WriteBatch& changes,
                                               v1::AuditEntry entry) override
      ABSL_LOCKS_EXCLUDED(mu_);

  // Number of entries committed so far (the next sequence number).
  uint64_t size() const ABSL_LOCKS_EXCLUDED(mu_);

  // Up to `max_entries` entries starting at `from_seq`, in order, each with
  // leaf_hash set to its chain hash.
  absl::StatusOr<std::vector<v1::AuditEntry>> Read(uint64_t from_seq,
                                                   size_t max_entries) const;

  // Recomputes every hash from the stored bytes. Returns the number of
  // entries on success, or kDataLoss naming the first sequence number whose
  // bytes, hash or position do not match.
  absl::StatusOr<uint64_t> Verify() const;

 private:
  HashChainAuditLog(RocksDatabase& database, uint64_t next_seq,
                    std::string last_chain_hash);

  RocksDatabase& database_;
  mutable absl::Mutex mu_;
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_);
  std::string last_chain_hash_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_HASH_CHAIN_AUDIT_LOG_H_
