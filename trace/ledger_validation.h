// Checks of ledger events and asset codes before anything is read or
// written.
//
// Each check returns OK or kInvalidArgument with a message that names the
// field and the reason ("amount: must be > 0"), suitable for an
// IngestRejection unchanged. Messages never echo the offending value, so
// they stay short and printable whatever a client sent.
//
// The rules of one LedgerEvent, checked in this order (the first broken one
// is reported):
//   event_id          1..128 bytes of [A-Za-z0-9._:@-]
//   kind              TRANSFER, TRADE, WITHDRAWAL or DEPOSIT
//   time              set; nanos in 0..999999999; not before
//                     1970-01-01T00:00:00Z; at most `max_future_skew` after
//                     `now` (exactly now + skew is accepted)
//   from_account      an identifier for TRANSFER, TRADE, WITHDRAWAL; empty
//                     for DEPOSIT
//   to_account        an identifier for TRANSFER, TRADE (different from
//                     from_account), DEPOSIT; empty for WITHDRAWAL
//   external_address  1..256 bytes of printable ASCII without spaces
//                     (0x21..0x7e): required for WITHDRAWAL, optional for
//                     DEPOSIT, empty for TRANSFER and TRADE
//   asset             an asset code: 1..32 bytes of [A-Za-z0-9._-]
//   amount            > 0
//   counter_asset     TRADE: an asset code different from asset; else empty
//   counter_amount    TRADE: > 0; else 0
#ifndef SENTINEL_TRACE_LEDGER_VALIDATION_H_
#define SENTINEL_TRACE_LEDGER_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::trace {

// Checks `event` against the rules above, with `now` the server's clock.
//
// Example:
//   absl::Status valid =
//       ValidateLedgerEvent(event, clock.Now(), kDefaultMaxEventFutureSkew);
//   if (!valid.ok()) rejection.set_reason(std::string(valid.message()));
absl::Status ValidateLedgerEvent(const v1::LedgerEvent& event, absl::Time now,
                                 absl::Duration max_future_skew);

// Checks that `asset` is 1..kMaxAssetBytes bytes of [A-Za-z0-9._-].
absl::Status ValidateAssetCode(absl::string_view field,
                               absl::string_view asset);

// Checks that `time` is a valid Timestamp (nanos in 0..999999999) not
// before the Unix epoch, the range ledger positions can order.
absl::Status ValidateLedgerTime(absl::string_view field,
                                const google::protobuf::Timestamp& time);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_LEDGER_VALIDATION_H_
