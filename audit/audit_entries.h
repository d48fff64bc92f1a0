// Builders for the audit entries domains commit with their changes.
#ifndef SENTINEL_AUDIT_AUDIT_ENTRIES_H_
#define SENTINEL_AUDIT_AUDIT_ENTRIES_H_

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

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_ENTRIES_H_
