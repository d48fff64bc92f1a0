// The RocksDB key layout of the "ledger" column family (see
// rocksdb_ledger_store.h for what each key holds and why).
//
// Account ids, asset codes, event ids and external addresses never contain
// NUL (validation), so "\0" ends each variable-length part and keys with a
// common prefix sort by the parts that follow; times are 8 big-endian bytes
// of Unix nanoseconds (>= 0), so byte order is ledger order.
#ifndef SENTINEL_TRACE_LEDGER_KEYS_H_
#define SENTINEL_TRACE_LEDGER_KEYS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "trace/ledger_position.h"

namespace sentinel::trace {

// "e/" + event_id
std::string EventKey(absl::string_view event_id);
// Sets `key` to EventKey(event_id), reusing its capacity (ingest builds
// millions of keys).
void SetEventKey(absl::string_view event_id, std::string& key);

// "a/" + account + "\0": the prefix of an account's events.
std::string AccountEventsPrefix(absl::string_view account);
// AccountEventsPrefix(account) + be64(time) + event_id
std::string AccountEventKey(absl::string_view account, int64_t unix_nanos,
                            absl::string_view event_id);
std::string AccountEventKey(absl::string_view account,
                            const LedgerPosition& position);
// Sets `key` to AccountEventKey(account, unix_nanos, event_id), reusing its
// capacity.
void SetAccountEventKey(absl::string_view account, int64_t unix_nanos,
                        absl::string_view event_id, std::string& key);

// "x/" + address + "\0" + be64(time) + event_id, and its prefix.
std::string AddressEventsPrefix(absl::string_view address);
std::string AddressEventKey(absl::string_view address, int64_t unix_nanos,
                            absl::string_view event_id);
std::string AddressEventKey(absl::string_view address,
                            const LedgerPosition& position);

// The position a key of the form prefix + be64(time) + event_id holds, for
// a prefix of `prefix_size` bytes; the event_id views `key`. nullopt when
// the key is too short to hold a time and an event_id.
struct KeyPosition {
  int64_t unix_nanos = 0;
  absl::string_view event_id;
};
std::optional<KeyPosition> PositionInKey(absl::string_view key,
                                         size_t prefix_size);

// "k/" + account, and the prefix of all of them: marks in effect.
inline constexpr absl::string_view kAccountKindPrefix = "k/";
std::string AccountKindKey(absl::string_view account);

// "p/" + account, and the prefix of all of them: marks as infrastructure
// waiting for approval.
inline constexpr absl::string_view kPendingAccountKindPrefix = "p/";
std::string PendingAccountKindKey(absl::string_view account);

// The smallest key greater than every key starting with `prefix`: `prefix`
// with its last byte incremented (the prefixes above end in "\0" or "/").
std::string PrefixEnd(absl::string_view prefix);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_LEDGER_KEYS_H_
