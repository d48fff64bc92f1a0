// Files that hold secrets (private keys): read only when their owner alone
// can access them, and created owner-only and durably.
//
// Nothing here logs or puts file contents into a status message.
#ifndef SENTINEL_COMMON_SECRET_FILE_H_
#define SENTINEL_COMMON_SECRET_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace sentinel {

// What a secret file holds, for the size limit and the error messages.
struct SecretFileKind {
  // The secret as messages name it, e.g. "the signing key".
  absl::string_view name;
  // What a file of this kind is, e.g. "an Ed25519 private key"; used when a
  // file is too large to be one.
  absl::string_view content;
  // Larger files are refused without being read whole.
  size_t max_bytes = 0;
};

// Reads the file at `path` into `contents` after checking, on the opened
// descriptor (what is checked is what is read), that it is a regular file
// without group or other permission bits. `contents` is sized once and never
// reallocates, so no copy of the secret is left in freed memory; whatever
// the result, it may hold secret bytes and the caller must wipe it (for
// example with OPENSSL_cleanse) when done.
//
// OK: `contents` holds the whole file. Errors:
//   kFailedPrecondition  not a regular file ("<path>: <name> is not a regular
//                        file"), or group/other bits set ("<path>:
//                        permissions 0644 are too open; <name> must be
//                        readable by its owner only (chmod 600)");
//   kDataLoss            larger than `kind.max_bytes` ("<path>: more than N
//                        bytes; this is not <content>");
//   kNotFound, kPermissionDenied, ...  open or read failed (the code follows
//                        errno; the message names `path`).
//
// Example:
//   std::string pem;
//   absl::Status read = ReadSecretFile(path, kSigningKey, pem);
//   ... parse pem ...
//   OPENSSL_cleanse(pem.data(), pem.size());
absl::Status ReadSecretFile(const std::string& path, const SecretFileKind& kind,
                            std::string& contents);

// Creates a new file at `path` with mode 0600 and O_EXCL (an existing file
// is never replaced), writes `contents`, and fsyncs the file and then its
// directory, so the file survives a crash once this returns OK. `name` names
// the secret in messages, e.g. "the signing key".
//
// OK: the file is durable. Errors:
//   kAlreadyExists  a file exists at `path` (left untouched);
//   kNotFound, kPermissionDenied, kResourceExhausted, ...  creating, writing,
//                   fsync or close failed (the code follows errno). A file
//                   this call created is unlinked before it returns an error,
//                   except when only the directory's fsync failed.
//
// Example:
//   SENTINEL_RETURN_IF_ERROR(CreateSecretFile(path, "the signing key", pem));
absl::Status CreateSecretFile(const std::string& path, absl::string_view name,
                              absl::string_view contents);

// Fsyncs the directory `directory`, making the creation, rename or removal
// of its entries durable.
//
// OK: synced. Errors follow errno (kNotFound, kPermissionDenied, ...), with a
// message naming `directory`.
//
// Example:
//   SENTINEL_RETURN_IF_ERROR(SyncDirectory("/var/lib/sentinel"));
absl::Status SyncDirectory(const std::string& directory);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_SECRET_FILE_H_
