// Signed checkpoints of the audit log: a C2SP tlog-checkpoint body
// (c2sp.org/tlog-checkpoint) inside a C2SP signed note (c2sp.org/signed-note)
// with Ed25519 signatures (signature type 0x01). Notes made here open with
// golang.org/x/mod/sumdb/note and every C2SP verifier, and auditors check
// them with the verifier key that sentineld exports.
//
// A note looks like this (the signature line starts with U+2014, em dash):
//
//   audit.example.com/sentinel
//   42
//   <base64 of the 32-byte RFC 6962 root hash>
//
//   — audit.example.com/sentinel <base64(4-byte key ID || 64-byte signature)>
//
// Sentinel's checkpoints have exactly the three mandatory body lines: the
// spec's optional extension lines are NOT RECOMMENDED (monitors cannot audit
// them), so none are written and OpenCheckpoint refuses them.
#ifndef SENTINEL_AUDIT_CHECKPOINT_NOTE_H_
#define SENTINEL_AUDIT_CHECKPOINT_NOTE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "audit/ed25519.h"

namespace sentinel::audit {

// The signed-note signature type byte for Ed25519.
inline constexpr char kNoteEd25519Type = 0x01;
// OpenCheckpoint refuses larger notes and more signature lines. Go's
// sumdb/note accepts at most 100 signatures; C2SP requires at least 16.
inline constexpr size_t kMaxNoteBytes = 64 * 1024;
inline constexpr size_t kMaxNoteSignatures = 100;

// A tree head of the audit log.
struct Checkpoint {
  // Identifies the log, e.g. "audit.example.com/sentinel". Non-empty UTF-8
  // without newlines or other control characters.
  std::string origin;
  // The number of leaves in the tree.
  uint64_t size = 0;
  // The 32-byte RFC 6962 root hash at `size` (raw bytes, not base64).
  std::string root_hash;

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// OK if `key_name` may name a signed-note key: non-empty valid UTF-8 with no
// Unicode space, no '+', and no control character. kInvalidArgument saying
// which rule is broken otherwise. Check configured names with this at
// startup; SignCheckpoint aborts on a bad one.
absl::Status ValidateKeyName(absl::string_view key_name);

// OK if `checkpoint` can be signed: its origin is non-empty valid UTF-8 with
// no control character (so no newline), and its root hash is 32 bytes.
// kInvalidArgument saying which rule is broken otherwise.
absl::Status ValidateCheckpoint(const Checkpoint& checkpoint);

// The note text of `checkpoint`:
// "<origin>\n<size in decimal>\n<standard base64 of root_hash>\n". This is
// the exact byte string the log's signature covers.
std::string CheckpointBody(const Checkpoint& checkpoint);

// The 4-byte signed-note key ID of an Ed25519 key:
// SHA-256(key_name || 0x0A || 0x01 || public_key)[:4], big-endian as stored.
std::string KeyId(absl::string_view key_name, absl::string_view public_key);

// The complete signed note for `checkpoint`: CheckpointBody(), a blank line,
// then "— <key_name> <base64(KeyId || signature over the body)>\n".
//
// Aborts if ValidateKeyName(key_name) or ValidateCheckpoint(checkpoint)
// fails: signing a note that no verifier can parse is a bug in the caller
// (validate configuration at startup). Thread-safe; blocks for the
// signature (tens of microseconds), so call it off the request path.
//
// Example:
//   std::string note = SignCheckpoint(
//       {.origin = kOrigin, .size = tree.size(), .root_hash = tree.Root()},
//       kOrigin, signing_key);
std::string SignCheckpoint(const Checkpoint& checkpoint,
                           absl::string_view key_name,
                           const Ed25519PrivateKey& key);

// The signed-note verifier key text for an Ed25519 public key:
// "<key_name>+<8 lowercase hex digits of KeyId>+<base64(0x01 || key)>",
// e.g. "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW".
// This is what sentineld exports so that auditors can check its notes.
// `key_name` should pass ValidateKeyName() for the text to parse back.
std::string VerifierKey(absl::string_view key_name,
                        absl::string_view public_key);

// Parses a verifier key made by VerifierKey() (or by Go's sumdb/note).
//
// OK: the key name and the Ed25519 key. kInvalidArgument naming the fault
// when the text does not have three '+'-separated parts, the name is
// invalid, the key ID is not 8 hex digits, the key is not base64, the
// algorithm byte is not 0x01 (Ed25519), the key is not 32 bytes, or the key
// ID does not match the name and key.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(auto name_and_key, ParseVerifierKey(flag));
absl::StatusOr<std::pair<std::string, Ed25519PublicKey>> ParseVerifierKey(
    absl::string_view vkey);

// Parses `note`, checks that it carries a valid signature by the Ed25519 key
// (`key_name`, `key`) and that its origin is `expected_origin`, and returns
// the checkpoint it states.
//
// The note must be at most kMaxNoteBytes of valid UTF-8 without control
// characters other than newline, end in a newline, and consist of a body of
// exactly three lines (a non-empty origin; a decimal tree size with no sign
// and no leading zero unless it is "0"; the standard base64 of a 32-byte
// root hash), a blank line, and 1 to kMaxNoteSignatures signature lines.
// Signature lines whose key name or key ID differ from this key's are
// ignored (that is how keys rotate and witnesses cosign), but they must be
// well-formed. Every line from this key must verify.
//
// OK: the checkpoint, which is then authentic. Errors, with messages saying
// exactly what is wrong:
//   kInvalidArgument  the note is not a well-formed checkpoint note, e.g.
//                     "checkpoint: tree size \"12a\" is not a number";
//   kDataLoss         it is well-formed but not authentic or not for this
//                     log: "checkpoint: no signature by <name> ...",
//                     "checkpoint: signature by <name> does not verify",
//                     "checkpoint: origin is \"x\", expected \"y\"".
// Thread-safe.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(
//       Checkpoint checkpoint,
//       OpenCheckpoint(note, key_name, log_key, "audit.example.com/sentinel"));
absl::StatusOr<Checkpoint> OpenCheckpoint(absl::string_view note,
                                          absl::string_view key_name,
                                          const Ed25519PublicKey& key,
                                          absl::string_view expected_origin);

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_CHECKPOINT_NOTE_H_
