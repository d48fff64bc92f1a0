// A test-only RocksDB environment that models a disk losing power, or
// failing writes (full, or failing) while the power stays on.
//
// Files are real files in a real directory; the env also records, for every
// file written through it, how much of it the disk has been told to keep.
// Crash() cuts the power: from then on every write through the env is
// silently discarded, so nothing the dying process does (RocksDB's own
// shutdown included) reaches the disk. DropUnsyncedData() then leaves on disk
// only what was durable when the power went, and Restart() turns the power
// back on for the next process to open the files.
//
// The durability rules (after RocksDB's FaultInjectionTestFS, but stricter
// about RangeSync):
//
//  1. Data. A file's bytes are durable up to its length when its last
//     successful Sync() or Fsync() (fdatasync / fsync) ran. Append, Flush,
//     Close and RangeSync make nothing durable: RangeSync is
//     sync_file_range(), which starts writeback but neither waits for it nor
//     flushes file metadata or the device cache. Truncate can shorten the
//     durable length, never extend it.
//  2. Names. A file the env creates (NewWritableFile or ReopenWritableFile of
//     a missing file, LinkFile) and the target of a RenameFile get a durable
//     name only when an FSDirectory::Fsync() of their directory completes
//     afterwards. On power loss a new file whose name is not durable is
//     removed, however much of its data was synced, and a rename target
//     whose name is not durable gets back its earlier durable content.
//  3. Everything else is durable as it is: files the env did not write (there
//     before it, or written by other code), directories once created, and
//     deletions (a deleted file never comes back).
//
// Not modelled: a disk keeping part of an unsynced tail, or later pages
// without earlier ones (the whole unsynced tail is lost); a rename's source
// name coming back; deletions being undone. NewRandomRWFile and
// NewMemoryMappedFileBuffer are refused with NotSupported: RocksDB uses them
// only for features Sentinel does not enable.
//
// Example:
//   PowerLossEnv power;
//   std::unique_ptr<RocksDatabase> database =
//       *RocksDatabase::Open(path, families, power.env());
//   ... acknowledged writes ...
//   power.Crash();
//   database.reset();  // the process dies; its last writes are discarded
//   ASSERT_OK(power.DropUnsyncedData().status());
//   power.Restart();
//   database = *RocksDatabase::Open(path, families, power.env());
#ifndef SENTINEL_TESTS_CRASH_POWER_LOSS_ENV_H_
#define SENTINEL_TESTS_CRASH_POWER_LOSS_ENV_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "rocksdb/env.h"
#include "rocksdb/io_status.h"

namespace sentinel::testing {

class PowerLossFileSystem;  // power_loss_env.cc

// What DropUnsyncedData() threw away.
struct PowerLossReport {
  // Files cut back to their durable length.
  uint64_t files_truncated = 0;
  // Files removed because their name never became durable.
  uint64_t files_removed = 0;
  // Rename or overwrite targets given back their earlier durable content.
  uint64_t names_restored = 0;
  // Bytes of file data lost, in truncated and removed files.
  uint64_t bytes_dropped = 0;
};

// Thread-safe. Must outlive every database opened with env().
class PowerLossEnv final {
 public:
  // Over the default (POSIX) file system, with the power on.
  PowerLossEnv();
  ~PowerLossEnv();
  PowerLossEnv(const PowerLossEnv&) = delete;
  PowerLossEnv& operator=(const PowerLossEnv&) = delete;

  // The environment to open RocksDB with.
  rocksdb::Env* env() const { return env_.get(); }

  // Cuts the power. Every later write, sync, create, rename or delete through
  // the env returns OK and changes nothing on disk, until Restart(). A write
  // still in progress when Crash() is called completes first (writes are
  // serialized with it), and nothing it did is durable unless it was synced.
  void Crash();

  // Leaves on disk only what was durable when the power went (see the rules
  // above), and from then on treats everything on disk as durable.
  // Returns what was lost. Errors: kFailedPrecondition before Crash(), or
  // while a file written through the env is still open (close the database
  // first: closing a file may still resize it); kInternal when a file cannot
  // be cut back, removed or restored.
  absl::StatusOr<PowerLossReport> DropUnsyncedData();

  // Turns the power back on. Without DropUnsyncedData() before it, this is a
  // process crash rather than a power loss: the unsynced data survives.
  void Restart();

  // While true, Sync, Fsync and directory fsyncs return OK without making
  // anything durable (or reaching the disk): code, or a device, that forgets
  // to sync. For proving that a test catches a missing sync.
  void set_ignore_syncs(bool ignore);

  // While `failure` is not OK, every write, sync, file creation, rename and
  // link through the env fails with it and changes nothing: a full disk
  // (rocksdb::IOStatus::NoSpace()) or a failing device (IOError()). Reads
  // and deletions still work. OK ends it: space has returned.
  void set_write_failure(rocksdb::IOStatus failure);

  // Makes GetFreeSpace report `bytes` for every path; nullopt: the real
  // figure again.
  void set_free_space(std::optional<uint64_t> bytes);

 private:
  std::shared_ptr<PowerLossFileSystem> file_system_;
  std::unique_ptr<rocksdb::Env> env_;
};

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_CRASH_POWER_LOSS_ENV_H_
