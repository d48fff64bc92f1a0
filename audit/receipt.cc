#include "audit/receipt.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "audit/merkle.h"
#include "common/status_macros.h"

namespace sentinel::audit {
namespace {

constexpr absl::string_view kHeader = "c2sp.org/tlog-proof@v1\n";
constexpr size_t kMaxProofHashes = 64;

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("receipt: ", what));
}

}  // namespace

std::string FormatReceipt(absl::string_view entry_bytes, uint64_t seq,
                          const std::vector<std::string>& proof,
                          absl::string_view checkpoint_note) {
  std::string text(kHeader);
  absl::StrAppend(&text, "extra ", absl::Base64Escape(entry_bytes), "\n");
  absl::StrAppend(&text, "index ", seq, "\n");
  for (const std::string& hash : proof) {
    absl::StrAppend(&text, absl::Base64Escape(hash), "\n");
  }
  absl::StrAppend(&text, "\n", checkpoint_note);
  return text;
}

absl::StatusOr<VerifiedReceipt> VerifyReceipt(absl::string_view receipt,
                                              absl::string_view key_name,
                                              const Ed25519PublicKey& key,
                                              absl::string_view origin) {
  if (!absl::ConsumePrefix(&receipt, kHeader)) {
    return Malformed("does not start with \"c2sp.org/tlog-proof@v1\"");
  }
  const size_t blank = receipt.find("\n\n");
  if (blank == absl::string_view::npos) {
    return Malformed("no blank line before the checkpoint");
  }
  const absl::string_view note = receipt.substr(blank + 2);
  const std::vector<absl::string_view> lines =
      absl::StrSplit(receipt.substr(0, blank), '\n');
  if (lines.size() < 2 || !absl::StartsWith(lines[0], "extra ") ||
      !absl::StartsWith(lines[1], "index ")) {
    return Malformed("expected an \"extra\" line, then an \"index\" line");
  }
  std::string entry_bytes;
  if (!absl::Base64Unescape(lines[0].substr(6), &entry_bytes)) {
    return Malformed("the extra line is not base64");
  }
  VerifiedReceipt verified;
  if (!absl::SimpleAtoi(lines[1].substr(6), &verified.seq)) {
    return Malformed("the index is not a number");
  }
  if (lines.size() - 2 > kMaxProofHashes) {
    return Malformed(absl::StrCat("more than ", kMaxProofHashes, " hashes"));
  }
  std::vector<std::string> proof;
  for (size_t i = 2; i < lines.size(); ++i) {
    std::string hash;
    if (!absl::Base64Unescape(lines[i], &hash) || hash.size() != kHashBytes) {
      return Malformed(
          absl::StrCat("proof line ", i - 1, " is not a base64 SHA-256 hash"));
    }
    proof.push_back(std::move(hash));
  }
  SENTINEL_ASSIGN_OR_RETURN(verified.checkpoint,
                            OpenCheckpoint(note, key_name, key, origin));
  if (verified.seq >= verified.checkpoint.size) {
    return absl::DataLossError(absl::StrCat(
        "receipt: entry ", verified.seq, " is not in the checkpoint's tree of ",
        verified.checkpoint.size));
  }
  absl::Status included = VerifyInclusion(
      verified.seq, verified.checkpoint.size, LeafHash(entry_bytes), proof,
      verified.checkpoint.root_hash);
  if (!included.ok()) {
    return absl::DataLossError(
        absl::StrCat("receipt: the entry is not proven by this checkpoint: ",
                     included.message()));
  }
  if (!verified.entry.ParseFromString(entry_bytes) ||
      verified.entry.seq() != verified.seq) {
    return absl::DataLossError(
        "receipt: the proven bytes are not the audit entry at that index");
  }
  return verified;
}

}  // namespace sentinel::audit
