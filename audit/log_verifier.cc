#include "audit/log_verifier.h"

#include <memory>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "audit/audit_log_layout.h"
#include "common/key_codec.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::audit {
namespace {

// Reads the stored hash of a perfect subtree and compares it. Leaf hashes
// (level 0) are not stored.
absl::Status CompareStoredNode(const RocksDatabase& database, int level,
                               uint64_t index, const std::string& hash) {
  if (level == 0) return absl::OkStatus();
  absl::StatusOr<std::string> stored =
      database.Get(kAuditFamily, NodeKey(level, index));
  if (absl::IsNotFound(stored.status())) {
    return absl::DataLossError(absl::StrCat("tree node (level ", level,
                                            ", index ", index, ") is missing"));
  }
  if (!stored.ok()) return stored.status();
  if (*stored != hash) {
    return absl::DataLossError(
        absl::StrCat("tree node (level ", level, ", index ", index,
                     ") differs from the hash of the stored entries"));
  }
  return absl::OkStatus();
}

}  // namespace

LogVerifier::LogVerifier(Ed25519PublicKey key, std::string origin)
    : key_(std::move(key)), origin_(std::move(origin)) {}

absl::Status LogVerifier::AddEntry(uint64_t seq, absl::string_view bytes,
                                   const NodeCheck& node_check) {
  const uint64_t expected = range_.size();
  if (seq != expected) {
    return absl::DataLossError(absl::StrCat(
        "entry ", expected, " is missing: the next stored entry is ", seq));
  }
  v1::AuditEntry entry;
  if (!entry.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat("entry ", seq, ": stored bytes do not parse"));
  }
  if (entry.seq() != seq) {
    return absl::DataLossError(
        absl::StrCat("entry ", seq, ": stored bytes are those of entry ",
                     entry.seq(), " (entries moved or swapped)"));
  }
  absl::Status node_status;
  range_.Append(LeafHash(bytes),
                [&](int level, uint64_t index, const std::string& hash) {
                  if (node_check && node_status.ok()) {
                    node_status = node_check(level, index, hash);
                  }
                });
  return node_status;
}

