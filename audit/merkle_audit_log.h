// The append-only audit log: an RFC 6962 Merkle tree over every entry,
// stored in RocksDB, with a signed checkpoint for every committed batch.
//
// Write path (Trillian's split, in one process): appenders only enqueue; one
// sequencer thread takes a batch, assigns sequence numbers, hashes the
// entries into the tree, signs a checkpoint of the new size, and commits the
// appenders' own changes, the entries, the new tree nodes, the index keys and
// the checkpoint in ONE RocksDB write with the WAL synced. Only then are the
// appenders answered. So every acknowledged entry is durable and already
// covered by a signed checkpoint.
//
// A batch closes when it holds `max_batch_entries`, when its oldest entry
// has waited `max_batch_delay`, or as soon as it holds as many entries as the
// previous batch did: a lone writer is never delayed, and a steady crowd of
// writers is grouped into one fsync without waiting. An urgent commit closes
// the batch at once.
//
// The query indexes are derived data: a background indexer writes them right
// after each batch commits, off the appenders' critical path, and the
// start-up check re-derives any lost in a crash. AwaitIndexed() lets readers
// see their own writes.
//
// Nothing is ever updated or deleted: see audit/audit_log_layout.h.
#ifndef SENTINEL_AUDIT_MERKLE_AUDIT_LOG_H_
#define SENTINEL_AUDIT_MERKLE_AUDIT_LOG_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "audit/audit_sink.h"
#include "audit/checkpoint_note.h"
#include "audit/ed25519.h"
#include "audit/merkle.h"
#include "common/log_feed.h"
#include "common/rocks_database.h"

namespace sentinel::audit {

struct AuditLogOptions {
  // The checkpoint origin line and signing key name.
  std::string origin = "sentinel/audit";
  size_t max_batch_entries = 256;
  absl::Duration max_batch_delay = absl::Milliseconds(1);
  // Where the newest checkpoint is published for rollback detection (a file
  // outside the database directory, rewritten atomically at most every
  // `publish_interval`); empty disables publishing.
  std::string published_checkpoint_path;
  absl::Duration publish_interval = absl::Milliseconds(100);
  // See LogFeed.
  uint64_t max_watch_lag = 10000;
};

// A checkpoint and its signed note.
struct SignedCheckpoint {
  Checkpoint checkpoint;
  std::string note;
};

// Thread-safe.
class MerkleAuditLog final : public AuditSink {
 public:
  // Opens the log stored in `database` (opened with kAuditFamily) and checks
  // it before serving: every stored entry is re-hashed, the recomputed root
  // must equal the last checkpoint's, whose signature must verify with
  // `key`'s public key; the stored right edge of the tree must match; and the
  // published checkpoint, if any, must not be ahead of or inconsistent with
  // the database (a rollback). On any mismatch returns kDataLoss saying what
  // is wrong. An empty log gets a signed checkpoint of size 0.
  static absl::StatusOr<std::unique_ptr<MerkleAuditLog>> Open(
      RocksDatabase& database, Ed25519PrivateKey key, AuditLogOptions options);

  // Finishes the batches already queued, then stops.
  ~MerkleAuditLog() override;

  // `rule` makes no difference here: the change and its entry are one write.
  absl::StatusOr<AuditReceipt> CommitWithAudit(rocksdb::WriteBatch& changes,
                                               v1::AuditEntry entry,
                                               CommitUrgency urgency,
                                               AuditRule rule) override
      ABSL_LOCKS_EXCLUDED(mu_);

  // Commits `changes` and every entry of `entries` in one atomic synced
  // write, the entries consecutively and in order: all or none. Receipts are
  // in the order of `entries`. kInvalidArgument when `entries` is empty;
  // otherwise the errors of CommitWithAudit.
  //
  // Example (the audit service storing a peer's outbox records together
  // with how far that peer has been delivered):
  //   rocksdb::WriteBatch mark;
  //   ... mark.Put(family, "delivered/sentinel-freeze", "42") ...
  //   SENTINEL_ASSIGN_OR_RETURN(auto receipts,
  //                             log.CommitEntriesWithAudit(
  //                                 mark, std::move(entries),
  //                                 CommitUrgency::kNormal));
  absl::StatusOr<std::vector<AuditReceipt>> CommitEntriesWithAudit(
      rocksdb::WriteBatch& changes, std::vector<v1::AuditEntry> entries,
      CommitUrgency urgency) ABSL_LOCKS_EXCLUDED(mu_);

  // Entries committed so far.
  uint64_t size() const ABSL_LOCKS_EXCLUDED(mu_);

  // Waits until the query indexes cover the first `size` entries (normally
  // well under a millisecond after their commit). kUnavailable after
  // `timeout` (the indexer is failing).
  absl::Status AwaitIndexed(uint64_t size, absl::Duration timeout) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // The newest signed checkpoint, covering size() entries.
  SignedCheckpoint latest_checkpoint() const ABSL_LOCKS_EXCLUDED(mu_);

  // Versions are tree sizes: entry `seq` is version seq + 1.
  LogFeed& feed() { return feed_; }

  const std::string& origin() const { return options_.origin; }
  // The signed-note verifier key auditors use ("name+id+key").
  std::string verifier_key() const;
  const Ed25519PublicKey& public_key() const { return public_key_; }

 private:
  struct Pending;

  MerkleAuditLog(RocksDatabase& database, Ed25519PrivateKey key,
                 Ed25519PublicKey public_key, AuditLogOptions options,
                 CompactRange range, absl::Time last_time,
                 SignedCheckpoint checkpoint);

  void SequencerLoop();
  bool BatchReady() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Builds and commits one batch and fills every pending result; returns the
  // committed tree size.
  uint64_t CommitBatch(std::deque<Pending*>& batch);
  void PublisherLoop();
  void IndexerLoop();
  bool IndexerHasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Publish(const std::string& note);

  RocksDatabase& database_;
  const Ed25519PrivateKey key_;
  const Ed25519PublicKey public_key_;
  const AuditLogOptions options_;

  // Sequencer-owned: only the sequencer thread touches these after Open.
  CompactRange range_;
  // The newest entry's time; later entries never get an earlier one.
  absl::Time last_time_;

  mutable absl::Mutex mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  size_t previous_batch_size_ ABSL_GUARDED_BY(mu_) = 1;
  // Urgent commits waiting in queue_.
  size_t urgent_queued_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t committed_size_ ABSL_GUARDED_BY(mu_);
  SignedCheckpoint checkpoint_ ABSL_GUARDED_BY(mu_);
  bool publish_pending_ ABSL_GUARDED_BY(mu_) = false;
  // Index keys of committed entries not yet written, and the tree size they
  // complete.
  std::vector<std::string> index_backlog_ ABSL_GUARDED_BY(mu_);
  uint64_t backlog_size_ ABSL_GUARDED_BY(mu_) = 0;
  bool index_pending_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t indexed_size_ ABSL_GUARDED_BY(mu_);
  bool sequencer_done_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  LogFeed feed_;
  std::thread sequencer_;
  std::thread indexer_;
  std::thread publisher_;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_MERKLE_AUDIT_LOG_H_
