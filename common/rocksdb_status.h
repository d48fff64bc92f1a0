// The one place where rocksdb::Status becomes absl::Status.
#ifndef SENTINEL_COMMON_ROCKSDB_STATUS_H_
#define SENTINEL_COMMON_ROCKSDB_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace sentinel {

// OK stays OK. NotFound -> kNotFound; Busy, TryAgain -> kUnavailable;
// NoSpace (a full disk) -> kResourceExhausted; Corruption -> kDataLoss;
// other IOErrors (a failing device) -> kUnavailable; everything else ->
// kInternal. `context` (what was being done) prefixes the message.
absl::Status FromRocksStatus(const rocksdb::Status& status,
                             absl::string_view context);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_ROCKSDB_STATUS_H_
