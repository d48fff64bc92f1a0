// A RocksDB prefix extractor for keys that end in an 8-byte big-endian
// number (see key_codec.h): the prefix is everything before the number.
//
// Given to `memtable_insert_with_hint_prefix_extractor`, it lets the memtable
// remember where the last key of each prefix went, so appending keys in
// number order (log entries, tree nodes, per-subject indexes) skips most of
// the skip-list search.
#ifndef SENTINEL_COMMON_NUMBERED_KEY_PREFIX_H_
#define SENTINEL_COMMON_NUMBERED_KEY_PREFIX_H_

#include <memory>

#include "rocksdb/slice_transform.h"

namespace sentinel {

std::shared_ptr<const rocksdb::SliceTransform> NumberedKeyPrefix();

}  // namespace sentinel

#endif  // SENTINEL_COMMON_NUMBERED_KEY_PREFIX_H_
