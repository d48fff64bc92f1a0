// Implements AtomicFileWriter: write to <path>.tmp, sync, rename.
#include "cli/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace sentinel::cli {
namespace {

absl::Status ErrnoError(int error, absl::string_view what,
                        absl::string_view path) {
  const std::string message =
      absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    default:
      return absl::UnavailableError(message);
  }
}

// fsync of a closed file, so that the rename never publishes a name whose
// contents a crash could still lose.
bool SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  return ::close(fd) == 0 && synced;
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::string path)
    : path_(std::move(path)), temp_path_(path_ + ".tmp") {}

absl::StatusOr<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::Create(
    std::string path) {
  std::unique_ptr<AtomicFileWriter> file(new AtomicFileWriter(std::move(path)));
  // Owner-only: evidence and audit bundles hold what users told support.
  // Created here with mode 0600 (fchmod too, for a leftover temporary file),
  // kept through the stream's truncation and the rename.
  const int fd = ::open(file->temp_path_.c_str(),
                        O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    file->committed_ = fd < 0;  // nothing to remove when nothing was created
    return ErrnoError(error, "create", file->temp_path_);
  }
  ::close(fd);
  errno = 0;
  file->out_.open(file->temp_path_,
                  std::ios::out | std::ios::binary | std::ios::trunc);
  if (!file->out_.is_open()) {
    // Nothing was created, so the destructor has nothing to remove.
    file->committed_ = true;
    return ErrnoError(errno, "create", file->temp_path_);
  }
  return file;
}

AtomicFileWriter::~AtomicFileWriter() {
  if (committed_) return;
  out_.close();
  std::remove(temp_path_.c_str());
}

absl::Status AtomicFileWriter::Commit() {
  out_.flush();
  const bool written = out_.good();
  out_.close();
  if (!written || out_.fail()) {
    return absl::UnavailableError(absl::StrCat("cannot write ", temp_path_));
  }
  if (!SyncFile(temp_path_)) {
    return ErrnoError(errno, "sync", temp_path_);
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return ErrnoError(errno, absl::StrCat("rename ", temp_path_, " to"), path_);
  }
  committed_ = true;
  return absl::OkStatus();
}

}  // namespace sentinel::cli
