// The value encodings of the "ledger" column family (see
// rocksdb_ledger_store.h for the layout).
//
// Compact binary rather than protobuf: ingest writes two or three values per
// event and a trace reads one per event it examines, and these decode into
// EventViews of the stored bytes, with no allocation. Strings are a varint
// length then the bytes; amounts and balances (never negative) are varints.
// Decoders return false for malformed bytes (the store reports kDataLoss).
#ifndef SENTINEL_TRACE_LEDGER_VALUES_H_
#define SENTINEL_TRACE_LEDGER_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "trace/event_view.h"
#include "trace/ledger_balance.h"

namespace sentinel::trace {

// Which of the event's accounts the key names, so that the value need not
// repeat it.
enum class KeyParty : uint8_t { kNone = 0, kFrom = 1, kTo = 2 };

// Appends to `out` every field of `event` but event_id and time (the key
// holds them), leaving out the `party` account: kind, party, from_account,
// to_account, external_address, asset, amount, counter_asset,
// counter_amount.
void AppendEventBody(const EventView& event, KeyParty party, std::string& out);

// Reads a body from the front of `value` into every field of `event` but
// event_id and time, consuming it; the strings view `value`'s bytes, and
// the left-out party account is `key_account`.
bool ConsumeEventBody(absl::string_view& value, absl::string_view key_account,
                      EventView& event);

// An "a/" value is the event's body (KeyParty of the account), then the
// account's positive balances just after the event: a count, then (asset,
// balance) pairs in asset order.
void AppendBalances(const AssetBalances& balances, std::string& out);
// Reads balances that fill the whole of `value`.
bool ParseBalances(absl::string_view value, AssetBalances& balances);

// An "e/" value: where the event's "a/" entry is (its time, and its
// from_account, or to_account when it has none), so that a repeated
// event_id can be compared with the stored event.
struct EventLocation {
  int64_t unix_nanos = 0;
  absl::string_view account;
};
void AppendEventLocation(const EventView& event, std::string& out);
// The account views `value`.
std::optional<EventLocation> DecodeEventLocation(absl::string_view value);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_LEDGER_VALUES_H_
