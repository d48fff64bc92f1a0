// Reading records stored under numbered keys (prefix + 8-byte big-endian
// number, see key_codec.h): stored protobuf messages, change logs replayed
// from a version, and the newest number of a prefix.
#ifndef SENTINEL_COMMON_NUMBERED_RECORDS_H_
#define SENTINEL_COMMON_NUMBERED_RECORDS_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/key_codec.h"
#include "common/rocks_database.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"

namespace sentinel {

// Parses a stored message; kDataLoss naming `what` when it does not parse.
template <typename Message>
absl::StatusOr<Message> ParseStoredMessage(absl::string_view bytes,
                                           absl::string_view what) {
  Message message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat(what, ": a stored value does not parse"));
  }
  return message;
}

// Up to `max` messages stored under `prefix` with numbers > `after`, in
// number order. `what` names the log in errors.
template <typename Message>
absl::StatusOr<std::vector<Message>> ReadNumberedMessages(
    const RocksDatabase& database, absl::string_view family,
    absl::string_view prefix, uint64_t after, size_t max,
    absl::string_view what) {
  std::vector<Message> messages;
  if (after == UINT64_MAX) return messages;
  std::unique_ptr<rocksdb::Iterator> it = database.NewIterator(family);
  for (it->Seek(KeyWithNumber(prefix, after + 1));
       it->Valid() && messages.size() < max; it->Next()) {
    if (!NumberFromKey(prefix, ToView(it->key())).has_value()) break;
    SENTINEL_ASSIGN_OR_RETURN(Message message, ParseStoredMessage<Message>(
                                                   ToView(it->value()), what));
    messages.push_back(std::move(message));
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(it->status(), what));
  return messages;
}

// The highest number stored under `prefix`; 0 when none.
absl::StatusOr<uint64_t> LastNumberUnder(const RocksDatabase& database,
                                         absl::string_view family,
                                         absl::string_view prefix,
                                         absl::string_view what);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_NUMBERED_RECORDS_H_
