// How the Merkle audit log is laid out in the "audit" column family. Every
// key is written once and never changed or deleted.
//
//   "e" + be64(seq)                  -> entry bytes (serialized AuditEntry
//                                       without leaf_hash / stored_bytes)
//   "n" + u8(level) + be64(index)    -> 32-byte hash of the perfect subtree
//                                       over leaves [index << level,
//                                       (index + 1) << level), for levels
//                                       >= 1 (leaf hashes are recomputed
//                                       from the entries)
//   "k" + be64(tree_size)            -> signed checkpoint note for that size
//   "s" + subject + "\0" + be64(seq) -> "" (account or incident index)
//   "p" + principal + "\0" + be64(seq) -> "" (actor index)
//   "a" + action + "\0" + be64(seq)  -> "" (action index)
//   "x"                              -> be64(number of entries indexed)
//
// The entries, tree nodes and checkpoint of a batch are written in one synced
// write. The index keys are derived from the entries and written right after
// by a background indexer (with the "x" mark in the same write); after a
// crash the start-up check re-derives any that were lost.
#ifndef SENTINEL_AUDIT_AUDIT_LOG_LAYOUT_H_
#define SENTINEL_AUDIT_AUDIT_LOG_LAYOUT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "audit/merkle.h"
#include "common/rocks_database.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::audit {

// The column family the audit log lives in.
inline constexpr char kAuditFamily[] = "audit";

inline constexpr char kEntryPrefix[] = "e";
inline constexpr char kCheckpointPrefix[] = "k";
inline constexpr char kSubjectIndex[] = "s";
inline constexpr char kActorIndex[] = "p";
inline constexpr char kActionIndex[] = "a";
inline constexpr char kIndexedSizeKey[] = "x";

std::string EntryKey(uint64_t seq);
std::string NodeKey(int level, uint64_t index);
std::string CheckpointKey(uint64_t tree_size);

// The prefix of an index's keys for one value, e.g. all entries about
// account "acct-1": IndexPrefix(kSubjectIndex, "acct-1").
std::string IndexPrefix(absl::string_view index, absl::string_view value);
std::string IndexKey(absl::string_view index, absl::string_view value,
                     uint64_t seq);
// The values a subject is found under: its accounts and its incident, each
// once, empty ones left out.
std::vector<absl::string_view> SubjectValues(const v1::AuditSubject& subject);
// The index keys of the entry stored at `seq`: its accounts and incident
// (the subject index), its principal (actor) and its action.
std::vector<std::string> IndexKeysFor(const v1::AuditEntry& entry,
                                      uint64_t seq);

// The sequence number at the end of an index key, or nullopt.
std::optional<uint64_t> SeqFromIndexKey(absl::string_view prefix,
                                        absl::string_view key);

// The perfect-subtree hashes, for proofs and the tree's right edge: stored
// nodes for levels >= 1, leaf hashes recomputed from the stored entries.
// Thread-safe.
class StoredNodes final : public NodeReader {
 public:
  explicit StoredNodes(const RocksDatabase& database) : database_(database) {}
  absl::StatusOr<std::string> PerfectNode(int level,
                                          uint64_t index) const override;

 private:
  const RocksDatabase& database_;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_LOG_LAYOUT_H_
