#include "tls/development_clients.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/secret_file.h"
#include "common/status_macros.h"
#include "tls/certificate_issuer.h"
#include "tls/pem_files.h"

namespace sentinel::tls {
namespace {

// Writes `contents` to a fresh owner-only temporary file beside `path` and
// renames it over `path`.
absl::Status ReplaceFile(const std::string& path, absl::string_view name,
                         absl::string_view contents) {
  const std::string temporary = absl::StrCat(path, ".tmp-", ::getpid(), "-",
                                             absl::ToUnixNanos(absl::Now()));
  SENTINEL_RETURN_IF_ERROR(CreateSecretFile(temporary, name, contents));
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    return absl::ErrnoToStatus(error, absl::StrCat(path, ": cannot rename"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ClientCertificateFiles> EnsureDevelopmentClient(
    const DevelopmentPki& pki, const Principal& principal, absl::Time now) {
  const std::string directory = pki.directory() + "/clients";
  const std::string base = absl::StrCat(
      directory, "/", RoleName(principal.role), "-", principal.name);
  ClientCertificateFiles files{.certificate = base + ".pem",
                               .key = base + ".key"};
  struct stat info;
  if (::stat(files.certificate.c_str(), &info) == 0) return files;

  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat(directory, ": cannot create"));
  }
  SENTINEL_ASSIGN_OR_RETURN(CertifiedKey ca,
                            ReadCertifiedKey(pki.ca_cert(), pki.ca_key()));
  CertificateSpec spec;
  spec.common_name = principal.ToString();
  spec.usage = CertificateUsage::kClient;
  spec.uris = {principal.ToUri()};
  spec.not_before = now - absl::Minutes(5);
  spec.not_after = now + absl::Hours(24 * 365);
  SENTINEL_ASSIGN_OR_RETURN(CertifiedKey client, IssueCertificate(spec, &ca));
  SENTINEL_RETURN_IF_ERROR(
      ReplaceFile(files.key, "the TLS private key", client.private_key_pem));
  SENTINEL_RETURN_IF_ERROR(ReplaceFile(files.certificate, "the TLS certificate",
                                       client.certificate_pem));
  SENTINEL_RETURN_IF_ERROR(SyncDirectory(directory));
  return files;
}

}  // namespace sentinel::tls
