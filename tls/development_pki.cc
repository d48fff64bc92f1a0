// The development PKI, minted in a staging directory and renamed into place.
#include "tls/development_pki.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/principal.h"
#include "common/secret_file.h"
#include "common/status_macros.h"
#include "tls/certificate_issuer.h"
#include "tls/pem_files.h"

namespace sentinel::tls {
namespace {

constexpr v1::Role kClientRoles[] = {v1::ROLE_AGENT, v1::ROLE_SECURITY,
                                     v1::ROLE_INTERNAL, v1::ROLE_AUDITOR,
                                     v1::ROLE_ADMIN};

// Tolerates clocks a little behind ours on other machines.
constexpr absl::Duration kBackdate = absl::Minutes(5);
constexpr absl::Duration kCaValidity = absl::Hours(24 * 3650);
constexpr absl::Duration kLeafValidity = absl::Hours(24 * 365);

std::string WithoutTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::string ParentOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

struct FilePair {
  std::string certificate;
  std::string key;
};

std::vector<FilePair> FilePairsOf(const DevelopmentPki& pki) {
  std::vector<FilePair> pairs = {{pki.ca_cert(), pki.ca_key()},
                                 {pki.server_cert(), pki.server_key()}};
  for (v1::Role role : kClientRoles) {
    pairs.push_back({pki.ClientCertFor(role), pki.ClientKeyFor(role)});
  }
  return pairs;
}

absl::StatusOr<bool> IsAbsentOrEmpty(const std::string& directory) {
  std::error_code error;
  std::filesystem::directory_iterator entries(directory, error);
  if (error == std::errc::no_such_file_or_directory) return true;
  if (error) {
    return absl::ErrnoToStatus(error.value(),
                               absl::StrCat(directory, ": cannot list"));
  }
  return entries == std::filesystem::directory_iterator();
}

absl::Status WriteCertifiedKey(const CertifiedKey& pair,
                               const std::string& certificate_path,
                               const std::string& key_path) {
  SENTINEL_RETURN_IF_ERROR(CreateSecretFile(
      certificate_path, "a development certificate", pair.certificate_pem));
  return CreateSecretFile(key_path, "a development TLS key",
                          pair.private_key_pem);
}

// Mints every certificate and writes every file of `pki`, whose directory
// exists and is empty.
absl::Status WriteDevelopmentPki(const DevelopmentPki& pki, absl::Time now) {
  CertificateSpec ca_spec;
  ca_spec.common_name = "Sentinel development CA";
  ca_spec.usage = CertificateUsage::kCertificateAuthority;
  ca_spec.not_before = now - kBackdate;
  ca_spec.not_after = now + kCaValidity;
  SENTINEL_ASSIGN_OR_RETURN(CertifiedKey ca,
                            IssueCertificate(ca_spec, nullptr));
  SENTINEL_RETURN_IF_ERROR(WriteCertifiedKey(ca, pki.ca_cert(), pki.ca_key()));

  CertificateSpec server_spec;
  server_spec.common_name = "localhost";
  server_spec.usage = CertificateUsage::kServer;
  server_spec.dns_names = {"localhost"};
  server_spec.ip_addresses = {"127.0.0.1", "::1"};
  server_spec.not_before = now - kBackdate;
  server_spec.not_after = now + kLeafValidity;
  SENTINEL_ASSIGN_OR_RETURN(CertifiedKey server,
                            IssueCertificate(server_spec, &ca));
  SENTINEL_RETURN_IF_ERROR(
      WriteCertifiedKey(server, pki.server_cert(), pki.server_key()));

  for (v1::Role role : kClientRoles) {
    const Principal principal{role, absl::StrCat("dev-", RoleName(role))};
    CertificateSpec client_spec;
    client_spec.common_name = principal.name;
    client_spec.usage = CertificateUsage::kClient;
    client_spec.uris = {principal.ToUri()};
    client_spec.not_before = now - kBackdate;
    client_spec.not_after = now + kLeafValidity;
    SENTINEL_ASSIGN_OR_RETURN(CertifiedKey client,
                              IssueCertificate(client_spec, &ca));
    SENTINEL_RETURN_IF_ERROR(WriteCertifiedKey(client, pki.ClientCertFor(role),
                                               pki.ClientKeyFor(role)));
  }
  return absl::OkStatus();
}

// Creates the PKI in a staging sibling of `tls_dir` and renames it to
// `tls_dir`. kAlreadyExists when `tls_dir` gained entries meanwhile (another
// process created it first); the staging directory is then removed.
absl::Status CreateDevelopmentPki(const std::string& tls_dir, absl::Time now) {
  std::string staging = absl::StrCat(tls_dir, ".new-XXXXXX");
  if (::mkdtemp(staging.data()) == nullptr) {  // Mode 0700.
    return absl::ErrnoToStatus(errno, absl::StrCat(staging, ": cannot create"));
  }
  absl::Status status = WriteDevelopmentPki(DevelopmentPki(staging), now);
  // rename() replaces `tls_dir` only if it is an empty directory.
  if (status.ok() && ::rename(staging.c_str(), tls_dir.c_str()) != 0) {
    const int error = errno;
    if (error == ENOTEMPTY || error == EEXIST) {
      status = absl::AlreadyExistsError(
          absl::StrCat(tls_dir, ": created concurrently"));
    } else {
      status = absl::ErrnoToStatus(
          error, absl::StrCat(staging, ": cannot rename to ", tls_dir));
    }
  }
  if (!status.ok()) {
    std::error_code ignored;
    std::filesystem::remove_all(staging, ignored);
    return status;
  }
  return SyncDirectory(ParentOf(tls_dir));
}

}  // namespace

DevelopmentPki::DevelopmentPki(std::string directory)
    : directory_(std::move(directory)) {}

std::string DevelopmentPki::ca_cert() const {
  return absl::StrCat(directory_, "/ca.pem");
}

std::string DevelopmentPki::ca_key() const {
  return absl::StrCat(directory_, "/ca.key");
}

std::string DevelopmentPki::server_cert() const {
  return absl::StrCat(directory_, "/server.pem");
}

std::string DevelopmentPki::server_key() const {
  return absl::StrCat(directory_, "/server.key");
}

std::string DevelopmentPki::ClientCertFor(v1::Role role) const {
  return absl::StrCat(directory_, "/client-", RoleName(role), ".pem");
}

std::string DevelopmentPki::ClientKeyFor(v1::Role role) const {
  return absl::StrCat(directory_, "/client-", RoleName(role), ".key");
}

absl::StatusOr<DevelopmentPki> LoadDevelopmentPki(const std::string& tls_dir) {
  DevelopmentPki pki(WithoutTrailingSlashes(tls_dir));
  struct stat info;
  if (::stat(pki.directory().c_str(), &info) != 0) {
    return absl::ErrnoToStatus(
        errno, absl::StrCat(pki.directory(), ": no development TLS directory"));
  }
  if (!S_ISDIR(info.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(pki.directory(), ": not a directory"));
  }
  const std::vector<FilePair> pairs = FilePairsOf(pki);
  for (const FilePair& pair : pairs) {
    for (const std::string* path : {&pair.certificate, &pair.key}) {
      if (::access(path->c_str(), F_OK) != 0 && errno == ENOENT) {
        return absl::FailedPreconditionError(absl::StrCat(
            *path, " is missing: ", pki.directory(),
            " holds an incomplete development PKI; remove that directory to "
            "have a new one created"));
      }
    }
  }
  for (const FilePair& pair : pairs) {
    SENTINEL_RETURN_IF_ERROR(
        ReadCertifiedKey(pair.certificate, pair.key).status());
  }
  return pki;
}

absl::StatusOr<DevelopmentPki> EnsureDevelopmentPki(const std::string& tls_dir,
                                                    absl::Time now) {
  const std::string directory = WithoutTrailingSlashes(tls_dir);
  SENTINEL_ASSIGN_OR_RETURN(bool absent_or_empty, IsAbsentOrEmpty(directory));
  if (absent_or_empty) {
    absl::Status created = CreateDevelopmentPki(directory, now);
    // kAlreadyExists: another caller's material won the rename; load it.
    if (!created.ok() && !absl::IsAlreadyExists(created)) return created;
  }
  return LoadDevelopmentPki(directory);
}

}  // namespace sentinel::tls
