// Reading TLS material from files: certificates, and certificates with their
// owner-only private keys, checked to parse before anyone relies on them.
//
// Nothing here logs or puts key material into a status message.
#ifndef SENTINEL_TLS_PEM_FILES_H_
#define SENTINEL_TLS_PEM_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "tls/pem.h"

namespace sentinel::tls {

// The text of the PEM certificate file at `path` (one certificate or
// several, e.g. a CA bundle), checked to begin with a certificate.
//
// OK: the whole file. Errors, each message starting with `path`:
//   kNotFound, kPermissionDenied, ...  the file cannot be opened or read (the
//                     code follows errno);
//   kInvalidArgument  it holds no PEM certificate, or exceeds 1 MiB.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(std::string roots,
//                             ReadCertificateFile(flags.tls_client_ca));
absl::StatusOr<std::string> ReadCertificateFile(const std::string& path);

// The certificate (chain) at `certificate_path` and the private key at
// `key_path`, which must be a regular file only its owner can access (see
// ReadSecretFile), checked to parse and to belong together.
//
// OK: both texts. Errors, each message starting with the path concerned:
//   those of ReadCertificateFile for `certificate_path`;
//   kFailedPrecondition  the key file's permissions allow group or other
//                        access ("<key_path>: permissions 0644 are too open;
//                        the TLS private key must be readable by its owner
//                        only (chmod 600)"), or it is not a regular file;
//   kNotFound, kPermissionDenied, ...  the key file cannot be read;
//   kDataLoss            the key file exceeds 64 KiB;
//   kInvalidArgument     the key file holds no unencrypted PEM private key,
//                        or its key does not match the certificate.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(CertifiedKey identity,
//       ReadCertifiedKey(flags.tls_cert, flags.tls_key));
absl::StatusOr<CertifiedKey> ReadCertifiedKey(
    const std::string& certificate_path, const std::string& key_path);

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_PEM_FILES_H_
