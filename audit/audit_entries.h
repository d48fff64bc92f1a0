// Builders for the audit entries domains commit with their changes.
#ifndef SENTINEL_AUDIT_AUDIT_ENTRIES_H_
#define SENTINEL_AUDIT_AUDIT_ENTRIES_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/principal.h"
#include "google/protobuf/message.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::audit {

// What changed, for ChangeEntry. Null pointers leave the field empty.
struct ChangeDetails {
  const google::protobuf::Message* before = nullptr;
  const google::protobuf::Message* after = nullptr;
  const google::protobuf::Message* parameters = nullptr;
};

// An entry recording that `actor` successfully did `action` ("Service.Method")
// on `subject` at `time`, with the JSON of `details`. The sink assigns seq.
// Errors: kInternal when a message cannot be printed as JSON.
absl::StatusOr<v1::AuditEntry> ChangeEntry(const Principal& actor,
                                           absl::Time time,
                                           absl::string_view action,
                                           v1::AuditSubject subject,
                                           const ChangeDetails& details);

// The smallest budget BoundedJson always meets: one digest object.
inline constexpr size_t kMinBoundedJsonBytes = 128;

// `json` when it is at most `max_bytes` long. Otherwise the same JSON object
// with its largest top-level members, largest first, each replaced by
//   {"sha256":"<hex digest of the member's JSON>","json_bytes":"<its length>"}
// until it fits; and when `json` is not a JSON object, or even all its
// members digested do not fit, the digest object of the whole text. So the
// result is at most max(max_bytes, kMinBoundedJsonBytes) bytes, and every
// byte left out stays provable: the full record, wherever it is kept, hashes
// to the digest. Deterministic.
//
// Example (an audit detail kept under 16 KiB):
//   entry.set_after(BoundedJson(*ToJson(incident), 16 * 1024));
std::string BoundedJson(absl::string_view json, size_t max_bytes);

// Bounds `entry` to at most `max_bytes` serialized (max_bytes >= 8 KiB):
// unchanged when it already fits; otherwise `before`, `after` and
// `parameters` share what the other fields leave (the smaller fields first,
// each through BoundedJson), and any other text field over 1 KiB (an
// outcome message, a principal) is replaced by "sha256:<hex>/<length>".
// Used where an entry must cross a size limit: the audit service refuses a
// peer's entry over 64 KiB (audit/audit_inbox.h).
void BoundEntry(v1::AuditEntry& entry, size_t max_bytes);

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_ENTRIES_H_
