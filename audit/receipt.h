// Receipts: one audit entry with its inclusion proof and the signed
// checkpoint it is proven against, in the C2SP tlog-proof text format, so an
// auditor can check a single entry offline with only the log's public key.
//
//   c2sp.org/tlog-proof@v1
//   extra <base64 of the entry's stored bytes>
//   index <seq>
//   <base64 proof hash>        (zero or more lines)
//   <blank line>
//   <signed checkpoint note>
#ifndef SENTINEL_AUDIT_RECEIPT_H_
#define SENTINEL_AUDIT_RECEIPT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "audit/checkpoint_note.h"
#include "audit/ed25519.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::audit {

// The text of a receipt for the entry stored as `entry_bytes` at `seq`.
std::string FormatReceipt(absl::string_view entry_bytes, uint64_t seq,
                          const std::vector<std::string>& proof,
                          absl::string_view checkpoint_note);

// What a verified receipt proves.
struct VerifiedReceipt {
  uint64_t seq = 0;
  // The entry, parsed from the proven bytes.
  v1::AuditEntry entry;
  Checkpoint checkpoint;
};

// Parses `receipt` and checks it: the checkpoint's signature (by `key_name`
// with `key`, origin `origin`), and the inclusion of the entry's leaf hash at
// `index` in the checkpoint's tree. kInvalidArgument for a malformed
// receipt, kDataLoss for one that does not verify, saying what is wrong.
absl::StatusOr<VerifiedReceipt> VerifyReceipt(absl::string_view receipt,
                                              absl::string_view key_name,
                                              const Ed25519PublicKey& key,
                                              absl::string_view origin);

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_RECEIPT_H_
