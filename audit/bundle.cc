#include "audit/bundle.h"

#include "absl/strings/str_cat.h"
#include "audit/log_verifier.h"
#include "common/status_macros.h"
#include "google/protobuf/io/zero_copy_stream_impl.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::audit {
namespace {

absl::Status Write(std::ostream& out, const v1::AuditBundleRecord& record) {
  if (!google::protobuf::util::SerializeDelimitedToOstream(record, &out) ||
      !out.flush()) {
    return absl::UnavailableError("cannot write the audit bundle");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status BundleWriter::AddEntry(absl::string_view stored_bytes) {
  v1::AuditBundleRecord record;
  record.set_entry(std::string(stored_bytes));
  return Write(out_, record);
}

absl::Status BundleWriter::AddCheckpoint(absl::string_view note) {
  v1::AuditBundleRecord record;
  record.set_checkpoint(std::string(note));
  return Write(out_, record);
}

absl::StatusOr<BundleReport> VerifyBundle(
    std::istream& in, absl::string_view key_name, const Ed25519PublicKey& key,
    absl::string_view origin, const std::function<void(uint64_t)>& progress) {
  if (key_name != origin) {
    return absl::InvalidArgumentError(
        absl::StrCat("key name \"", key_name, "\" differs from the origin \"",
                     origin, "\"; Sentinel signs with the origin as key name"));
  }
  google::protobuf::io::IstreamInputStream stream(&in);
  LogVerifier verifier(key, std::string(origin));
  BundleReport report;
  uint64_t checked_size = 0;
  while (true) {
    v1::AuditBundleRecord record;
    bool clean_eof = false;
    if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(
            &record, &stream, &clean_eof)) {
      if (clean_eof) break;
      return absl::InvalidArgumentError(
          absl::StrCat("bundle: record after entry ", verifier.entries(),
                       " does not parse (truncated or not a bundle)"));
    }
    if (record.has_entry()) {
      SENTINEL_RETURN_IF_ERROR(
          verifier.AddEntry(verifier.entries(), record.entry()));
      if (progress && verifier.entries() % 100000 == 0) {
        progress(verifier.entries());
      }
    } else if (record.has_checkpoint()) {
      SENTINEL_RETURN_IF_ERROR(verifier.CheckCheckpoint(
          record.checkpoint(),
          absl::StrCat("bundle checkpoint ", report.checkpoints + 1)));
      ++report.checkpoints;
      checked_size = verifier.entries();
    } else {
      return absl::InvalidArgumentError("bundle: empty record");
    }
  }
  if (report.checkpoints == 0) {
    return absl::DataLossError("bundle: holds no signed checkpoint");
  }
  if (checked_size != verifier.entries()) {
    return absl::DataLossError(absl::StrCat(
        "bundle: ", verifier.entries() - checked_size,
        " entries after the last checkpoint are not covered by a signature"));
  }
  report.entries = verifier.entries();
  report.root = verifier.root();
  return report;
}

}  // namespace sentinel::audit
