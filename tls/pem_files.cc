// Certificate and key files, read whole within a size bound and parsed.
#include "tls/pem_files.h"

#include <openssl/crypto.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/secret_file.h"

namespace sentinel::tls {
namespace {

// A CA bundle of a few hundred certificates still fits.
constexpr size_t kMaxCertificateFileBytes = 1024 * 1024;

// A PEM RSA-8192 key is under 7 KB.
constexpr SecretFileKind kTlsPrivateKey = {.name = "the TLS private key",
                                           .content = "a PEM private key",
                                           .max_bytes = 64 * 1024};

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

absl::StatusOr<std::string> ReadCertificateFile(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rbe"));
  if (file == nullptr) {
    return absl::ErrnoToStatus(
        errno, absl::StrCat(path, ": cannot open the certificate"));
  }
  std::string text(kMaxCertificateFileBytes + 1, '\0');
  size_t length = std::fread(text.data(), 1, text.size(), file.get());
  if (std::ferror(file.get())) {
    return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot read"));
  }
  if (length > kMaxCertificateFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": more than ", kMaxCertificateFileBytes,
                     " bytes; this is not a PEM certificate file"));
  }
  text.resize(length);
  absl::Status parsed = ParseCertificatePem(text).status();
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", parsed.message()));
  }
  return text;
}

absl::StatusOr<CertifiedKey> ReadCertifiedKey(
    const std::string& certificate_path, const std::string& key_path) {
  CertifiedKey pair;
  absl::StatusOr<std::string> certificate =
      ReadCertificateFile(certificate_path);
  if (!certificate.ok()) return certificate.status();
  pair.certificate_pem = *std::move(certificate);

  absl::Status read =
      ReadSecretFile(key_path, kTlsPrivateKey, pair.private_key_pem);
  if (!read.ok()) return read;  // `pair` wipes what was read.
  absl::StatusOr<ParsedCertifiedKey> parsed = ParseCertifiedKey(pair);
  if (!parsed.ok()) {
    // The certificate file parsed above, so the key file is at fault.
    return absl::InvalidArgumentError(
        absl::StrCat(key_path, ": ", parsed.status().message()));
  }
  return pair;
}

}  // namespace sentinel::tls
