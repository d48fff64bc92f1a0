#include "audit/merkle_audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "audit/audit_log_layout.h"
#include "audit/log_verifier.h"
#include "audit/replay_into.h"
#include "common/key_codec.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "rocksdb/write_batch.h"

namespace sentinel::audit {

// One appender waiting for its batch.
struct MerkleAuditLog::Pending {
  rocksdb::WriteBatch* changes;
  // Committed all or none, consecutively, in this order.
  std::vector<v1::AuditEntry> entries;
  bool urgent = false;
  absl::StatusOr<std::vector<AuditReceipt>> result =
      absl::UnknownError("not committed");
  // Notified by the sequencer, outside its lock, once `result` is final.
  absl::Notification done;
};

namespace {

bool LogIsEmpty(const RocksDatabase& database) {
  std::unique_ptr<rocksdb::Iterator> it = database.NewIterator(kAuditFamily);
  it->SeekToFirst();
  return !it->Valid() && it->status().ok();
}

absl::StatusOr<std::optional<std::string>> ReadPublished(
    const std::string& path) {
  if (path.empty() || access(path.c_str(), F_OK) != 0) {
    return std::optional<std::string>();
  }
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  if (!file) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the published checkpoint ", path));
  }
  return std::optional<std::string>(contents.str());
}

// Sets `entry`'s time to at least `floor`, so that times never decrease
// along the log (time-range queries binary-search on it).
void ClampTime(v1::AuditEntry& entry, absl::Time floor) {
  if (!entry.has_time() || FromProtoTime(entry.time()) < floor) {
    *entry.mutable_time() = ToProtoTime(floor);
  }
}

// Writes the index keys of entries [first, end) and the new "indexed" mark.
absl::Status WriteIndex(RocksDatabase& database,
                        const std::vector<std::string>& keys, uint64_t end) {
  rocksdb::ColumnFamilyHandle* family = database.Family(kAuditFamily);
  rocksdb::WriteBatch batch;
  rocksdb::Status status;
  for (const std::string& key : keys) {
    if (status.ok()) status = batch.Put(family, key, "");
  }
  if (status.ok())
    status = batch.Put(family, kIndexedSizeKey, KeyWithNumber("", end));
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(status, "audit index: staging"));
  return database.WriteBuffered(batch);
}

