#include "tests/crash/power_loss_env.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/file_system.h"

namespace sentinel::testing {
namespace {

using ::rocksdb::DataVerificationInfo;
using ::rocksdb::DirFsyncOptions;
using ::rocksdb::FileOptions;
using ::rocksdb::FSDirectory;
using ::rocksdb::FSWritableFile;
using ::rocksdb::IODebugContext;
using ::rocksdb::IOOptions;
using ::rocksdb::IOStatus;
using ::rocksdb::Slice;

// One file written through the env. Guarded by Disk::mu.
struct FileState {
  // Bytes written so far, and how many of them are durable.
  uint64_t size = 0;
  uint64_t durable = 0;
};

// The modelled disk, shared by the file system and the files it opened.
struct Disk {
  absl::Mutex mu;
  bool crashed ABSL_GUARDED_BY(mu) = false;
  bool ignore_syncs ABSL_GUARDED_BY(mu) = false;
  // Not OK while writes fail (set_write_failure).
  IOStatus write_failure ABSL_GUARDED_BY(mu);
  // What GetFreeSpace reports instead of the real figure (set_free_space).
  std::optional<uint64_t> free_space ABSL_GUARDED_BY(mu);
  // Files written through the env, by normalized path. A file renamed while
  // open keeps its state: the state moves to the new name.
  std::map<std::string, std::shared_ptr<FileState>> files ABSL_GUARDED_BY(mu);
  // Names not yet made durable by a directory fsync: directory -> file name
  // -> the content that name durably held before (nullopt: none, the name is
  // new).
  std::map<std::string, std::map<std::string, std::optional<std::string>>>
      pending_names ABSL_GUARDED_BY(mu);
  // Writable files open on real files.
  int open_files ABSL_GUARDED_BY(mu) = 0;
};

std::string Normalize(const std::string& path) {
  std::string normal = std::filesystem::path(path).lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

// {directory, file name} of a normalized path.
std::pair<std::string, std::string> Split(const std::string& path) {
  const std::filesystem::path p(path);
  return {Normalize(p.parent_path().string()), p.filename().string()};
}

bool Exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(path, error);
}

// The durable prefix of a file that exists.
std::optional<std::string> DurableContent(Disk& disk, const std::string& path)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(disk.mu) {
  std::ifstream in(path, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  auto it = disk.files.find(path);
  if (it != disk.files.end() && content.size() > it->second->durable) {
    content.resize(it->second->durable);
  }
  return content;
}

// Records that `path` got a name that is not durable yet. The first record
// for a name wins: it holds what the disk still has under that name.
void AddPendingName(Disk& disk, const std::string& path,
                    std::optional<std::string> durable_content)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(disk.mu) {
  auto [directory, name] = Split(path);
  disk.pending_names[directory].emplace(name, std::move(durable_content));
}

// A pending name whose file is gone before it ever became durable has
// nothing left to undo.
void ForgetNewName(Disk& disk, const std::string& path)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(disk.mu) {
  auto [directory, name] = Split(path);
  auto dir = disk.pending_names.find(directory);
  if (dir == disk.pending_names.end()) return;
  auto it = dir->second.find(name);
  if (it != dir->second.end() && !it->second.has_value()) dir->second.erase(it);
}

// A file created after the power went: takes and forgets everything.
class DiscardedFile final : public FSWritableFile {
 public:
  IOStatus Append(const Slice& data, const IOOptions&,
                  IODebugContext*) override {
    size_ += data.size();
    return IOStatus::OK();
  }
  IOStatus Close(const IOOptions&, IODebugContext*) override {
    return IOStatus::OK();
  }
  IOStatus Flush(const IOOptions&, IODebugContext*) override {
    return IOStatus::OK();
  }
  IOStatus Sync(const IOOptions&, IODebugContext*) override {
    return IOStatus::OK();
  }
  uint64_t GetFileSize(const IOOptions&, IODebugContext*) override {
    return size_;
  }

 private:
  uint64_t size_ = 0;
};

// A writable file whose writes and syncs the disk model sees. Every call
// holds Disk::mu, so Crash() falls between calls, never inside one.
class TrackedFile final : public rocksdb::FSWritableFileWrapper {
 public:
  // Called by the file system, which holds the lock while it opens a file.
  TrackedFile(std::unique_ptr<FSWritableFile> file, Disk& disk,
              std::shared_ptr<FileState> state)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(disk.mu)
      : FSWritableFileWrapper(file.get()),
        file_(std::move(file)),
        disk_(disk),
        state_(std::move(state)) {
    ++disk.open_files;
  }

  ~TrackedFile() override {
    absl::MutexLock lock(&disk_.mu);
    file_.reset();  // closes the real file if Close() was not called
    --disk_.open_files;
  }

  IOStatus Append(const Slice& data, const IOOptions& options,
                  IODebugContext* dbg) override {
    return Write([&] { return target()->Append(data, options, dbg); },
                 [&](FileState& file) { file.size += data.size(); });
  }
  IOStatus Append(const Slice& data, const IOOptions& options,
                  const DataVerificationInfo& verification,
                  IODebugContext* dbg) override {
    return Write(
        [&] { return target()->Append(data, options, verification, dbg); },
        [&](FileState& file) { file.size += data.size(); });
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset,
                            const IOOptions& options,
                            IODebugContext* dbg) override {
    return Write(
        [&] { return target()->PositionedAppend(data, offset, options, dbg); },
        [&](FileState& file) {
          file.size = std::max(file.size, offset + data.size());
        });
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset,
                            const IOOptions& options,
                            const DataVerificationInfo& verification,
                            IODebugContext* dbg) override {
    return Write(
        [&] {
          return target()->PositionedAppend(data, offset, options, verification,
                                            dbg);
        },
        [&](FileState& file) {
          file.size = std::max(file.size, offset + data.size());
        });
  }
  IOStatus Truncate(uint64_t size, const IOOptions& options,
                    IODebugContext* dbg) override {
    return Write([&] { return target()->Truncate(size, options, dbg); },
                 [&](FileState& file) {
                   file.size = size;
                   file.durable = std::min(file.durable, size);
                 });
  }
  IOStatus Flush(const IOOptions& options, IODebugContext* dbg) override {
    return Write([&] { return target()->Flush(options, dbg); },
                 [](FileState&) {});
  }
  // Starts writeback only; see rule 1.
  IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const IOOptions& options,
                     IODebugContext* dbg) override {
    return Write(
        [&] { return target()->RangeSync(offset, nbytes, options, dbg); },
        [](FileState&) {});
  }
  IOStatus Allocate(uint64_t offset, uint64_t len, const IOOptions& options,
                    IODebugContext* dbg) override {
    return Write([&] { return target()->Allocate(offset, len, options, dbg); },
                 [](FileState&) {});
  }
  void PrepareWrite(size_t offset, size_t len, const IOOptions& options,
                    IODebugContext* dbg) override {
    Write(
        [&] {
          target()->PrepareWrite(offset, len, options, dbg);
          return IOStatus::OK();
        },
        [](FileState&) {})
        .PermitUncheckedError();
  }

  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    return MakeDurable([&] { return target()->Sync(options, dbg); });
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return MakeDurable([&] { return target()->Fsync(options, dbg); });
  }

