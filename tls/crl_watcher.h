// The client CRL file a server enforces, kept current without a restart:
// the file is checked for changes at most once per interval, on use (a
// handshake or a call), and a new version is put in force only once it
// parses and verifies against the client CA.
#ifndef SENTINEL_TLS_CRL_WATCHER_H_
#define SENTINEL_TLS_CRL_WATCHER_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <ctime>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "tls/revocation_list.h"

namespace sentinel::tls {

struct CrlWatcherOptions {
  // The PEM file of one or more CRLs issued by the client CA (--tls_crl).
  std::string crl_path;
  // The client CA certificate(s) the CRLs must be signed by
  // (--tls_client_ca).
  std::string client_ca_path;
  // Judges CRL expiry and paces the checks. Must outlive the watcher.
  const Clock* clock = &SystemClock();
  // Longest a change of the file goes unnoticed by a handshake or a call.
  absl::Duration check_interval = absl::Seconds(1);
  // Called (never under a lock of the watcher) with each event after
  // start: a new CRL in force, a changed file refused, a CRL in force past
  // its nextUpdate. May be empty.
  std::function<void(const std::string&)> log;
};

// Holds the revocation list in force and replaces it when the file changes.
// Thread-safe: handshakes and calls on any thread ask IsRevoked.
//
// Why check on use, with a stat at most once per check_interval: a stat is
// about a microsecond, so a check on every handshake would cost nothing
// either, but calls also ask (a connection opened before a revocation must
// not keep working), and one stat per second bounds that cost under load
// while revoking within a second. A background thread would notice changes
// with no traffic, which nobody needs: the list only matters to the next
// handshake or call, which checks first. Tests move the clock, or call
// CheckNow(), instead of waiting.
//
// A change is any difference in the file's device, inode, size, mtime or
// ctime, so a rename into place and an in-place rewrite both count. A
// changed file that cannot be read, does not parse or verify, or has
// expired is refused: the list in force stays, and the refusal is logged
// once for that version of the file. A list in force is never dropped for
// its age: once its nextUpdate passes it still revokes what it lists (a
// warning is logged once), since failing every client would be worse.
class CrlWatcher final {
 public:
  // Reads the client CA and the CRL file and puts the CRL in force.
  //
  // OK: the watcher. Errors, each starting with the file's path:
  //   kNotFound, kPermissionDenied, ...  a file cannot be read (the code
  //                     follows errno);
  //   kInvalidArgument  the client CA file holds no certificate, or the CRL
  //                     file is larger than 16 MiB or refused by
  //                     ParseRevocationList ("<crl_path>: CRL 1 (issuer
  //                     CN=Other CA): not issued by a client CA").
  //
  // Example:
  //   SENTINEL_ASSIGN_OR_RETURN(
  //       std::shared_ptr<CrlWatcher> crl,
  //       CrlWatcher::Start({.crl_path = flags.tls_crl,
  //                          .client_ca_path = flags.tls_client_ca}));
  static absl::StatusOr<std::shared_ptr<CrlWatcher>> Start(
      CrlWatcherOptions options);

  // Whether the list in force revokes `certificate`, after checking the
  // file for changes if the last check is check_interval or more ago.
  bool IsRevoked(const CertificateSerial& certificate);
  bool IsRevoked(const X509* certificate) {
    return IsRevoked(SerialOf(certificate));
  }

  // Checks the file now, whatever the interval.
  //
  // OK: the version of the file now on disk is in force. Otherwise why that
  // version was refused (as logged once; the list in force before stays):
  // the errors of Start() for the CRL file, or kUnavailable when it changed
  // while being read (it is read again once its stat settles).
  absl::Status CheckNow();

  // The list in force, without checking the file.
  std::shared_ptr<const RevocationList> current() const;

 private:
  // What identifies one version of a file.
  struct FileVersion {
    int stat_errno = 0;  // stat() failed with it; the rest is then zero
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec modified = {};
    timespec changed = {};
    bool operator==(const FileVersion& other) const;
  };

  CrlWatcher(CrlWatcherOptions options, std::string client_ca_pem);

  static FileVersion VersionOf(const struct stat& info);
  // The file's current version, by path.
  static FileVersion StatPath(const std::string& path);
  // The whole file at `path` and the version read (fstat of the open file).
  static absl::Status ReadFile(const std::string& path, std::string* text,
                               FileVersion* version);

  // Re-reads the file if it changed since the last read. Returns the
  // status of that read (OK when unchanged) and sets `*log_line` to what
  // to log, if anything.
  absl::Status CheckLocked(std::string* log_line)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const CrlWatcherOptions options_;
  const std::string client_ca_pem_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const RevocationList> list_ ABSL_GUARDED_BY(mu_);
  // The version of the file last read, whether it was put in force or
  // refused, and the status of that read.
  FileVersion version_ ABSL_GUARDED_BY(mu_);
  absl::Status version_status_ ABSL_GUARDED_BY(mu_);
  absl::Time next_check_ ABSL_GUARDED_BY(mu_);
  bool read_once_ ABSL_GUARDED_BY(mu_) = false;
  bool warned_stale_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_CRL_WATCHER_H_
