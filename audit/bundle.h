// Audit bundles: the audit log's entries and checkpoints in one file, for
// verification away from the server (format: AuditBundleRecord in
// proto/sentinel/v1/audit.proto).
#ifndef SENTINEL_AUDIT_BUNDLE_H_
#define SENTINEL_AUDIT_BUNDLE_H_

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "audit/ed25519.h"

namespace sentinel::audit {

// Appends records to a bundle. Not thread-safe.
class BundleWriter final {
 public:
  // `out` must outlive the writer.
  explicit BundleWriter(std::ostream& out) : out_(out) {}

  // Errors: kUnavailable when the stream fails.
  absl::Status AddEntry(absl::string_view stored_bytes);
  absl::Status AddCheckpoint(absl::string_view note);

 private:
  std::ostream& out_;
};

struct BundleReport {
  uint64_t entries = 0;
  uint64_t checkpoints = 0;
  std::string root;
};

// Re-hashes every entry of the bundle read from `in` and checks each
// checkpoint in it (signature by `key_name`/`key`, origin, size and root).
// kDataLoss naming the first problem (also when the bundle holds no
// checkpoint, or entries after the last one); kInvalidArgument for a
// malformed file. `progress` (may be null) gets the count every 100,000
// entries.
absl::StatusOr<BundleReport> VerifyBundle(
    std::istream& in, absl::string_view key_name, const Ed25519PublicKey& key,
    absl::string_view origin, const std::function<void(uint64_t)>& progress);

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_BUNDLE_H_
