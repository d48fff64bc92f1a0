// The development PKI: a CA, a server certificate and one client certificate
// per role, created under <data_dir>/tls/ when a server starts without TLS
// flags, and found there by sentinelctl. For one machine and for tests: the
// CA key lies next to the certificates it signs.
#ifndef SENTINEL_TLS_DEVELOPMENT_PKI_H_
#define SENTINEL_TLS_DEVELOPMENT_PKI_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sentinel/v1/common.pb.h"

namespace sentinel::tls {

// The paths of the development PKI's files in one directory. Constructing
// one touches no file; see LoadDevelopmentPki and EnsureDevelopmentPki.
// Copyable and immutable.
class DevelopmentPki final {
 public:
  // The files are named relative to `directory`, used as given.
  explicit DevelopmentPki(std::string directory);

  const std::string& directory() const { return directory_; }
  // "Sentinel development CA": self-signed, CA:TRUE, keyCertSign.
  std::string ca_cert() const;  // <directory>/ca.pem
  std::string ca_key() const;   // <directory>/ca.key
  // serverAuth, SANs DNS:localhost, IP:127.0.0.1 and IP:::1.
  std::string server_cert() const;  // <directory>/server.pem
  std::string server_key() const;   // <directory>/server.key
  // clientAuth; the only SAN is the URI
  // spiffe://sentinel/role/<role>/user/dev-<role>. `role` must be one of the
  // five roles (not ROLE_UNSPECIFIED).
  std::string ClientCertFor(v1::Role role) const;  // .../client-<role>.pem
  std::string ClientKeyFor(v1::Role role) const;   // .../client-<role>.key

 private:
  std::string directory_;
};

// Checks the development PKI in `tls_dir` without changing anything: every
// file is present, every key file is owner-only, every certificate parses
// and matches its key.
//
// OK: its paths. Errors, each naming the file or directory concerned:
//   kNotFound            `tls_dir` does not exist;
//   kFailedPrecondition  a file is missing ("<tls_dir>/server.key is
//                        missing: ..."), or a key file's permissions allow
//                        group or other access ("permissions 0644 are too
//                        open; ...");
//   kInvalidArgument     a file does not parse, or a key does not match its
//                        certificate;
//   kDataLoss            a key file is over 64 KiB;
//   kPermissionDenied, ...  a file cannot be read.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(DevelopmentPki pki,
//                             LoadDevelopmentPki(data_dir + "/tls"));
absl::StatusOr<DevelopmentPki> LoadDevelopmentPki(const std::string& tls_dir);

// Loads the development PKI in `tls_dir` as LoadDevelopmentPki does, first
// creating it when `tls_dir` does not exist or is empty: a new CA (valid 10
// years), server and client certificates (valid 1 year), all ECDSA P-256,
// valid from `now` - 5 minutes. Material that exists is never regenerated or
// overwritten, even when incomplete or invalid.
//
// Atomicity: the files are written and fsynced in a new sibling directory
// "<tls_dir>.new-XXXXXX" (mode 0700, every file 0600) that is renamed to
// `tls_dir`, and the parent is fsynced, so a crash leaves either no
// `tls_dir` or a complete one (plus, at worst, a stale sibling to delete).
// Concurrent callers agree: one rename wins and every caller loads its
// result. The parent of `tls_dir` must exist.
//
// OK: the paths. Errors: those of LoadDevelopmentPki (except kNotFound for
// `tls_dir`), and those of creating files (the code follows errno,
// kInternal when OpenSSL fails).
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(
//       DevelopmentPki pki,
//       EnsureDevelopmentPki(data_dir + "/tls", clock.Now()));
//   SENTINEL_ASSIGN_OR_RETURN(
//       auto credentials,
//       ServerCredentials(pki.server_cert(), pki.server_key(), pki.ca_cert()));
absl::StatusOr<DevelopmentPki> EnsureDevelopmentPki(const std::string& tls_dir,
                                                    absl::Time now);

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_DEVELOPMENT_PKI_H_
