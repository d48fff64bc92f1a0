// What sentinelctl checks locally about the audit log, so that an operator
// need not trust the server: the --vkey option, the signature on a
// checkpoint, and a receipt proving one entry. Built on audit/ (the signed
// note and receipt formats); no gRPC here, so it is testable on its own.
#ifndef SENTINEL_CLI_AUDIT_VERIFICATION_H_
#define SENTINEL_CLI_AUDIT_VERIFICATION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "audit/checkpoint_note.h"
#include "audit/ed25519.h"
#include "audit/receipt.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::cli {

// The key that signs a log's checkpoints. Sentinel names the key after the
// log's origin, so `name` is also the origin every note must carry.
struct VerifierKey {
  std::string name;
  audit::Ed25519PublicKey key;
};

// The key given as --vkey: if `value` names an existing file, the first line
// of that file (sentineld writes <data_dir>/audit.vkey); otherwise `value`
// itself, as signed-note verifier key text ("<name>+<key id>+<base64 key>").
// Spaces around the key are ignored.
//
// Errors: kInvalidArgument when `value` is empty or the text is not a
// verifier key (the message names the file, if any, and what is wrong);
// kUnavailable when the file exists but cannot be read.
//
// Example:
//   absl::StatusOr<VerifierKey> key = ReadVerifierKey("var/audit.vkey");
absl::StatusOr<VerifierKey> ReadVerifierKey(absl::string_view value);

// Opens the signed note of `checkpoint` with `key` and checks that the
// message's tree_size and root_hash are the ones the note states.
//
// OK: the checkpoint, which is then authentic. Errors: those of
// audit::OpenCheckpoint (kInvalidArgument for a malformed note, kDataLoss
// for a wrong signature or origin), and kDataLoss when the message differs
// from its note.
absl::StatusOr<audit::Checkpoint> VerifyCheckpoint(
    const v1::Checkpoint& checkpoint, const VerifierKey& key);

// A receipt made from the server's answers, and what it was checked to show.
struct ProvenEntry {
  // The receipt text (audit/receipt.h), for `sentinel-audit-verify
  // --receipt`.
  std::string receipt;
  audit::VerifiedReceipt verified;
};

// Builds the receipt for entry `seq` from the newest `checkpoint`, the
// `entry` read at `seq` and the inclusion `proof` of it in the checkpoint's
// tree, then verifies it with `key` exactly as an auditor would offline
// (audit::VerifyReceipt): only the entry's stored bytes, the proof hashes and
// the signed note count, never the server's other fields.
//
// OK: the receipt and the verified entry and checkpoint (whose message
// fields then match its signed note). Errors, each saying what is wrong:
// kDataLoss when the server answered for another position or tree size, the
// receipt does not verify (wrong key, bad proof, bytes that are not the
// entry at `seq`), or the checkpoint message differs from its note;
// kInvalidArgument when the server's note or proof is malformed.
//
// Example:
//   absl::StatusOr<ProvenEntry> proven =
//       ProveEntry(seq, checkpoint, entries.entries(0), proof, key);
absl::StatusOr<ProvenEntry> ProveEntry(uint64_t seq,
                                       const v1::Checkpoint& checkpoint,
                                       const v1::AuditEntry& entry,
                                       const v1::InclusionProof& proof,
                                       const VerifierKey& key);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_AUDIT_VERIFICATION_H_
