// PEM through OpenSSL 3's memory BIOs.
#include "tls/pem.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <utility>

#include "absl/status/status.h"

namespace sentinel::tls {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// A read-only BIO over `text`, which must outlive it.
BioPtr ReadBio(absl::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// A password callback that refuses: OpenSSL's default would prompt on the
// terminal for an encrypted key, which must never happen in a daemon.
int RefusePassword(char* /*buffer*/, int /*size*/, int /*rwflag*/,
                   void* /*userdata*/) {
  return -1;
}

// The text written to `bio`. The BIO's buffer is wiped by OpenSSL when freed.
absl::StatusOr<std::string> BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) {
    return absl::InternalError("OpenSSL cannot encode PEM");
  }
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

CertifiedKey::CertifiedKey(std::string certificate_pem,
                           std::string private_key_pem)
    : certificate_pem(std::move(certificate_pem)),
      private_key_pem(std::move(private_key_pem)) {}

CertifiedKey::~CertifiedKey() {
  OPENSSL_cleanse(private_key_pem.data(), private_key_pem.size());
}

CertifiedKey& CertifiedKey::operator=(CertifiedKey&& other) {
  if (this != &other) {
    OPENSSL_cleanse(private_key_pem.data(), private_key_pem.size());
    certificate_pem = std::move(other.certificate_pem);
    private_key_pem = std::move(other.private_key_pem);
  }
  return *this;
}

absl::StatusOr<X509Ptr> ParseCertificatePem(absl::string_view pem) {
  BioPtr bio = ReadBio(pem);
  X509Ptr certificate;
  if (bio != nullptr) {
    certificate.reset(
        PEM_read_bio_X509(bio.get(), nullptr, &RefusePassword, nullptr));
  }
  // OpenSSL's errors are thread-local: drop them so that they do not
  // surface in an unrelated caller's later ERR_get_error().
  ERR_clear_error();
  if (certificate == nullptr) {
    return absl::InvalidArgumentError("not a PEM certificate");
  }
  return certificate;
}

absl::StatusOr<PkeyPtr> ParsePrivateKeyPem(absl::string_view pem) {
  BioPtr bio = ReadBio(pem);
  PkeyPtr key;
  if (bio != nullptr) {
    key.reset(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, &RefusePassword, nullptr));
  }
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError("not an unencrypted PEM private key");
  }
  return key;
}

absl::StatusOr<ParsedCertifiedKey> ParseCertifiedKey(const CertifiedKey& pair) {
  absl::StatusOr<X509Ptr> certificate =
      ParseCertificatePem(pair.certificate_pem);
  if (!certificate.ok()) return certificate.status();
  absl::StatusOr<PkeyPtr> key = ParsePrivateKeyPem(pair.private_key_pem);
  if (!key.ok()) return key.status();
  if (X509_check_private_key(certificate->get(), key->get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        "the private key does not match the certificate");
  }
  return ParsedCertifiedKey{*std::move(certificate), *std::move(key)};
}

absl::StatusOr<std::string> CertificateToPem(X509* certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_X509(bio.get(), certificate) != 1) {
    ERR_clear_error();
    return absl::InternalError("OpenSSL cannot encode a certificate as PEM");
  }
  return BioText(bio.get());
}

absl::StatusOr<std::string> PrivateKeyToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                               nullptr) != 1) {
    ERR_clear_error();
    return absl::InternalError("OpenSSL cannot encode a private key as PEM");
  }
  return BioText(bio.get());
}

}  // namespace sentinel::tls