// Re-derives the index keys of the entries the indexer had not written when
// the process last stopped.
absl::Status ReindexFrom(RocksDatabase& database, uint64_t size) {
  uint64_t indexed = 0;
  absl::StatusOr<std::string> mark =
      database.Get(kAuditFamily, kIndexedSizeKey);
  if (mark.ok()) {
    indexed = NumberFromKey("", *mark).value_or(0);
  } else if (!absl::IsNotFound(mark.status())) {
    return mark.status();
  }
  constexpr uint64_t kChunk = 10000;
  for (uint64_t first = indexed; first < size; first += kChunk) {
    const uint64_t end = std::min(size, first + kChunk);
    std::vector<std::string> keys;
    for (uint64_t seq = first; seq < end; ++seq) {
      SENTINEL_ASSIGN_OR_RETURN(std::string bytes,
                                database.Get(kAuditFamily, EntryKey(seq)));
      v1::AuditEntry entry;
      entry.ParseFromString(bytes);  // the start-up check parsed it already
      for (std::string& key : IndexKeysFor(entry, seq)) {
        keys.push_back(std::move(key));
      }
    }
    SENTINEL_RETURN_IF_ERROR(WriteIndex(database, keys, end));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<MerkleAuditLog>> MerkleAuditLog::Open(
    RocksDatabase& database, Ed25519PrivateKey key, AuditLogOptions options) {
  SENTINEL_ASSIGN_OR_RETURN(std::optional<std::string> published,
                            ReadPublished(options.published_checkpoint_path));
  SENTINEL_ASSIGN_OR_RETURN(Ed25519PublicKey public_key,
                            Ed25519PublicKey::FromRaw(key.PublicKey()));
  if (LogIsEmpty(database)) {
    if (published.has_value()) {
      return absl::DataLossError(absl::StrCat(
          "audit log: the database holds no audit data, but a checkpoint was "
          "published at ",
          options.published_checkpoint_path,
          " (the database was replaced or rolled back)"));
    }
    // A new log starts with a signed checkpoint of the empty tree.
    const std::string note = SignCheckpoint(
        Checkpoint{options.origin, 0, EmptyRoot()}, options.origin, key);
    rocksdb::WriteBatch batch;
    SENTINEL_RETURN_IF_ERROR(FromRocksStatus(
        batch.Put(database.Family(kAuditFamily), CheckpointKey(0), note),
        "audit log: staging the first checkpoint"));
    SENTINEL_RETURN_IF_ERROR(database.WriteDurably(batch));
  }

  StoredLogCheck check;
  check.all_nodes = true;  // proofs are served from the stored nodes
  check.trusted_checkpoint = published;
  absl::StatusOr<StoredLogReport> report =
      CheckStoredLog(database, public_key, options.origin, check);
  if (!report.ok()) {
    return absl::DataLossError(
        absl::StrCat("audit log failed its start-up check, refusing to start: ",
                     report.status().message()));
  }
  SENTINEL_ASSIGN_OR_RETURN(
      CompactRange range,
      CompactRange::Load(StoredNodes(database), report->entries));
  SENTINEL_RETURN_IF_ERROR(ReindexFrom(database, report->entries));
  absl::Time last_time = absl::InfinitePast();
  if (report->entries > 0) {
    SENTINEL_ASSIGN_OR_RETURN(
        std::string bytes,
        database.Get(kAuditFamily, EntryKey(report->entries - 1)));
    v1::AuditEntry last;
    last.ParseFromString(bytes);  // verified to parse by the check above
    last_time = FromProtoTime(last.time());
  }
  SignedCheckpoint latest{
      Checkpoint{options.origin, report->entries, report->root},
      report->latest_checkpoint};
  return std::unique_ptr<MerkleAuditLog>(new MerkleAuditLog(
      database, std::move(key), std::move(public_key), std::move(options),
      std::move(range), last_time, std::move(latest)));
}

MerkleAuditLog::MerkleAuditLog(RocksDatabase& database, Ed25519PrivateKey key,
                               Ed25519PublicKey public_key,
                               AuditLogOptions options, CompactRange range,
                               absl::Time last_time,
                               SignedCheckpoint checkpoint)
    : database_(database),
      key_(std::move(key)),
      public_key_(std::move(public_key)),
      options_(std::move(options)),
      range_(std::move(range)),
      last_time_(last_time),
      committed_size_(range_.size()),
      checkpoint_(std::move(checkpoint)),
      publish_pending_(true),
      indexed_size_(range_.size()),
      feed_(range_.size(), options_.max_watch_lag) {
  sequencer_ = std::thread([this] { SequencerLoop(); });
  indexer_ = std::thread([this] { IndexerLoop(); });
  publisher_ = std::thread([this] { PublisherLoop(); });
}

MerkleAuditLog::~MerkleAuditLog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  sequencer_.join();
  {
    absl::MutexLock lock(&mu_);
    sequencer_done_ = true;
  }
  indexer_.join();
  publisher_.join();
}

absl::StatusOr<AuditReceipt> MerkleAuditLog::CommitWithAudit(
    rocksdb::WriteBatch& changes, v1::AuditEntry entry, CommitUrgency urgency,
    AuditRule /*rule*/) {
  std::vector<v1::AuditEntry> entries;
  entries.push_back(std::move(entry));
  SENTINEL_ASSIGN_OR_RETURN(
      std::vector<AuditReceipt> receipts,
      CommitEntriesWithAudit(changes, std::move(entries), urgency));
  return receipts.front();
}

absl::StatusOr<std::vector<AuditReceipt>>
MerkleAuditLog::CommitEntriesWithAudit(rocksdb::WriteBatch& changes,
                                       std::vector<v1::AuditEntry> entries,
                                       CommitUrgency urgency) {
  if (entries.empty()) {
    return absl::InvalidArgumentError("audit log: no entries to commit");
  }
  Pending pending{&changes, std::move(entries),
                  urgency == CommitUrgency::kUrgent};
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      return absl::UnavailableError("audit log is shutting down");
    }
    queue_.push_back(&pending);
    if (pending.urgent) ++urgent_queued_;
  }
  pending.done.WaitForNotification();
  return std::move(pending.result);
}

