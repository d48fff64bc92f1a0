#include "audit/hash_chain_audit_log.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "audit/sha256.h"
#include "common/key_codec.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"

namespace sentinel::audit {
namespace {

constexpr absl::string_view kEntryPrefix = "e";
constexpr absl::string_view kChainPrefix = "c";

std::string GenesisHash() { return std::string(kSha256Bytes, '\0'); }

absl::string_view ToView(const rocksdb::Slice& slice) {
  return absl::string_view(slice.data(), slice.size());
}

}  // namespace

absl::StatusOr<std::unique_ptr<HashChainAuditLog>> HashChainAuditLog::Open(
    RocksDatabase& database) {
  uint64_t next_seq = 0;
  std::string last_hash = GenesisHash();
  std::unique_ptr<rocksdb::Iterator> it = database.NewIterator(kAuditFamily);
  it->SeekForPrev(KeyWithNumber(kChainPrefix, UINT64_MAX));
  if (it->Valid()) {
    std::optional<uint64_t> seq = NumberFromKey(kChainPrefix, ToView(it->key()));
    if (!seq.has_value() || it->value().size() != kSha256Bytes) {
      return absl::DataLossError("audit log: malformed chain tail");
    }
    next_seq = *seq + 1;
    last_hash = std::string(ToView(it->value()));
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(it->status(), "audit log: reading chain tail"));
  return std::unique_ptr<HashChainAuditLog>(
      new HashChainAuditLog(database, next_seq, std::move(last_hash)));
}

HashChainAuditLog::HashChainAuditLog(RocksDatabase& database,
                                     uint64_t next_seq,
                                     std::string last_chain_hash)
    : database_(database),
      next_seq_(next_seq),
      last_chain_hash_(std::move(last_chain_hash)) {}

absl::StatusOr<AuditReceipt> HashChainAuditLog::CommitWithAudit(
    rocksdb::WriteBatch& changes, v1::AuditEntry entry) {
  absl::MutexLock lock(&mu_);
  entry.set_seq(next_seq_);
  entry.clear_leaf_hash();
  std::string bytes;
  if (!entry.SerializeToString(&bytes)) {
    return absl::InternalError("audit log: cannot serialize entry");
  }
  std::string chain_hash = Sha256({last_chain_hash_, bytes});

  rocksdb::ColumnFamilyHandle* family = database_.Family(kAuditFamily);
  rocksdb::Status staged =
      changes.Put(family, KeyWithNumber(kEntryPrefix, next_seq_), bytes);
  if (staged.ok()) {
    staged = changes.Put(family, KeyWithNumber(kChainPrefix, next_seq_),
                         chain_hash);
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(staged, "audit log: staging entry"));
  SENTINEL_RETURN_IF_ERROR(database_.WriteDurably(changes));

  AuditReceipt receipt{next_seq_, chain_hash};
  ++next_seq_;
  last_chain_hash_ = std::move(chain_hash);
  return receipt;
}

uint64_t HashChainAuditLog::size() const {
  absl::MutexLock lock(&mu_);
  return next_seq_;
}

absl::StatusOr<std::vector<v1::AuditEntry>> HashChainAuditLog::Read(
    uint64_t from_seq, size_t max_entries) const {
  std::vector<v1::AuditEntry> entries;
  std::unique_ptr<rocksdb::Iterator> it = database_.NewIterator(kAuditFamily);
  for (it->Seek(KeyWithNumber(kEntryPrefix, from_seq));
       it->Valid() && entries.size() < max_entries; it->Next()) {
    std::optional<uint64_t> seq = NumberFromKey(kEntryPrefix, ToView(it->key()));
    if (!seq.has_value()) break;  // past the entry keys
    v1::AuditEntry& entry = entries.emplace_back();
    if (!entry.ParseFromArray(it->value().data(),
                              static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("audit log: entry ", *seq, " does not parse"));
    }
    SENTINEL_ASSIGN_OR_RETURN(
        std::string chain_hash,
        database_.Get(kAuditFamily, KeyWithNumber(kChainPrefix, *seq)));
    entry.set_leaf_hash(std::move(chain_hash));
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(it->status(), "audit log: read"));
  return entries;
}

absl::StatusOr<uint64_t> HashChainAuditLog::Verify() const {
  std::unique_ptr<rocksdb::Iterator> entries = database_.NewIterator(kAuditFamily);
  std::unique_ptr<rocksdb::Iterator> chain = database_.NewIterator(kAuditFamily);
  entries->Seek(KeyWithNumber(kEntryPrefix, 0));
  chain->Seek(KeyWithNumber(kChainPrefix, 0));
  std::string previous = GenesisHash();
  uint64_t expected_seq = 0;
  for (; entries->Valid(); entries->Next(), chain->Next(), ++expected_seq) {
    std::optional<uint64_t> seq =
        NumberFromKey(kEntryPrefix, ToView(entries->key()));
    if (!seq.has_value()) break;
    const auto mismatch = [&](absl::string_view what) {
      return absl::DataLossError(
          absl::StrCat("audit log: entry ", expected_seq, ": ", what));
    };
    if (*seq != expected_seq) return mismatch("missing (sequence gap)");
    if (!chain->Valid() ||
        NumberFromKey(kChainPrefix, ToView(chain->key())) != expected_seq) {
      return mismatch("chain hash missing");
    }
    v1::AuditEntry entry;
    if (!entry.ParseFromArray(entries->value().data(),
                              static_cast<int>(entries->value().size())) ||
        entry.seq() != expected_seq) {
      return mismatch("stored bytes do not parse or name another position");
    }
    std::string recomputed = Sha256({previous, ToView(entries->value())});
    if (recomputed != ToView(chain->value())) {
      return mismatch("hash does not match the stored bytes");
    }
    previous = std::move(recomputed);
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(entries->status(), "audit log: verify"));
  if (chain->Valid() && NumberFromKey(kChainPrefix, ToView(chain->key()))) {
    return absl::DataLossError(absl::StrCat(
        "audit log: entry ", expected_seq, ": chain hash without entry"));
  }
  return expected_seq;
}

}  // namespace sentinel::audit
