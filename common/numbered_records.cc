#include "common/numbered_records.h"

namespace sentinel {

absl::StatusOr<uint64_t> LastNumberUnder(const RocksDatabase& database,
                                         absl::string_view family,
                                         absl::string_view prefix,
                                         absl::string_view what) {
  std::unique_ptr<rocksdb::Iterator> it = database.NewIterator(family);
  it->SeekForPrev(ToSlice(KeyWithNumber(prefix, UINT64_MAX)));
  uint64_t last = 0;
  if (it->Valid()) last = NumberFromKey(prefix, ToView(it->key())).value_or(0);
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(it->status(), what));
  return last;
}

}  // namespace sentinel
