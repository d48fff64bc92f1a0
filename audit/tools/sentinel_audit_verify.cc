// sentinel-audit-verify: checks a Sentinel audit log offline, with no server
// and nothing trusted but the log's public (verifier) key.
//
// Given a copy of a data directory's database (opened read-only), an exported
// bundle, or a single receipt, it recomputes every hash from the stored bytes,
// checks every checkpoint signature, the consistency of consecutive
// checkpoints (each one's root is recomputed from the same entries), sequence
// contiguity and the stored tree nodes.
//
// Exit codes: 0 verified; 1 verification failed (the data was altered,
// removed, reordered, rolled back or signed by another key); 2 usage error;
// 3 the input could not be read.

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "audit/audit_log_layout.h"
#include "audit/bundle.h"
#include "audit/checkpoint_note.h"
#include "audit/log_verifier.h"
#include "audit/receipt.h"
#include "common/rocks_database.h"
#include "common/time_util.h"

ABSL_FLAG(std::string, vkey, "",
          "The log's verifier key, or a file holding it (sentineld writes "
          "<data_dir>/audit.vkey). Required.");
ABSL_FLAG(std::string, db, "",
          "A copy of a data directory's database (<data_dir>/db), opened "
          "read-only.");
ABSL_FLAG(std::string, bundle, "",
          "An audit bundle written by `sentinelctl audit export`.");
ABSL_FLAG(std::string, receipt, "",
          "A receipt written by `sentinelctl audit prove --out`.");
ABSL_FLAG(std::string, trusted_checkpoint, "",
          "With --db: a checkpoint note saved earlier (e.g. "
          "<data_dir>/audit-checkpoint, or an auditor's copy). The log must "
          "still contain its tree, which catches a rollback to an older copy.");

