// The RocksDB key layout of the "ledger" column family (see
// rocksdb_ledger_store.h for what each key holds and why).
//
// Account ids, asset codes, event ids and external addresses never contain
// NUL (validation), so "\0" ends each variable-length part and keys with a
// common prefix sort by the parts that follow; times are 8 big-endian bytes
// of Unix nanoseconds (>= 0), so byte order is ledger order.
#ifndef SENTINEL_TRACE_LEDGER_KEYS_H_
#define SENTINEL_TRACE_LEDGER_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "trace/ledger_position.h"

namespace sentinel::trace {

// "e/" + event_id
std::string EventKey(absl::string_view event_id);

// "a/" + account + "\0": the prefix of an account's events.
std::string AccountEventsPrefix(absl::string_view account);
// AccountEventsPrefix(account) + be64(time) + event_id
std::string AccountEventKey(absl::string_view account,
                            const LedgerPosition& position);

// "b/" + account + "\0": the prefix of an account's balance entries.
std::string AccountBalancesPrefix(absl::string_view account);
// AccountBalancesPrefix(account) + asset + "\0": one asset's entries.
std::string BalancesPrefix(absl::string_view account, absl::string_view asset);
// BalancesPrefix(account, asset) + be64(time) + event_id
std::string BalanceKey(absl::string_view account, absl::string_view asset,
                       const LedgerPosition& position);

// "x/" + address + "\0" + be64(time) + event_id, and its prefix.
std::string AddressEventsPrefix(absl::string_view address);
std::string AddressEventKey(absl::string_view address,
                            const LedgerPosition& position);

// "k/" + account, and the prefix of all of them.
inline constexpr absl::string_view kAccountKindPrefix = "k/";
std::string AccountKindKey(absl::string_view account);

// The smallest key greater than every key starting with `prefix`: `prefix`
// with its last byte incremented (the prefixes above end in "\0" or "/").
std::string PrefixEnd(absl::string_view prefix);

// The value of a balance entry: the event's change to the balance and the
// balance after it, each as 8 big-endian two's-complement bytes.
struct BalanceEntry {
  int64_t delta = 0;
  int64_t balance = 0;
};
std::string EncodeBalanceEntry(const BalanceEntry& entry);
// nullopt when `value` is not 16 bytes.
std::optional<BalanceEntry> DecodeBalanceEntry(absl::string_view value);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_LEDGER_KEYS_H_
