// Conversions between rocksdb::Slice and absl::string_view (Abseil's own
// string_view type in this build, which RocksDB does not accept directly).
#ifndef SENTINEL_COMMON_ROCKSDB_SLICES_H_
#define SENTINEL_COMMON_ROCKSDB_SLICES_H_

#include "absl/strings/string_view.h"
#include "rocksdb/slice.h"

namespace sentinel {

inline absl::string_view ToView(const rocksdb::Slice& slice) {
  return absl::string_view(slice.data(), slice.size());
}

inline rocksdb::Slice ToSlice(absl::string_view view) {
  return rocksdb::Slice(view.data(), view.size());
}

}  // namespace sentinel

#endif  // SENTINEL_COMMON_ROCKSDB_SLICES_H_
