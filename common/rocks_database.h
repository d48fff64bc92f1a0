// One RocksDB database per process, shared by the domains it hosts.
//
// Each domain keeps its data in its own column family, so that a domain change
// and its audit record can be committed in one atomic, synced WriteBatch.
#ifndef SENTINEL_COMMON_ROCKS_DATABASE_H_
#define SENTINEL_COMMON_ROCKS_DATABASE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"

namespace sentinel {

// Writes are refused while the file system holding the database has less
// free than this. A WAL write that RocksDB 7.8 fails for lack of space stops
// all writes until RocksDB's own recovery notices the space (or, judged
// fatal, until the database is reopened), while this refusal ends the
// moment space returns; the reserve also leaves room for the flushes and
// compactions that free space.
inline constexpr uint64_t kReservedDiskBytes = uint64_t{256} << 20;

// Thread-safe: all methods may be called concurrently.
class RocksDatabase final {
 public:
  // Opens (creating if missing) the database in `path` with the named column
  // families, creating any that do not exist yet. `env` overrides RocksDB's
  // environment (tests inject faults through it); nullptr means the default.
  // `tuned` gives some of the families options of their own (a domain whose
  // data needs them provides them, e.g. trace::LedgerFamilyOptions()); the
  // others share the database's defaults.
  //
  // Returns kInvalidArgument for an empty path, kUnavailable when another
  // process holds the database lock, and the converted RocksDB error
  // otherwise.
  static absl::StatusOr<std::unique_ptr<RocksDatabase>> Open(
      const std::string& path, const std::vector<std::string>& families,
      rocksdb::Env* env = nullptr,
      const std::map<std::string, rocksdb::ColumnFamilyOptions>& tuned = {});

  // Opens an existing database read-only with all its column families, for
  // offline verification of a copy. Never writes, not even a lock file's
  // contents. Returns kNotFound when `path` holds no database.
  static absl::StatusOr<std::unique_ptr<RocksDatabase>> OpenReadOnly(
      const std::string& path);

  ~RocksDatabase();
  RocksDatabase(const RocksDatabase&) = delete;
  RocksDatabase& operator=(const RocksDatabase&) = delete;

  // The column family opened under `name`. Crashes if it was not requested at
  // Open (a wiring bug, not an environmental failure).
  rocksdb::ColumnFamilyHandle* Family(absl::string_view name) const;

  // The column family with RocksDB's numeric id `id` (as WriteBatch::Handler
  // reports it), or nullptr.
  rocksdb::ColumnFamilyHandle* FamilyById(uint32_t id) const;

  // Whether a column family named `name` was opened.
  bool HasFamily(absl::string_view name) const;

  // Applies `batch` atomically and returns only once it is durable: the WAL is
  // synced (fdatasync) before this returns OK. Concurrent callers share
  // RocksDB's group commit.
  //
  // Nothing of a batch that fails is applied. kResourceExhausted, without
  // writing, while the file system holding the database has less than
  // kReservedDiskBytes free; writes go on as soon as space returns. A write
  // that RocksDB itself fails (kResourceExhausted for a full disk,
  // kUnavailable for another I/O error) stops RocksDB's writes: later writes
  // fail the same way until RocksDB recovers on its own (a full disk, once
  // space returns) or, for failures RocksDB 7.8 judges fatal (a failing
  // device), until the database is reopened (the server restarted); the
  // error says so then. Reads go on throughout.
  absl::Status WriteDurably(rocksdb::WriteBatch& batch);

  // Applies `batch` atomically without waiting for the WAL to reach the
  // disk: only for data that can be re-derived after a crash. It becomes
  // durable with the next WriteDurably (the WAL is one ordered file).
  // Failures as for WriteDurably.
  absl::Status WriteBuffered(rocksdb::WriteBatch& batch);

  // Reads one key. Returns kNotFound when absent.
  absl::StatusOr<std::string> Get(absl::string_view family,
                                  absl::string_view key) const;

  // An iterator over `family` (caller owns it).
  std::unique_ptr<rocksdb::Iterator> NewIterator(
      absl::string_view family) const;

  rocksdb::DB& db() const { return *db_; }

 private:
  RocksDatabase(std::unique_ptr<rocksdb::DB> db,
                std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>>
                    families);

  // Checks the disk's free space, then writes.
  absl::Status Write(const rocksdb::WriteOptions& options,
                     rocksdb::WriteBatch& batch, absl::string_view what);

  std::unique_ptr<rocksdb::DB> db_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> families_;
};

}  // namespace sentinel

#endif  // SENTINEL_COMMON_ROCKS_DATABASE_H_
