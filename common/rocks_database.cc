#include "common/rocks_database.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/numbered_key_prefix.h"
#include "common/rocksdb_info_log.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace sentinel {

absl::StatusOr<std::unique_ptr<RocksDatabase>> RocksDatabase::Open(
    const std::string& path, const std::vector<std::string>& families,
    rocksdb::Env* env,
    const std::map<std::string, rocksdb::ColumnFamilyOptions>& tuned) {
  if (path.empty()) return absl::InvalidArgumentError("data_dir: empty path");

  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  // Recover up to the last consistent point of the WAL; every acknowledged
  // write was synced, so nothing acknowledged lies beyond it.
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.paranoid_checks = true;
  // All writes come from one committer (the audit log's sequencer), so the
  // memtable's insert hints below are never bypassed by concurrent inserts.
  options.allow_concurrent_memtable_write = false;
  if (env != nullptr) options.env = env;
  SENTINEL_ASSIGN_OR_RETURN(options.info_log, RocksDbInfoLog::Open(path));

  // Most keys are appended in number order within their prefix.
  rocksdb::ColumnFamilyOptions family_options;
  family_options.memtable_insert_with_hint_prefix_extractor =
      NumberedKeyPrefix();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, family_options);
  for (const std::string& name : families) {
    auto it = tuned.find(name);
    descriptors.emplace_back(name,
                             it == tuned.end() ? family_options : it->second);
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  const rocksdb::Status status =
      rocksdb::DB::Open(options, path, descriptors, &handles, &raw_db);
  if (!status.ok()) {
    if (status.IsIOError() && absl::StrContains(status.ToString(), "lock")) {
      return absl::UnavailableError(
          absl::StrCat("database ", path,
                       " is locked: is another Sentinel server using it?"));
    }
    return FromRocksStatus(status, absl::StrCat("opening database ", path));
  }

  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> by_name;
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    by_name[handle->GetName()] = handle;
  }
  return std::unique_ptr<RocksDatabase>(new RocksDatabase(
      std::unique_ptr<rocksdb::DB>(raw_db), std::move(by_name)));
}

absl::StatusOr<std::unique_ptr<RocksDatabase>> RocksDatabase::OpenReadOnly(
    const std::string& path) {
  rocksdb::DBOptions options;
  options.paranoid_checks = true;
  std::vector<std::string> names;
  rocksdb::Status status =
      rocksdb::DB::ListColumnFamilies(options, path, &names);
  if (!status.ok()) {
    return absl::NotFoundError(absl::StrCat("no Sentinel database at ", path,
                                            ": ", status.ToString()));
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  status = rocksdb::DB::OpenForReadOnly(options, path, descriptors, &handles,
                                        &raw_db);
  if (!status.ok()) {
    return FromRocksStatus(status,
                           absl::StrCat("opening ", path, " read-only"));
  }
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> by_name;
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    by_name[handle->GetName()] = handle;
  }
  return std::unique_ptr<RocksDatabase>(new RocksDatabase(
      std::unique_ptr<rocksdb::DB>(raw_db), std::move(by_name)));
}

RocksDatabase::RocksDatabase(
    std::unique_ptr<rocksdb::DB> db,
    std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> families)
    : db_(std::move(db)), families_(std::move(families)) {}

RocksDatabase::~RocksDatabase() {
  for (auto& [name, handle] : families_) {
    // Destroying a handle only releases memory; its status carries nothing
    // actionable at shutdown.
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  // Every write was synced; Close() only releases resources.
  db_->Close().PermitUncheckedError();
}

rocksdb::ColumnFamilyHandle* RocksDatabase::Family(
    absl::string_view name) const {
  auto it = families_.find(name);
  if (it == families_.end()) {
    std::fprintf(stderr, "RocksDatabase: column family %s was never opened\n",
                 std::string(name).c_str());
    std::abort();
  }
  return it->second;
}

rocksdb::ColumnFamilyHandle* RocksDatabase::FamilyById(uint32_t id) const {
  for (const auto& [name, handle] : families_) {
    if (handle->GetID() == id) return handle;
  }
  return nullptr;
}

bool RocksDatabase::HasFamily(absl::string_view name) const {
  return families_.find(name) != families_.end();
}

absl::Status RocksDatabase::WriteDurably(rocksdb::WriteBatch& batch) {
  rocksdb::WriteOptions options;
  options.sync = true;
  return Write(options, batch, "durable write");
}

absl::Status RocksDatabase::WriteBuffered(rocksdb::WriteBatch& batch) {
  return Write(rocksdb::WriteOptions(), batch, "buffered write");
}

absl::Status RocksDatabase::Write(const rocksdb::WriteOptions& options,
                                  rocksdb::WriteBatch& batch,
                                  absl::string_view what) {
  uint64_t free_bytes = 0;
  if (db_->GetEnv()->GetFreeSpace(db_->GetName(), &free_bytes).ok() &&
      free_bytes < kReservedDiskBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what, ": the disk holding ", db_->GetName(), " is nearly full (",
        free_bytes >> 20, " MiB free; writes need ", kReservedDiskBytes >> 20,
        " MiB): free space and retry"));
  }
  const rocksdb::Status status = db_->Write(options, &batch);
  if (status.severity() >= rocksdb::Status::Severity::kFatalError) {
    return FromRocksStatus(
        status, absl::StrCat(what,
                             " (the database refuses writes until the "
                             "server restarts)"));
  }
  return FromRocksStatus(status, what);
}

absl::StatusOr<std::string> RocksDatabase::Get(absl::string_view family,
                                               absl::string_view key) const {
  std::string value;
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), Family(family),
               rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return absl::NotFoundError(key);
  if (!status.ok()) return FromRocksStatus(status, "read");
  return value;
}

std::unique_ptr<rocksdb::Iterator> RocksDatabase::NewIterator(
    absl::string_view family) const {
  return std::unique_ptr<rocksdb::Iterator>(
      db_->NewIterator(rocksdb::ReadOptions(), Family(family)));
}

}  // namespace sentinel