  // Closing releases the real file even after a crash: it never shortens the
  // file below what was written, and makes nothing durable.
  IOStatus Close(const IOOptions& options, IODebugContext* dbg) override {
    absl::MutexLock lock(&disk_.mu);
    return target()->Close(options, dbg);
  }

 private:
  IOStatus Write(const std::function<IOStatus()>& io,
                 const std::function<void(FileState&)>& update) {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed) return IOStatus::OK();
    if (!disk_.write_failure.ok()) return disk_.write_failure;
    IOStatus status = io();
    if (status.ok()) update(*state_);
    return status;
  }

  IOStatus MakeDurable(const std::function<IOStatus()>& sync) {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed || disk_.ignore_syncs) return IOStatus::OK();
    if (!disk_.write_failure.ok()) return disk_.write_failure;
    IOStatus status = sync();
    if (status.ok()) state_->durable = state_->size;
    return status;
  }

  std::unique_ptr<FSWritableFile> file_;
  Disk& disk_;
  const std::shared_ptr<FileState> state_;
};

// A directory whose fsync makes the names created in it durable.
class TrackedDirectory final : public rocksdb::FSDirectoryWrapper {
 public:
  TrackedDirectory(std::unique_ptr<FSDirectory> directory, Disk& disk,
                   std::string path)
      : FSDirectoryWrapper(std::move(directory)),
        disk_(disk),
        path_(std::move(path)) {}

  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return MakeDurable([&] { return FSDirectoryWrapper::Fsync(options, dbg); });
  }
  IOStatus FsyncWithDirOptions(const IOOptions& options, IODebugContext* dbg,
                               const DirFsyncOptions& why) override {
    return MakeDurable([&] {
      return FSDirectoryWrapper::FsyncWithDirOptions(options, dbg, why);
    });
  }

 private:
  IOStatus MakeDurable(const std::function<IOStatus()>& sync) {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed || disk_.ignore_syncs) return IOStatus::OK();
    if (!disk_.write_failure.ok()) return disk_.write_failure;
    IOStatus status = sync();
    if (status.ok()) disk_.pending_names.erase(path_);
    return status;
  }

  Disk& disk_;
  const std::string path_;
};

}  // namespace

class PowerLossFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  PowerLossFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

  static const char* kClassName() { return "PowerLossFileSystem"; }
  const char* Name() const override { return kClassName(); }

  IOStatus NewWritableFile(const std::string& fname, const FileOptions& options,
                           std::unique_ptr<FSWritableFile>* result,
                           IODebugContext* dbg) override {
    return OpenWritable(
        fname, result,
        [&](std::unique_ptr<FSWritableFile>* file) {
          return target()->NewWritableFile(fname, options, file, dbg);
        },
        [&](const std::string& path, bool existed)
            ABSL_EXCLUSIVE_LOCKS_REQUIRED(disk_.mu) {
              // The old content, if any, is gone; nothing of the new is
              // durable yet.
              auto state = std::make_shared<FileState>();
              disk_.files[path] = state;
              if (!existed) AddPendingName(disk_, path, std::nullopt);
              return state;
            });
  }

  IOStatus ReopenWritableFile(const std::string& fname,
                              const FileOptions& options,
                              std::unique_ptr<FSWritableFile>* result,
                              IODebugContext* dbg) override {
    return OpenWritable(
        fname, result,
        [&](std::unique_ptr<FSWritableFile>* file) {
          return target()->ReopenWritableFile(fname, options, file, dbg);
        },
        [&](const std::string& path, bool existed)
            ABSL_EXCLUSIVE_LOCKS_REQUIRED(disk_.mu) {
              std::shared_ptr<FileState>& state = disk_.files[path];
              if (state == nullptr) {
                // Not written through the env before: durable as it is
                // (rule 3).
                state = std::make_shared<FileState>();
                if (existed) {
                  std::error_code error;
                  state->size = std::filesystem::file_size(path, error);
                  state->durable = state->size;
                } else {
                  AddPendingName(disk_, path, std::nullopt);
                }
              }
              return state;
            });
  }

  // RocksDB reuses files only with recycle_log_file_num > 0. The base
  // implementation renames then creates, both through this file system.
  IOStatus ReuseWritableFile(const std::string& fname,
                             const std::string& old_fname,
                             const FileOptions& options,
                             std::unique_ptr<FSWritableFile>* result,
                             IODebugContext* dbg) override {
    return FileSystem::ReuseWritableFile(fname, old_fname, options, result,
                                         dbg);
  }

  IOStatus NewRandomRWFile(const std::string&, const FileOptions&,
                           std::unique_ptr<rocksdb::FSRandomRWFile>*,
                           IODebugContext*) override {
    return IOStatus::NotSupported("PowerLossEnv does not model RandomRWFile");
  }
  IOStatus NewMemoryMappedFileBuffer(
      const std::string&,
      std::unique_ptr<rocksdb::MemoryMappedFileBuffer>*) override {
    return IOStatus::NotSupported(
        "PowerLossEnv does not model memory-mapped writes");
  }

  IOStatus NewDirectory(const std::string& name, const IOOptions& options,
                        std::unique_ptr<FSDirectory>* result,
                        IODebugContext* dbg) override {
    std::unique_ptr<FSDirectory> directory;
    IOStatus status = target()->NewDirectory(name, options, &directory, dbg);
    if (!status.ok()) return status;
    *result = std::make_unique<TrackedDirectory>(std::move(directory), disk_,
                                                 Normalize(name));
    return IOStatus::OK();
  }

  // The info log (LOG) goes through NewWritableFile like any other file.
  IOStatus NewLogger(const std::string& fname, const IOOptions& options,
                     std::shared_ptr<rocksdb::Logger>* result,
                     IODebugContext* dbg) override {
    return FileSystem::NewLogger(fname, options, result, dbg);
  }

  IOStatus RenameFile(const std::string& src, const std::string& dst,
                      const IOOptions& options, IODebugContext* dbg) override {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed) return IOStatus::OK();
    if (!disk_.write_failure.ok()) return disk_.write_failure;
    const std::string from = Normalize(src);
    const std::string to = Normalize(dst);
    std::optional<std::string> before;
    if (Exists(to)) before = DurableContent(disk_, to);
    IOStatus status = target()->RenameFile(src, dst, options, dbg);
    if (!status.ok()) return status;
    auto it = disk_.files.find(from);
    if (it != disk_.files.end()) {
      disk_.files[to] = std::move(it->second);
      disk_.files.erase(it);
    } else {
      disk_.files.erase(to);
    }
    ForgetNewName(disk_, from);
    AddPendingName(disk_, to, std::move(before));
    return IOStatus::OK();
  }

  IOStatus LinkFile(const std::string& src, const std::string& dst,
                    const IOOptions& options, IODebugContext* dbg) override {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed) return IOStatus::OK();
    if (!disk_.write_failure.ok()) return disk_.write_failure;
    IOStatus status = target()->LinkFile(src, dst, options, dbg);
    if (!status.ok()) return status;
    const std::string to = Normalize(dst);
    auto it = disk_.files.find(Normalize(src));
    if (it != disk_.files.end()) disk_.files[to] = it->second;
    AddPendingName(disk_, to, std::nullopt);
    return IOStatus::OK();
  }

  IOStatus DeleteFile(const std::string& fname, const IOOptions& options,
                      IODebugContext* dbg) override {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed) return IOStatus::OK();
    IOStatus status = target()->DeleteFile(fname, options, dbg);
    if (!status.ok()) return status;
    const std::string path = Normalize(fname);
    disk_.files.erase(path);
    ForgetNewName(disk_, path);
    return IOStatus::OK();
  }

  IOStatus Truncate(const std::string& fname, size_t size,
                    const IOOptions& options, IODebugContext* dbg) override {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed) return IOStatus::OK();
    IOStatus status = target()->Truncate(fname, size, options, dbg);
    if (!status.ok()) return status;
    auto it = disk_.files.find(Normalize(fname));
    if (it != disk_.files.end()) {
      it->second->size = size;
      it->second->durable = std::min<uint64_t>(it->second->durable, size);
    }
    return IOStatus::OK();
  }

  IOStatus CreateDir(const std::string& dirname, const IOOptions& options,
                     IODebugContext* dbg) override {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed) return IOStatus::OK();
    return target()->CreateDir(dirname, options, dbg);
  }
  IOStatus CreateDirIfMissing(const std::string& dirname,
                              const IOOptions& options,
                              IODebugContext* dbg) override {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed) return IOStatus::OK();
    return target()->CreateDirIfMissing(dirname, options, dbg);
  }
  IOStatus DeleteDir(const std::string& dirname, const IOOptions& options,
                     IODebugContext* dbg) override {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed) return IOStatus::OK();
    return target()->DeleteDir(dirname, options, dbg);
  }

  void Crash() {
    absl::MutexLock lock(&disk_.mu);
    disk_.crashed = true;
  }

  void Restart() {
    absl::MutexLock lock(&disk_.mu);
    disk_.crashed = false;
  }

  void set_ignore_syncs(bool ignore) {
    absl::MutexLock lock(&disk_.mu);
    disk_.ignore_syncs = ignore;
  }

  void set_write_failure(IOStatus failure) {
    absl::MutexLock lock(&disk_.mu);
    disk_.write_failure = std::move(failure);
  }

  void set_free_space(std::optional<uint64_t> bytes) {
    absl::MutexLock lock(&disk_.mu);
    disk_.free_space = bytes;
  }

  IOStatus GetFreeSpace(const std::string& path, const IOOptions& options,
                        uint64_t* free_bytes, IODebugContext* dbg) override {
    {
      absl::MutexLock lock(&disk_.mu);
      if (disk_.free_space.has_value()) {
        *free_bytes = *disk_.free_space;
        return IOStatus::OK();
      }
    }
    return target()->GetFreeSpace(path, options, free_bytes, dbg);
  }

  absl::StatusOr<PowerLossReport> DropUnsyncedData() {
    absl::MutexLock lock(&disk_.mu);
    if (!disk_.crashed) {
      return absl::FailedPreconditionError(
          "DropUnsyncedData: the power is on; call Crash() first");
    }
    if (disk_.open_files > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "DropUnsyncedData: ", disk_.open_files,
          " files written through the env are still open; close the "
          "database first"));
    }
    PowerLossReport report;
    for (const auto& [path, state] : disk_.files) {
      std::error_code error;
      const uint64_t size = std::filesystem::file_size(path, error);
      if (error) continue;  // removed behind the env's back
      if (size <= state->durable) continue;
      std::filesystem::resize_file(path, state->durable, error);
      if (error) {
        return absl::InternalError(absl::StrCat(
            "DropUnsyncedData: cannot truncate ", path, ": ", error.message()));
      }
      ++report.files_truncated;
      report.bytes_dropped += size - state->durable;
    }
    for (const auto& [directory, names] : disk_.pending_names) {
      for (const auto& [name, durable_content] : names) {
        const std::string path = absl::StrCat(directory, "/", name);
        std::error_code error;
        if (!durable_content.has_value()) {
          const uint64_t size = std::filesystem::file_size(path, error);
          if (error) continue;  // already gone
          if (!std::filesystem::remove(path, error) || error) {
            return absl::InternalError(
                absl::StrCat("DropUnsyncedData: cannot remove ", path, ": ",
                             error.message()));
          }
          ++report.files_removed;
          report.bytes_dropped += size;
          continue;
        }
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << *durable_content;
        out.close();
        if (!out) {
          return absl::InternalError(
              absl::StrCat("DropUnsyncedData: cannot restore ", path));
        }
        ++report.names_restored;
      }
    }
    // What is left is what the disk holds: all of it durable (rule 3).
    disk_.files.clear();
    disk_.pending_names.clear();
    return report;
  }

 private:
  // Opens a writable file with `open` (the target's New or Reopen) and
  // tracks it with the state `track` gives its path (`existed`: whether the
  // path was there before). After a crash the file discards everything;
  // while writes fail, opening fails.
  IOStatus OpenWritable(
      const std::string& fname, std::unique_ptr<FSWritableFile>* result,
      const std::function<IOStatus(std::unique_ptr<FSWritableFile>*)>& open,
      const std::function<std::shared_ptr<FileState>(const std::string&, bool)>&
          track) {
    absl::MutexLock lock(&disk_.mu);
    if (disk_.crashed) {
      *result = std::make_unique<DiscardedFile>();
      return IOStatus::OK();
    }
    if (!disk_.write_failure.ok()) return disk_.write_failure;
    const std::string path = Normalize(fname);
    const bool existed = Exists(path);
    std::unique_ptr<FSWritableFile> file;
    IOStatus status = open(&file);
    if (!status.ok()) return status;
    *result = std::make_unique<TrackedFile>(std::move(file), disk_,
                                            track(path, existed));
    return IOStatus::OK();
  }

  Disk disk_;
};

PowerLossEnv::PowerLossEnv()
    : file_system_(std::make_shared<PowerLossFileSystem>()),
      env_(rocksdb::NewCompositeEnv(file_system_)) {}

PowerLossEnv::~PowerLossEnv() = default;

void PowerLossEnv::Crash() { file_system_->Crash(); }

absl::StatusOr<PowerLossReport> PowerLossEnv::DropUnsyncedData() {
  return file_system_->DropUnsyncedData();
}

void PowerLossEnv::Restart() { file_system_->Restart(); }

void PowerLossEnv::set_ignore_syncs(bool ignore) {
  file_system_->set_ignore_syncs(ignore);
}

void PowerLossEnv::set_write_failure(rocksdb::IOStatus failure) {
  file_system_->set_write_failure(std::move(failure));
}

void PowerLossEnv::set_free_space(std::optional<uint64_t> bytes) {
  file_system_->set_free_space(bytes);
}

}  // namespace sentinel::testing