uint64_t MerkleAuditLog::size() const {
  absl::MutexLock lock(&mu_);
  return committed_size_;
}

SignedCheckpoint MerkleAuditLog::latest_checkpoint() const {
  absl::MutexLock lock(&mu_);
  return checkpoint_;
}

absl::Status MerkleAuditLog::AwaitIndexed(uint64_t size,
                                          absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  const auto indexed = [this, size]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return indexed_size_ >= size;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&indexed), timeout)) {
    return absl::UnavailableError(absl::StrCat("the audit index covers ",
                                               indexed_size_, " of ", size,
                                               " entries; retry later"));
  }
  return absl::OkStatus();
}

bool MerkleAuditLog::IndexerHasWork() const {
  return sequencer_done_ || index_pending_;
}

void MerkleAuditLog::IndexerLoop() {
  while (true) {
    std::vector<std::string> keys;
    uint64_t size = 0;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &MerkleAuditLog::IndexerHasWork));
      if (!index_pending_) return;  // the sequencer has stopped
      keys.swap(index_backlog_);
      size = backlog_size_;
      index_pending_ = false;
    }
    absl::Status status = WriteIndex(database_, keys, size);
    if (!status.ok()) {
      // The keys are re-derived from the entries at the next start.
      std::fprintf(stderr, "audit log: cannot write the index: %s\n",
                   status.ToString().c_str());
      continue;
    }
    absl::MutexLock lock(&mu_);
    indexed_size_ = size;
  }
}

std::string MerkleAuditLog::verifier_key() const {
  return VerifierKey(options_.origin, key_.PublicKey());
}

bool MerkleAuditLog::BatchReady() const {
  return stopping_ || urgent_queued_ > 0 ||
         queue_.size() >= options_.max_batch_entries ||
         queue_.size() >= previous_batch_size_;
}

void MerkleAuditLog::SequencerLoop() {
  while (true) {
    std::deque<Pending*> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](MerkleAuditLog* log) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return log->stopping_ || !log->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and every batch is done
      mu_.AwaitWithTimeout(absl::Condition(this, &MerkleAuditLog::BatchReady),
                           options_.max_batch_delay);
      while (!queue_.empty() && batch.size() < options_.max_batch_entries) {
        if (queue_.front()->urgent) --urgent_queued_;
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      previous_batch_size_ = batch.size();
    }
    const uint64_t size = CommitBatch(batch);
    for (Pending* pending : batch) pending->done.Notify();
    feed_.Publish(size);
  }
}

