// The CRL file, re-read when its stat changes and checked before use.
#include "tls/crl_watcher.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tls/pem_files.h"

namespace sentinel::tls {
namespace {

// A CRL of a few hundred thousand entries still fits.
constexpr off_t kMaxCrlFileBytes = 16 * 1024 * 1024;

bool SameTime(const timespec& a, const timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

struct FdCloser {
  explicit FdCloser(int fd) : fd(fd) {}
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
  int fd;
};

}  // namespace

bool CrlWatcher::FileVersion::operator==(const FileVersion& other) const {
  return stat_errno == other.stat_errno && device == other.device &&
         inode == other.inode && size == other.size &&
         SameTime(modified, other.modified) && SameTime(changed, other.changed);
}

CrlWatcher::FileVersion CrlWatcher::VersionOf(const struct stat& info) {
  FileVersion version;
  version.device = info.st_dev;
  version.inode = info.st_ino;
  version.size = info.st_size;
  version.modified = info.st_mtim;
  version.changed = info.st_ctim;
  return version;
}

CrlWatcher::FileVersion CrlWatcher::StatPath(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    FileVersion version;
    version.stat_errno = errno;
    return version;
  }
  return VersionOf(info);
}

absl::Status CrlWatcher::ReadFile(const std::string& path, std::string* text,
                                  FileVersion* version) {
  FdCloser file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat info;
  if (file.fd < 0 || ::fstat(file.fd, &info) != 0) {
    *version = StatPath(path);
    return absl::ErrnoToStatus(errno,
                               absl::StrCat(path, ": cannot open the CRL"));
  }
  *version = VersionOf(info);
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a regular file"));
  }
  if (info.st_size > kMaxCrlFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": more than ", kMaxCrlFileBytes,
                     " bytes; this is not a PEM CRL file"));
  }
  // One byte more than stat says, to see the file grow while it is read.
  text->assign(static_cast<size_t>(info.st_size) + 1, '\0');
  size_t length = 0;
  while (length < text->size()) {
    const ssize_t got =
        ::read(file.fd, text->data() + length, text->size() - length);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot read"));
    }
    if (got == 0) break;
    length += static_cast<size_t>(got);
  }
  if (length > static_cast<size_t>(info.st_size)) {
    // Being written right now: its next version will be read once it
    // changes again.
    return absl::UnavailableError(
        absl::StrCat(path, ": changed while it was read"));
  }
  text->resize(length);
  return absl::OkStatus();
}

CrlWatcher::CrlWatcher(CrlWatcherOptions options, std::string client_ca_pem)
    : options_(std::move(options)),
      client_ca_pem_(std::move(client_ca_pem)),
      list_(std::make_shared<RevocationList>()) {}

absl::StatusOr<std::shared_ptr<CrlWatcher>> CrlWatcher::Start(
    CrlWatcherOptions options) {
  absl::StatusOr<std::string> client_ca =
      ReadCertificateFile(options.client_ca_path);
  if (!client_ca.ok()) return client_ca.status();
  std::shared_ptr<CrlWatcher> watcher(
      new CrlWatcher(std::move(options), *std::move(client_ca)));
  absl::MutexLock lock(&watcher->mu_);
  std::string ignored;  // At start the error is returned, not logged.
  absl::Status status = watcher->CheckLocked(&ignored);
  if (!status.ok()) return status;
  return watcher;
}

bool CrlWatcher::IsRevoked(const CertificateSerial& certificate) {
  std::shared_ptr<const RevocationList> list;
  std::string log_line;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = options_.clock->Now();
    if (now >= next_check_) {
      next_check_ = now + options_.check_interval;
      CheckLocked(&log_line).IgnoreError();  // Logged; the old list stays.
    }
    list = list_;
  }
  if (!log_line.empty() && options_.log) options_.log(log_line);
  return list->IsRevoked(certificate);
}

absl::Status CrlWatcher::CheckNow() {
  std::string log_line;
  absl::Status status;
  {
    absl::MutexLock lock(&mu_);
    next_check_ = options_.clock->Now() + options_.check_interval;
    status = CheckLocked(&log_line);
  }
  if (!log_line.empty() && options_.log) options_.log(log_line);
  return status;
}

std::shared_ptr<const RevocationList> CrlWatcher::current() const {
  absl::MutexLock lock(&mu_);
  return list_;
}

absl::Status CrlWatcher::CheckLocked(std::string* log_line) {
  const absl::Time now = options_.clock->Now();
  const std::string& path = options_.crl_path;
  if (read_once_ && StatPath(path) == version_) {
    if (!warned_stale_ && now > list_->next_update()) {
      warned_stale_ = true;
      *log_line = absl::StrCat(
          "event=crl_stale path=", path, " next_update=",
          absl::FormatTime(absl::RFC3339_sec, list_->next_update(),
                           absl::UTCTimeZone()),
          ": the CRL in force is past its nextUpdate and still enforced; "
          "issue a new one");
    }
    return version_status_;
  }
  std::string text;
  FileVersion read_version;
  absl::Status status = ReadFile(path, &text, &read_version);
  if (status.ok()) {
    absl::StatusOr<RevocationList> parsed =
        ParseRevocationList(text, client_ca_pem_, now);
    if (parsed.ok()) {
      list_ = std::make_shared<const RevocationList>(*std::move(parsed));
      warned_stale_ = false;
      *log_line = absl::StrCat("event=crl_loaded path=", path,
                               " revoked=", list_->size());
    } else {
      status =
          absl::Status(parsed.status().code(),
                       absl::StrCat(path, ": ", parsed.status().message()));
    }
  }
  read_once_ = true;
  version_ = read_version;
  version_status_ = status;
  if (!status.ok()) {
    *log_line = absl::StrCat("event=crl_refused ", status.message(),
                             "; the CRL in force before stays in force (",
                             list_->size(), " revoked)");
  }
  return status;
}

}  // namespace sentinel::tls
