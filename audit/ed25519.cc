// Ed25519 key storage, signing and verification with OpenSSL 3's EVP API.
#include "audit/ed25519.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/secret_file.h"

namespace sentinel::audit {
namespace {

using ed25519_internal::PkeyPtr;

// A PEM Ed25519 private key is about 120 bytes; anything much larger is not
// one, and reading it whole would only cost memory.
constexpr SecretFileKind kSigningKey = {.name = "the signing key",
                                        .content = "an Ed25519 private key",
                                        .max_bytes = 16 * 1024};

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct MdContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using MdContextPtr = std::unique_ptr<EVP_MD_CTX, MdContextDeleter>;

// OpenSSL's errors are thread-local; drop them so that a failure here does
// not surface in an unrelated caller's later ERR_get_error().
void ClearOpenSslErrors() { ERR_clear_error(); }

// A password callback that refuses: OpenSSL's default would prompt on the
// terminal for an encrypted key, which must never happen in a daemon.
int RefusePassword(char* /*buffer*/, int /*size*/, int /*rwflag*/,
                   void* /*userdata*/) {
  return -1;
}

// The 32 raw public-key bytes of an Ed25519 key.
absl::StatusOr<std::string> RawPublicKey(EVP_PKEY* key) {
  unsigned char raw[kEd25519PublicKeyBytes];
  size_t length = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(key, raw, &length) != 1 ||
      length != kEd25519PublicKeyBytes) {
    ClearOpenSslErrors();
    return absl::InternalError("cannot extract the Ed25519 public key");
  }
  return std::string(reinterpret_cast<const char*>(raw), length);
}

// Writes `key` as PKCS#8 PEM to a new file at `path` (mode 0600, O_EXCL) and
// makes it durable. kAlreadyExists if the file appeared meanwhile.
absl::Status StoreNewKey(EVP_PKEY* key, const std::string& path) {
  // The BIO's buffer is wiped by OpenSSL (BUF_MEM_free clears) when freed.
  BioPtr pem(BIO_new(BIO_s_mem()));
  if (pem == nullptr ||
      PEM_write_bio_PrivateKey(pem.get(), key, nullptr, nullptr, 0, nullptr,
                               nullptr) != 1) {
    ClearOpenSslErrors();
    return absl::InternalError("cannot encode the new Ed25519 key as PEM");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(pem.get(), &data);
  if (size <= 0 || data == nullptr) {
    return absl::InternalError("cannot encode the new Ed25519 key as PEM");
  }

  return CreateSecretFile(path, kSigningKey.name,
                          absl::string_view(data, static_cast<size_t>(size)));
}

}  // namespace

Ed25519PrivateKey::Ed25519PrivateKey(PkeyPtr key, std::string public_key)
    : key_(std::move(key)), public_key_(std::move(public_key)) {}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::Load(
    const std::string& path) {
  std::string contents;
  absl::Status read = ReadSecretFile(path, kSigningKey, contents);
  PkeyPtr key;
  if (read.ok()) {
    BioPtr bio(
        BIO_new_mem_buf(contents.data(), static_cast<int>(contents.size())));
    if (bio != nullptr) {
      key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, &RefusePassword,
                                        nullptr));
    }
    ClearOpenSslErrors();
  }
  OPENSSL_cleanse(contents.data(), contents.size());
  if (!read.ok()) return read;
  if (key == nullptr) {
    return absl::DataLossError(absl::StrCat(
        path, ": not an unencrypted PEM private key (corrupt or truncated?)"));
  }
  if (!EVP_PKEY_is_a(key.get(), "ED25519")) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": holds a ", EVP_PKEY_get0_type_name(key.get()),
                     " key, not an Ed25519 key"));
  }
  absl::StatusOr<std::string> public_key = RawPublicKey(key.get());
  if (!public_key.ok()) return public_key.status();
  return Ed25519PrivateKey(std::move(key), *std::move(public_key));
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::LoadOrCreate(
    const std::string& path) {
  absl::StatusOr<Ed25519PrivateKey> loaded = Load(path);
  if (loaded.status().code() != absl::StatusCode::kNotFound) return loaded;

  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (key == nullptr) {
    ClearOpenSslErrors();
    return absl::InternalError("cannot generate an Ed25519 key");
  }
  absl::Status stored = StoreNewKey(key.get(), path);
  if (stored.code() == absl::StatusCode::kAlreadyExists) {
    // Another process created the key between our Load and open(O_EXCL);
    // the file on disk is the key, so use it.
    return Load(path);
  }
  if (!stored.ok()) return stored;
  absl::StatusOr<std::string> public_key = RawPublicKey(key.get());
  if (!public_key.ok()) return public_key.status();
  return Ed25519PrivateKey(std::move(key), *std::move(public_key));
}

std::string Ed25519PrivateKey::Sign(absl::string_view message) const {
  static const unsigned char kEmpty[1] = {0};
  const unsigned char* data =
      message.empty() ? kEmpty
                      : reinterpret_cast<const unsigned char*>(message.data());
  unsigned char signature[kEd25519SignatureBytes];
  size_t length = sizeof(signature);
  MdContextPtr context(EVP_MD_CTX_new());
  // Ed25519 is one-shot and hashes internally: md must be NULL.
  bool ok = key_ != nullptr && context != nullptr &&
            EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr,
                               key_.get()) == 1 &&
            EVP_DigestSign(context.get(), signature, &length, data,
                           message.size()) == 1 &&
            length == kEd25519SignatureBytes;
  if (!ok) {
    // A loaded Ed25519 key cannot fail to sign; this is memory exhaustion
    // or a broken OpenSSL, and an unsigned checkpoint must not be emitted.
    std::fprintf(stderr, "Ed25519 signing failed in OpenSSL\n");
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(signature), length);
}

Ed25519PublicKey::Ed25519PublicKey(PkeyPtr key, std::string raw)
    : key_(std::move(key)), raw_(std::move(raw)) {}

Ed25519PublicKey::Ed25519PublicKey(const Ed25519PublicKey& other)
    : raw_(other.raw_) {
  if (other.key_ != nullptr && EVP_PKEY_up_ref(other.key_.get()) == 1) {
    key_.reset(other.key_.get());
  }
}

Ed25519PublicKey& Ed25519PublicKey::operator=(const Ed25519PublicKey& other) {
  if (this != &other) *this = Ed25519PublicKey(other);
  return *this;
}

absl::StatusOr<Ed25519PublicKey> Ed25519PublicKey::FromRaw(
    absl::string_view raw) {
  if (raw.size() != kEd25519PublicKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 public key is ", raw.size(), " bytes, expected ",
                     kEd25519PublicKeyBytes));
  }
  PkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr,
      reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
  if (key == nullptr) {
    ClearOpenSslErrors();
    return absl::InvalidArgumentError("OpenSSL rejects the Ed25519 public key");
  }
  return Ed25519PublicKey(std::move(key), std::string(raw));
}

bool Ed25519PublicKey::Verify(absl::string_view message,
                              absl::string_view signature) const {
  if (key_ == nullptr || signature.size() != kEd25519SignatureBytes) {
    return false;
  }
  static const unsigned char kEmpty[1] = {0};
  const unsigned char* data =
      message.empty() ? kEmpty
                      : reinterpret_cast<const unsigned char*>(message.data());
  MdContextPtr context(EVP_MD_CTX_new());
  bool ok =
      context != nullptr &&
      EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr,
                           key_.get()) == 1 &&
      EVP_DigestVerify(context.get(),
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), data, message.size()) == 1;
  if (!ok) ClearOpenSslErrors();
  return ok;
}

}  // namespace sentinel::audit