uint64_t MerkleAuditLog::CommitBatch(std::deque<Pending*>& batch) {
  rocksdb::ColumnFamilyHandle* family = database_.Family(kAuditFamily);
  rocksdb::WriteBatch group;
  CompactRange range = range_;
  absl::Time last_time = last_time_;
  std::vector<Pending*> included;
  std::vector<std::string> index_keys;
  for (Pending* pending : batch) {
    // The appender's changes and all its entries, or none of them.
    group.SetSavePoint();
    ReplayInto replay(database_, group);
    rocksdb::Status status = pending->changes->Iterate(&replay);
    CompactRange pending_range = range;
    absl::Time pending_time = last_time;
    std::vector<std::string> pending_keys;
    std::vector<AuditReceipt> receipts;
    for (v1::AuditEntry& entry : pending->entries) {
      if (!status.ok()) break;
      const uint64_t seq = pending_range.size();
      entry.set_seq(seq);
      entry.clear_leaf_hash();
      entry.clear_stored_bytes();
      ClampTime(entry, pending_time);
      std::string bytes;
      if (!entry.SerializeToString(&bytes)) {
        status = rocksdb::Status::InvalidArgument("entry does not serialize");
        break;
      }
      status = group.Put(family, EntryKey(seq), bytes);
      const std::string leaf_hash = LeafHash(bytes);
      // Leaf hashes (level 0) are recomputed from the entries when needed;
      // only the parents are stored.
      pending_range.Append(leaf_hash, [&](int level, uint64_t node_index,
                                          const std::string& hash) {
        if (level > 0 && status.ok()) {
          status = group.Put(family, NodeKey(level, node_index), hash);
        }
      });
      pending_time = FromProtoTime(entry.time());
      for (std::string& key : IndexKeysFor(entry, seq)) {
        pending_keys.push_back(std::move(key));
      }
      receipts.push_back(AuditReceipt{seq, leaf_hash});
    }
    if (!status.ok()) {
      // Only this appender fails; the others still commit.
      group.RollbackToSavePoint().PermitUncheckedError();
      pending->result = FromRocksStatus(status, "audit log: staging a change");
      continue;
    }
    group.PopSavePoint().PermitUncheckedError();
    range = std::move(pending_range);
    last_time = pending_time;
    for (std::string& key : pending_keys) index_keys.push_back(std::move(key));
    pending->result = std::move(receipts);
    included.push_back(pending);
  }
  if (included.empty()) return range_.size();

  const Checkpoint checkpoint{options_.origin, range.size(), range.Root()};
  const std::string note = SignCheckpoint(checkpoint, options_.origin, key_);
  absl::Status status =
      FromRocksStatus(group.Put(family, CheckpointKey(range.size()), note),
                      "audit log: staging the checkpoint");
  if (status.ok()) status = database_.WriteDurably(group);
  if (!status.ok()) {
    for (Pending* pending : included) pending->result = status;
    return range_.size();
  }
  range_ = std::move(range);
  last_time_ = last_time;
  absl::MutexLock lock(&mu_);
  committed_size_ = range_.size();
  checkpoint_ = SignedCheckpoint{checkpoint, note};
  publish_pending_ = true;
  for (std::string& key : index_keys) index_backlog_.push_back(std::move(key));
  backlog_size_ = committed_size_;
  index_pending_ = true;
  return committed_size_;
}

void MerkleAuditLog::PublisherLoop() {
  if (options_.published_checkpoint_path.empty()) return;
  while (true) {
    std::string note;
    bool stop = false;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(
          absl::Condition(
              +[](MerkleAuditLog* log)
                   ABSL_NO_THREAD_SAFETY_ANALYSIS { return log->stopping_; },
              this),
          options_.publish_interval);
      stop = stopping_;
      if (publish_pending_) note = checkpoint_.note;
      publish_pending_ = false;
    }
    if (!note.empty()) {
      if (absl::Status status = Publish(note); !status.ok()) {
        std::fprintf(stderr, "audit log: %s\n", status.ToString().c_str());
      }
    }
    if (stop) {
      // The sequencer has drained: publish what it committed last.
      absl::MutexLock lock(&mu_);
      if (!publish_pending_) return;
    }
  }
}

absl::Status MerkleAuditLog::Publish(const std::string& note) {
  const std::string& path = options_.published_checkpoint_path;
  const std::string temporary = path + ".tmp";
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
  }
  const bool written = write(fd, note.data(), note.size()) ==
                           static_cast<ssize_t>(note.size()) &&
                       fsync(fd) == 0;
  close(fd);
  if (!written || rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot publish the checkpoint to ", path));
  }
  const std::string directory = path.substr(0, path.rfind('/') + 1);
  const int dir_fd =
      open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return absl::OkStatus();
}

}  // namespace sentinel::audit
