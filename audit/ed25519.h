// Ed25519 keys for signing audit-log checkpoints, through OpenSSL 3's EVP API.
//
// The log's private key lives in one PKCS#8 PEM file that only its owner may
// read; it is created on first start and refused if its permissions are
// looser than 0600. Public keys travel as the 32 raw bytes of RFC 8032.
//
// No function here logs or puts key material into a status message.
#ifndef SENTINEL_AUDIT_ED25519_H_
#define SENTINEL_AUDIT_ED25519_H_

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sentinel::audit {

inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;

namespace ed25519_internal {
struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
}  // namespace ed25519_internal

// An Ed25519 private key.
//
// Move-only, so that exactly one object owns the secret; share it by
// reference (or a std::shared_ptr) between the components that sign. A
// moved-from key must not be used. Sign() and PublicKey() are const and
// thread-safe: the key is never modified after it is loaded.
class Ed25519PrivateKey final {
 public:
  // Loads the key stored at `path`, or, if no file exists there, generates a
  // new key and stores it at `path` as a PKCS#8 PEM file with mode 0600
  // (created with O_EXCL; the file and its directory are fsynced before
  // this returns, so a key that signed something survives a crash).
  //
  // OK: the loaded or new key. Errors:
  //   kFailedPrecondition  the file exists but its permissions allow group or
  //                        other access ("<path>: permissions 0644 are too
  //                        open; ..."), it is not a regular file, or it
  //                        holds a key of another algorithm;
  //   kDataLoss            the file exists but is not a PEM private key
  //                        (for example, truncated by a crash during
  //                        creation: delete it only if nothing was signed);
  //   kPermissionDenied, kNotFound, kInternal, ...  the file or its
  //                        directory cannot be read or written (the code
  //                        follows errno), or OpenSSL cannot make a key.
  // If another process creates the file concurrently, its key is loaded.
  //
  // Example:
  //   SENTINEL_ASSIGN_OR_RETURN(Ed25519PrivateKey key,
  //       Ed25519PrivateKey::LoadOrCreate(flags.signing_key_path));
  static absl::StatusOr<Ed25519PrivateKey> LoadOrCreate(
      const std::string& path);

  // Loads the key stored at `path`, which must exist. Same errors as
  // LoadOrCreate(), plus kNotFound when there is no file at `path`.
  static absl::StatusOr<Ed25519PrivateKey> Load(const std::string& path);

  Ed25519PrivateKey(Ed25519PrivateKey&&) = default;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) = default;
  Ed25519PrivateKey(const Ed25519PrivateKey&) = delete;
  Ed25519PrivateKey& operator=(const Ed25519PrivateKey&) = delete;

  // The 64-byte RFC 8032 (pure Ed25519) signature of `message`. Signing is
  // deterministic. Aborts the process only if OpenSSL fails on a valid key,
  // which means memory exhaustion or a broken library.
  std::string Sign(absl::string_view message) const;

  // The 32-byte raw public key.
  const std::string& PublicKey() const { return public_key_; }

 private:
  Ed25519PrivateKey(ed25519_internal::PkeyPtr key, std::string public_key);

  ed25519_internal::PkeyPtr key_;
  std::string public_key_;
};

// An Ed25519 public key. Copyable (copies share the immutable OpenSSL key
// through its reference count) and thread-safe.
class Ed25519PublicKey final {
 public:
  // The key whose RFC 8032 encoding is `raw`.
  //
  // OK: the key. kInvalidArgument: `raw` is not 32 bytes, or OpenSSL
  // refuses it.
  //
  // Example:
  //   SENTINEL_ASSIGN_OR_RETURN(Ed25519PublicKey key,
  //                             Ed25519PublicKey::FromRaw(raw));
  static absl::StatusOr<Ed25519PublicKey> FromRaw(absl::string_view raw);

  Ed25519PublicKey(const Ed25519PublicKey& other);
  Ed25519PublicKey& operator=(const Ed25519PublicKey& other);
  Ed25519PublicKey(Ed25519PublicKey&&) = default;
  Ed25519PublicKey& operator=(Ed25519PublicKey&&) = default;

  // True if and only if `signature` is a valid 64-byte Ed25519 signature of
  // `message` by this key. Never aborts: any failure is a false.
  bool Verify(absl::string_view message, absl::string_view signature) const;

  // The 32-byte raw public key.
  const std::string& raw() const { return raw_; }

 private:
  Ed25519PublicKey(ed25519_internal::PkeyPtr key, std::string raw);

  ed25519_internal::PkeyPtr key_;
  std::string raw_;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_ED25519_H_