namespace sentinel::audit {
namespace {

constexpr int kVerified = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;
constexpr int kUnreadable = 3;

int Usage(const std::string& message) {
  std::fprintf(stderr, "sentinel-audit-verify: %s (see --help)\n",
               message.c_str());
  return kUsage;
}

int Report(const absl::Status& status) {
  const bool tampered = status.code() == absl::StatusCode::kDataLoss;
  std::printf("FAILED: %s\n", std::string(status.message()).c_str());
  return tampered ? kFailed : kUnreadable;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// The flag's text, or the first line of the file it names.
absl::StatusOr<std::string> KeyText(const std::string& flag) {
  std::ifstream file(flag);
  if (!file) return flag;
  std::string line;
  std::getline(file, line);
  return std::string(absl::StripAsciiWhitespace(line));
}

void Progress(uint64_t entries) {
  std::fprintf(stderr, "... %llu entries verified\n",
               static_cast<unsigned long long>(entries));
}

int VerifyDatabase(const std::string& path, const std::string& name,
                   const Ed25519PublicKey& key) {
  absl::StatusOr<std::unique_ptr<RocksDatabase>> database =
      RocksDatabase::OpenReadOnly(path);
  if (!database.ok()) return Report(database.status());
  if (!(*database)->HasFamily(kAuditFamily)) {
    return Report(absl::NotFoundError(absl::StrCat(
        path, " holds no audit log (no \"audit\" column family)")));
  }
  StoredLogCheck check;
  check.all_checkpoints = true;
  check.all_nodes = true;
  check.progress = Progress;
  const std::string trusted_path = absl::GetFlag(FLAGS_trusted_checkpoint);
  if (!trusted_path.empty()) {
    absl::StatusOr<std::string> trusted = ReadFile(trusted_path);
    if (!trusted.ok()) return Report(trusted.status());
    check.trusted_checkpoint = *trusted;
  }
  absl::StatusOr<StoredLogReport> report =
      CheckStoredLog(**database, key, name, check);
  if (!report.ok()) return Report(report.status());
  std::printf(
      "OK: %llu entries re-hashed, %llu signed checkpoints verified%s; root "
      "%s\n",
      static_cast<unsigned long long>(report->entries),
      static_cast<unsigned long long>(report->checkpoints_checked),
      trusted_path.empty() ? "" : ", trusted checkpoint contained",
      absl::Base64Escape(report->root).c_str());
  return kVerified;
}

int VerifyBundleFile(const std::string& path, const std::string& name,
                     const Ed25519PublicKey& key) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Report(absl::NotFoundError(absl::StrCat("cannot open ", path)));
  absl::StatusOr<BundleReport> report =
      VerifyBundle(file, name, key, name, Progress);
  if (!report.ok()) return Report(report.status());
  std::printf(
      "OK: %llu entries re-hashed, %llu signed checkpoints verified; "
      "root %s\n",
      static_cast<unsigned long long>(report->entries),
      static_cast<unsigned long long>(report->checkpoints),
      absl::Base64Escape(report->root).c_str());
  return kVerified;
}

int VerifyReceiptFile(const std::string& path, const std::string& name,
                      const Ed25519PublicKey& key) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return Report(text.status());
  absl::StatusOr<VerifiedReceipt> receipt =
      VerifyReceipt(*text, name, key, name);
  if (!receipt.ok()) {
    return Report(absl::DataLossError(receipt.status().message()));
  }
  const v1::AuditEntry& entry = receipt->entry;
  std::printf(
      "OK: entry %llu is in the signed checkpoint of size %llu: %s %s by %s "
      "on %s%s\n",
      static_cast<unsigned long long>(receipt->seq),
      static_cast<unsigned long long>(receipt->checkpoint.size),
      FormatUtc(FromProtoTime(entry.time())).c_str(), entry.action().c_str(),
      entry.principal().c_str(), entry.subject().account_id().c_str(),
      entry.subject().incident_id().empty()
          ? ""
          : absl::StrCat(" (incident ", entry.subject().incident_id(), ")")
                .c_str());
  return kVerified;
}

int Run() {
  const std::string db = absl::GetFlag(FLAGS_db);
  const std::string bundle = absl::GetFlag(FLAGS_bundle);
  const std::string receipt = absl::GetFlag(FLAGS_receipt);
  const int inputs = !db.empty() + !bundle.empty() + !receipt.empty();
  if (inputs != 1)
    return Usage("give exactly one of --db, --bundle, --receipt");
  if (absl::GetFlag(FLAGS_vkey).empty()) return Usage("--vkey is required");
  if (!absl::GetFlag(FLAGS_trusted_checkpoint).empty() && db.empty()) {
    return Usage("--trusted_checkpoint goes with --db");
  }
  absl::StatusOr<std::string> key_text = KeyText(absl::GetFlag(FLAGS_vkey));
  if (!key_text.ok()) return Report(key_text.status());
  auto name_and_key = ParseVerifierKey(*key_text);
  if (!name_and_key.ok()) {
    return Usage(absl::StrCat("--vkey: ", name_and_key.status().message()));
  }
  const auto& [name, key] = *name_and_key;
  if (!db.empty()) return VerifyDatabase(db, name, key);
  if (!bundle.empty()) return VerifyBundleFile(bundle, name, key);
  return VerifyReceiptFile(receipt, name, key);
}

}  // namespace
}  // namespace sentinel::audit

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Verifies a Sentinel audit log offline.\n"
      "  sentinel-audit-verify --vkey=VKEY --db=COPY_OF_DATA_DIR/db "
      "[--trusted_checkpoint=FILE]\n"
      "  sentinel-audit-verify --vkey=VKEY --bundle=FILE\n"
      "  sentinel-audit-verify --vkey=VKEY --receipt=FILE\n"
      "Exit: 0 verified, 1 verification failed, 2 usage error, 3 unreadable "
      "input.");
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    return sentinel::audit::Usage(
        absl::StrCat("unexpected argument ", positional[1]));
  }
  return sentinel::audit::Run();
}
