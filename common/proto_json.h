// Protobuf messages as JSON text, for audit details and the command line.
#ifndef SENTINEL_COMMON_PROTO_JSON_H_
#define SENTINEL_COMMON_PROTO_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace sentinel {

// proto3 JSON with the proto field names (snake_case). `pretty` (for the
// command line) adds indentation and prints every field, false and zero
// included, so scripts can rely on keys such as "allowed"; otherwise fields
// with default values are left out. Errors (kInternal) only for messages the
// JSON mapping cannot express.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message,
                                   bool pretty = false);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_PROTO_JSON_H_
