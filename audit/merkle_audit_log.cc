#include "audit/merkle_audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "audit/audit_log_layout.h"
#include "audit/log_verifier.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "rocksdb/write_batch.h"

namespace sentinel::audit {

// One appender waiting for its batch.
struct MerkleAuditLog::Pending {
  rocksdb::WriteBatch* changes;
  v1::AuditEntry entry;
  bool done = false;
  absl::StatusOr<AuditReceipt> result = absl::UnknownError("not committed");
};

namespace {

// Copies the puts and deletes of an appender's batch into the group batch.
class ReplayInto final : public rocksdb::WriteBatch::Handler {
 public:
  ReplayInto(const RocksDatabase& database, rocksdb::WriteBatch& target)
      : database_(database), target_(target) {}

  rocksdb::Status PutCF(uint32_t family_id, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    rocksdb::ColumnFamilyHandle* family = database_.FamilyById(family_id);
    if (family == nullptr) return rocksdb::Status::InvalidArgument("family");
    return target_.Put(family, key, value);
  }

  rocksdb::Status DeleteCF(uint32_t family_id,
                           const rocksdb::Slice& key) override {
    rocksdb::ColumnFamilyHandle* family = database_.FamilyById(family_id);
    if (family == nullptr) return rocksdb::Status::InvalidArgument("family");
    return target_.Delete(family, key);
  }

 private:
  const RocksDatabase& database_;
  rocksdb::WriteBatch& target_;
};

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
          "published at ", options.published_checkpoint_path,
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
    return absl::DataLossError(absl::StrCat(
        "audit log failed its start-up check, refusing to start: ",
        report.status().message()));
  }
  SENTINEL_ASSIGN_OR_RETURN(
      CompactRange range,
      CompactRange::Load(StoredNodes(database), report->entries));
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
      feed_(range_.size(), options_.max_watch_lag) {
  sequencer_ = std::thread([this] { SequencerLoop(); });
  publisher_ = std::thread([this] { PublisherLoop(); });
}

MerkleAuditLog::~MerkleAuditLog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  sequencer_.join();
  publisher_.join();
}

absl::StatusOr<AuditReceipt> MerkleAuditLog::CommitWithAudit(
    rocksdb::WriteBatch& changes, v1::AuditEntry entry) {
  Pending pending{&changes, std::move(entry)};
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    return absl::UnavailableError("audit log is shutting down");
  }
  queue_.push_back(&pending);
  mu_.Await(absl::Condition(&pending.done));
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

std::string MerkleAuditLog::verifier_key() const {
  return VerifierKey(options_.origin, key_.PublicKey());
}

bool MerkleAuditLog::BatchReady() const {
  return stopping_ || queue_.size() >= options_.max_batch_entries ||
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
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      previous_batch_size_ = batch.size();
    }
    CommitBatch(batch);
    uint64_t size = 0;
    {
      absl::MutexLock lock(&mu_);
      for (Pending* pending : batch) pending->done = true;
      size = committed_size_;
    }
    feed_.Publish(size);
  }
}

void MerkleAuditLog::CommitBatch(std::deque<Pending*>& batch) {
  rocksdb::ColumnFamilyHandle* family = database_.Family(kAuditFamily);
  rocksdb::WriteBatch group;
  CompactRange range = range_;
  absl::Time last_time = last_time_;
  std::vector<Pending*> included;
  for (Pending* pending : batch) {
    group.SetSavePoint();
    ReplayInto replay(database_, group);
    rocksdb::Status status = pending->changes->Iterate(&replay);
    v1::AuditEntry& entry = pending->entry;
    const uint64_t seq = range.size();
    entry.set_seq(seq);
    entry.clear_leaf_hash();
    entry.clear_stored_bytes();
    ClampTime(entry, last_time);
    std::string bytes;
    if (status.ok() && !entry.SerializeToString(&bytes)) {
      status = rocksdb::Status::InvalidArgument("entry does not serialize");
    }
    const auto put = [&](const std::string& key, absl::string_view value) {
      if (status.ok()) {
        status = group.Put(family, key,
                           rocksdb::Slice(value.data(), value.size()));
      }
    };
    put(EntryKey(seq), bytes);
    const auto index = [&](absl::string_view prefix, absl::string_view value) {
      if (!value.empty()) put(IndexKey(prefix, value, seq), "");
    };
    index(kSubjectIndex, entry.subject().account_id());
    if (entry.subject().incident_id() != entry.subject().account_id()) {
      index(kSubjectIndex, entry.subject().incident_id());
    }
    index(kActorIndex, entry.principal());
    index(kActionIndex, entry.action());
    const std::string leaf_hash = LeafHash(bytes);
    CompactRange extended = range;
    extended.Append(leaf_hash, [&](int level, uint64_t node_index,
                                   const std::string& hash) {
      put(NodeKey(level, node_index), hash);
    });
    if (!status.ok()) {
      // Only this appender fails; the others still commit.
      group.RollbackToSavePoint().PermitUncheckedError();
      pending->result = FromRocksStatus(status, "audit log: staging a change");
      continue;
    }
    group.PopSavePoint().PermitUncheckedError();
    range = std::move(extended);
    last_time = FromProtoTime(entry.time());
    pending->result = AuditReceipt{seq, leaf_hash};
    included.push_back(pending);
  }
  if (included.empty()) return;

  const Checkpoint checkpoint{options_.origin, range.size(), range.Root()};
  const std::string note = SignCheckpoint(checkpoint, options_.origin, key_);
  absl::Status status = FromRocksStatus(
      group.Put(family, CheckpointKey(range.size()), note),
      "audit log: staging the checkpoint");
  if (status.ok()) status = database_.WriteDurably(group);
  if (!status.ok()) {
    for (Pending* pending : included) pending->result = status;
    return;
  }
  range_ = std::move(range);
  last_time_ = last_time;
  absl::MutexLock lock(&mu_);
  committed_size_ = range_.size();
  checkpoint_ = SignedCheckpoint{checkpoint, note};
  publish_pending_ = true;
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
              +[](MerkleAuditLog* log) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                return log->stopping_;
              },
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
  const bool written =
      write(fd, note.data(), note.size()) == static_cast<ssize_t>(note.size()) &&
      fsync(fd) == 0;
  close(fd);
  if (!written || rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot publish the checkpoint to ", path));
  }
  const std::string directory = path.substr(0, path.rfind('/') + 1);
  const int dir_fd = open(directory.empty() ? "." : directory.c_str(),
                          O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return absl::OkStatus();
}

}  // namespace sentinel::audit
