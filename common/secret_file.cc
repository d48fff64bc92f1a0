// Owner-only secret files, read after an fstat check and created with
// O_EXCL, 0600 and fsync.
#include "common/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace sentinel {
namespace {

// Closes a file descriptor on scope exit unless closed explicitly.
class FileDescriptor final {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  // Closes now, reporting the error close() may carry for written data.
  int Close() {
    int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

std::string PermissionsText(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o",
                static_cast<unsigned>(mode & 07777));
  return text;
}

// The directory holding `path`, for fsync after creating an entry in it.
std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Writes all of `data` to `fd`.
absl::Status WriteAll(int fd, absl::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot write"));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadSecretFile(const std::string& path, const SecretFileKind& kind,
                            std::string& contents) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat(path, ": cannot open ", kind.name));
  }
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot stat"));
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": ", kind.name, " is not a regular file"));
  }
  if ((info.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": permissions ", PermissionsText(info.st_mode),
                     " are too open; ", kind.name,
                     " must be readable by its owner only (chmod 600)"));
  }
  contents.assign(kind.max_bytes + 1, '\0');
  size_t length = 0;
  while (length < contents.size()) {
    ssize_t n =
        ::read(fd.get(), contents.data() + length, contents.size() - length);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot read"));
    }
    if (n == 0) break;
    length += static_cast<size_t>(n);
  }
  if (length > kind.max_bytes) {
    return absl::DataLossError(
        absl::StrCat(path, ": more than ", kind.max_bytes,
                     " bytes; this is not ", kind.content));
  }
  contents.resize(length);
  return absl::OkStatus();
}

absl::Status CreateSecretFile(const std::string& path, absl::string_view name,
                              absl::string_view contents) {
  FileDescriptor fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat(path, ": cannot create ", name));
  }
  absl::Status status = WriteAll(fd.get(), contents, path);
  if (status.ok() && ::fsync(fd.get()) != 0) {
    status = absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot fsync"));
  }
  if (fd.Close() != 0 && status.ok()) {
    status = absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot close"));
  }
  if (!status.ok()) {
    // We created the file and nobody has used it yet: leave no partial
    // secret behind for the next start to trip over.
    ::unlink(path.c_str());
    return status;
  }
  return SyncDirectory(DirectoryOf(path));
}

absl::Status SyncDirectory(const std::string& directory) {
  FileDescriptor fd(
      ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat(directory, ": cannot open"));
  }
  if (::fsync(fd.get()) != 0) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat(directory, ": cannot fsync"));
  }
  return absl::OkStatus();
}

}  // namespace sentinel
