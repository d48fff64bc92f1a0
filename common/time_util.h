// Conversions between absl::Time and google.protobuf.Timestamp.
#ifndef SENTINEL_COMMON_TIME_UTIL_H_
#define SENTINEL_COMMON_TIME_UTIL_H_

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace sentinel {

// Exact to the nanosecond for times between years 1 and 9999.
google::protobuf::Timestamp ToProtoTime(absl::Time time);

// An unset (all-zero) Timestamp maps to the Unix epoch.
absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp);

// Conversions between absl::Duration and google.protobuf.Duration (exact to
// the nanosecond for durations within +-292 years).
google::protobuf::Duration ToProtoDuration(absl::Duration duration);
absl::Duration FromProtoDuration(const google::protobuf::Duration& duration);

// RFC 3339 in UTC with second precision, e.g. "2026-11-26T10:43:48Z".
std::string FormatUtc(absl::Time time);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_TIME_UTIL_H_
