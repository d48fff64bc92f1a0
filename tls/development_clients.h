// Client certificates of the development PKI for any principal, so that on
// one machine `sentinelctl --as=security/bob` can be security/bob (the
// two-person unfreeze needs two different people). Minted on first use with
// the development CA's key and kept under <tls_dir>/clients/. For one machine
// and for tests only: production clients get certificates from a real CA and
// pass them with --tls_cert and --tls_key.
#ifndef SENTINEL_TLS_DEVELOPMENT_CLIENTS_H_
#define SENTINEL_TLS_DEVELOPMENT_CLIENTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/principal.h"
#include "tls/development_pki.h"

namespace sentinel::tls {

struct ClientCertificateFiles {
  std::string certificate;
  std::string key;
};

// The certificate and key of `principal` in `pki`: the files
// <tls_dir>/clients/<role>-<name>.pem and .key, created when the certificate
// is missing (valid 1 year from `now` - 5 minutes, the only SAN the
// principal's SPIFFE URI). The key is written before the certificate and
// each is renamed into place complete, so a crash never leaves a certificate
// without its key; concurrent callers may each mint one, and the last rename
// wins for both files in the same order.
//
// Errors: those of reading the CA (ReadCertifiedKey) and of writing files
// (the code follows errno), each naming the file.
absl::StatusOr<ClientCertificateFiles> EnsureDevelopmentClient(
    const DevelopmentPki& pki, const Principal& principal, absl::Time now);

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_DEVELOPMENT_CLIENTS_H_
