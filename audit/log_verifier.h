// Recomputes an audit log from its stored bytes and checks it against signed
// checkpoints. Used by the server's start-up check and by the offline tool
// sentinel-audit-verify; it trusts nothing but the entry bytes and the
// checkpoint signer's public key.
#ifndef SENTINEL_AUDIT_LOG_VERIFIER_H_
#define SENTINEL_AUDIT_LOG_VERIFIER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "audit/checkpoint_note.h"
#include "audit/ed25519.h"
#include "audit/merkle.h"
#include "common/rocks_database.h"

namespace sentinel::audit {

// Feeds entries in order and checks checkpoints as their sizes are reached.
// Not thread-safe.
class LogVerifier final {
 public:
  // Called for each perfect subtree the entries complete (level 0 = leaf).
  using NodeCheck = std::function<absl::Status(int level, uint64_t index,
                                               const std::string& hash)>;

  LogVerifier(Ed25519PublicKey key, std::string origin);

  // The next entry. kDataLoss when `seq` is not the next position (a gap or
  // reordering) or the bytes do not parse as an AuditEntry for that `seq`.
  absl::Status AddEntry(uint64_t seq, absl::string_view bytes,
                        const NodeCheck& node_check = nullptr);

  // Checks a signed checkpoint whose size is the number of entries fed so
  // far: signature, origin and root. kDataLoss saying what differs.
  absl::Status CheckCheckpoint(absl::string_view note, absl::string_view what);

  uint64_t entries() const { return range_.size(); }
  std::string root() const { return range_.Root(); }

 private:
  const Ed25519PublicKey key_;
  const std::string origin_;
  CompactRange range_;
};

struct StoredLogReport {
  uint64_t entries = 0;
  uint64_t checkpoints_checked = 0;
  std::string root;
  // The newest stored checkpoint note.
  std::string latest_checkpoint;
};

struct StoredLogCheck {
  // Check every stored checkpoint (offline verification) rather than only
  // the newest one (the server's start-up check).
  bool all_checkpoints = false;
  // Compare every stored tree node with the recomputed one, rather than only
  // the right edge.
  bool all_nodes = false;
  // A checkpoint obtained independently earlier (published, or saved by an
  // auditor); the stored log must contain its tree, else it was rolled back
  // or rewritten.
  std::optional<std::string> trusted_checkpoint;
  // Called every 100,000 entries with the count so far, for progress output.
  std::function<void(uint64_t)> progress;
};

// Re-hashes every entry stored in `database`'s audit column family and
// checks the log as `check` asks. Returns a report, or kDataLoss naming the
// first problem: a sequence gap, an entry that does not parse or sits at the
// wrong position, a checkpoint whose root or signature does not match, a
// checkpoint beyond the stored entries, entries after the newest
// checkpoint, a tampered tree node, or a rollback below `trusted_checkpoint`.
absl::StatusOr<StoredLogReport> CheckStoredLog(const RocksDatabase& database,
                                               const Ed25519PublicKey& key,
                                               absl::string_view origin,
                                               const StoredLogCheck& check);

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_LOG_VERIFIER_H_
