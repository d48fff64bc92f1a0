// Reads of the Merkle audit log: entries, queries served from the indexes,
// proofs and stored checkpoints. Stateless over the database; every read is
// bounded by a tree size the caller takes from the log, so a reader never
// sees past what is committed and checkpointed.
#ifndef SENTINEL_AUDIT_AUDIT_READER_H_
#define SENTINEL_AUDIT_AUDIT_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/rocks_database.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::audit {

// Limits of the read API (INVALID_ARGUMENT beyond them).
inline constexpr int32_t kDefaultAuditPageSize = 100;
inline constexpr int32_t kMaxAuditPageSize = 1000;
inline constexpr size_t kMaxAuditFilterBytes = 128;
// Index entries one QueryAudit call examines at most before returning a
// (possibly short) page with a token to continue.
inline constexpr size_t kQueryScanBudget = 10000;

// Thread-safe (reads only).
class AuditReader final {
 public:
  explicit AuditReader(const RocksDatabase& database);

  // Up to `max_entries` entries from `from_seq`, below `tree_size`, with
  // leaf_hash and stored_bytes set.
  absl::StatusOr<std::vector<v1::AuditEntry>> ReadEntries(
      uint64_t from_seq, size_t max_entries, uint64_t tree_size) const;

  // Entries matching every filter of `request`, oldest first, from the
  // subject, actor or action index (or the entry order for time-only
  // queries; times never decrease along the log). kInvalidArgument names a
  // bad field.
  absl::StatusOr<v1::QueryAuditResponse> Query(
      const v1::QueryAuditRequest& request, uint64_t tree_size) const;

  // RFC 9162 proofs within the committed tree of `tree_size` entries.
  // kInvalidArgument (naming the field) for positions outside it.
  absl::StatusOr<v1::InclusionProof> InclusionProof(uint64_t seq,
                                                    uint64_t proof_size,
                                                    uint64_t tree_size) const;
  absl::StatusOr<v1::ConsistencyProof> ConsistencyProof(
      uint64_t old_size, uint64_t new_size, uint64_t tree_size) const;

  // The stored signed checkpoint of exactly `size` entries; kNotFound if no
  // batch ended there.
  absl::StatusOr<std::string> CheckpointAt(uint64_t size) const;

 private:
  absl::StatusOr<v1::AuditEntry> ReadEntry(uint64_t seq) const;
  // The first position in [0, tree_size) whose time is >= `time`.
  absl::StatusOr<uint64_t> FirstAtOrAfter(absl::Time time,
                                          uint64_t tree_size) const;

  const RocksDatabase& database_;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_READER_H_