absl::Status LogVerifier::CheckCheckpoint(absl::string_view note,
                                          absl::string_view what) {
  absl::StatusOr<Checkpoint> checkpoint =
      OpenCheckpoint(note, origin_, key_, origin_);
  if (!checkpoint.ok()) {
    return absl::DataLossError(
        absl::StrCat(what, ": ", checkpoint.status().message()));
  }
  if (checkpoint->size != range_.size()) {
    return absl::DataLossError(absl::StrCat(what, " covers ", checkpoint->size,
                                            " entries, not ", range_.size()));
  }
  if (checkpoint->root_hash != range_.Root()) {
    return absl::DataLossError(absl::StrCat(
        what, " of size ", checkpoint->size,
        ": its root differs from the root recomputed from the stored entries "
        "(entries altered, removed or reordered)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredLogReport> CheckStoredLog(const RocksDatabase& database,
                                               const Ed25519PublicKey& key,
                                               absl::string_view origin,
                                               const StoredLogCheck& check) {
  StoredLogReport report;
  LogVerifier verifier(key, std::string(origin));

  // The checkpoints to check, in size order.
  std::vector<std::pair<uint64_t, std::string>> checkpoints;
  std::unique_ptr<rocksdb::Iterator> it = database.NewIterator(kAuditFamily);
  if (check.all_checkpoints) {
    for (it->Seek(ToSlice(kCheckpointPrefix));
         it->Valid() && ToView(it->key()).substr(0, 1) == kCheckpointPrefix;
         it->Next()) {
      std::optional<uint64_t> size =
          NumberFromKey(kCheckpointPrefix, ToView(it->key()));
      if (!size.has_value()) break;
      checkpoints.emplace_back(*size, std::string(ToView(it->value())));
    }
  } else {
    it->SeekForPrev(ToSlice(CheckpointKey(UINT64_MAX)));
    std::optional<uint64_t> size =
        it->Valid() ? NumberFromKey(kCheckpointPrefix, ToView(it->key()))
                    : std::nullopt;
    if (size.has_value()) {
      checkpoints.emplace_back(*size, std::string(ToView(it->value())));
    }
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(it->status(), "reading checkpoints"));
  if (checkpoints.empty()) {
    return absl::DataLossError("no signed checkpoint is stored");
  }
  report.latest_checkpoint = checkpoints.back().second;

  std::optional<Checkpoint> trusted;
  if (check.trusted_checkpoint.has_value()) {
    absl::StatusOr<Checkpoint> opened =
        OpenCheckpoint(*check.trusted_checkpoint, origin, key, origin);
    if (!opened.ok()) {
      return absl::DataLossError(
          absl::StrCat("trusted checkpoint: ", opened.status().message()));
    }
    trusted = *opened;
  }

  // Checks every checkpoint whose size has just been reached.
  size_t next_checkpoint = 0;
  const auto check_reached = [&]() -> absl::Status {
    while (next_checkpoint < checkpoints.size() &&
           checkpoints[next_checkpoint].first == verifier.entries()) {
      SENTINEL_RETURN_IF_ERROR(verifier.CheckCheckpoint(
          checkpoints[next_checkpoint].second,
          absl::StrCat("stored checkpoint ", verifier.entries())));
      ++report.checkpoints_checked;
      ++next_checkpoint;
    }
    if (trusted.has_value() && trusted->size == verifier.entries()) {
      SENTINEL_RETURN_IF_ERROR(verifier.CheckCheckpoint(
          *check.trusted_checkpoint, "trusted checkpoint"));
    }
    return absl::OkStatus();
  };

  const LogVerifier::NodeCheck node_check =
      check.all_nodes
          ? LogVerifier::NodeCheck([&database](int level, uint64_t index,
                                               const std::string& hash) {
              return CompareStoredNode(database, level, index, hash);
            })
          : nullptr;
  SENTINEL_RETURN_IF_ERROR(check_reached());
  for (it->Seek(ToSlice(EntryKey(0))); it->Valid(); it->Next()) {
    std::optional<uint64_t> seq =
        NumberFromKey(kEntryPrefix, ToView(it->key()));
    if (!seq.has_value()) break;  // past the entry keys
    SENTINEL_RETURN_IF_ERROR(
        verifier.AddEntry(*seq, ToView(it->value()), node_check));
    SENTINEL_RETURN_IF_ERROR(check_reached());
    if (check.progress && verifier.entries() % 100000 == 0) {
      check.progress(verifier.entries());
    }
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading entries"));

  const uint64_t stored = verifier.entries();
  if (next_checkpoint < checkpoints.size()) {
    return absl::DataLossError(
        absl::StrCat("stored checkpoint ", checkpoints[next_checkpoint].first,
                     " covers more entries than the ", stored,
                     " stored (entries removed, or the database rolled back)"));
  }
  if (checkpoints.back().first != stored) {
    return absl::DataLossError(absl::StrCat(
        stored - checkpoints.back().first,
        " stored entries are not covered by any signed checkpoint (newest "
        "covers ",
        checkpoints.back().first, ")"));
  }
  if (trusted.has_value() && trusted->size > stored) {
    return absl::DataLossError(absl::StrCat(
        "the log was rolled back: a checkpoint of size ", trusted->size,
        " was published, but only ", stored, " entries are stored"));
  }
  // The stored right edge serves every proof: it must match the entries.
  absl::StatusOr<CompactRange> edge =
      CompactRange::Load(StoredNodes(database), stored);
  if (!edge.ok() || edge->Root() != verifier.root()) {
    return absl::DataLossError(
        "stored tree nodes do not match the stored entries");
  }
  report.entries = stored;
  report.root = verifier.root();
  return report;
}

}  // namespace sentinel::audit
