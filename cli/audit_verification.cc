// Implements sentinelctl's local checks of the audit log's signed answers.
#include "cli/audit_verification.h"

#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"

namespace sentinel::cli {
namespace {

absl::StatusOr<VerifierKey> ParseKeyText(absl::string_view text,
                                         absl::string_view source) {
  absl::StatusOr<std::pair<std::string, audit::Ed25519PublicKey>> parsed =
      audit::ParseVerifierKey(absl::StripAsciiWhitespace(text));
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--vkey: ", source, parsed.status().message()));
  }
  return VerifierKey{std::move(parsed->first), std::move(parsed->second)};
}

}  // namespace

absl::StatusOr<VerifierKey> ReadVerifierKey(absl::string_view value) {
  if (value.empty()) {
    return absl::InvalidArgumentError(
        "--vkey is empty; give the log's verifier key or a file holding it");
  }
  const std::filesystem::path path{std::string(value)};
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    // Not a file: the key itself. Say both, since a mistyped path lands here.
    return ParseKeyText(value,
                        absl::StrCat("no file named \"", value,
                                     "\", and not a verifier key either: "));
  }
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--vkey: ", value, " is a directory"));
  }
  std::ifstream file(path);
  std::string first_line;
  if (!file || (!std::getline(file, first_line) && !file.eof())) {
    return absl::UnavailableError(absl::StrCat("--vkey: cannot read ", value));
  }
  return ParseKeyText(first_line, absl::StrCat(value, ": "));
}

absl::StatusOr<audit::Checkpoint> VerifyCheckpoint(
    const v1::Checkpoint& checkpoint, const VerifierKey& key) {
  SENTINEL_ASSIGN_OR_RETURN(
      audit::Checkpoint opened,
      audit::OpenCheckpoint(checkpoint.note(), key.name, key.key, key.name));
  if (opened.size != checkpoint.tree_size() ||
      opened.root_hash != checkpoint.root_hash()) {
    return absl::DataLossError(absl::StrCat(
        "checkpoint: the server says size ", checkpoint.tree_size(), " root ",
        absl::Base64Escape(checkpoint.root_hash()),
        " but its signed note says size ", opened.size, " root ",
        absl::Base64Escape(opened.root_hash)));
  }
  return opened;
}

absl::StatusOr<ProvenEntry> ProveEntry(uint64_t seq,
                                       const v1::Checkpoint& checkpoint,
                                       const v1::AuditEntry& entry,
                                       const v1::InclusionProof& proof,
                                       const VerifierKey& key) {
  if (entry.seq() != seq) {
    return absl::DataLossError(absl::StrCat(
        "the server returned entry ", entry.seq(), " when asked for ", seq));
  }
  if (proof.seq() != seq || proof.tree_size() != checkpoint.tree_size()) {
    return absl::DataLossError(absl::StrCat(
        "the server returned a proof for entry ", proof.seq(), " in a tree of ",
        proof.tree_size(), " when asked for entry ", seq, " in a tree of ",
        checkpoint.tree_size()));
  }
  const std::vector<std::string> hashes(proof.hashes().begin(),
                                        proof.hashes().end());
  ProvenEntry proven;
  proven.receipt = audit::FormatReceipt(entry.stored_bytes(), seq, hashes,
                                        checkpoint.note());
  SENTINEL_ASSIGN_OR_RETURN(
      proven.verified,
      audit::VerifyReceipt(proven.receipt, key.name, key.key, key.name));
  // The caller may show the message's fields; they must be the signed ones.
  if (proven.verified.checkpoint.root_hash != checkpoint.root_hash()) {
    return absl::DataLossError(
        absl::StrCat("checkpoint: the server says root ",
                     absl::Base64Escape(checkpoint.root_hash()),
                     " but its signed note says root ",
                     absl::Base64Escape(proven.verified.checkpoint.root_hash)));
  }
  return proven;
}

}  // namespace sentinel::cli
