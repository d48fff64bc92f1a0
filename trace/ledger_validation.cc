#include "trace/ledger_validation.h"

#include "absl/strings/str_cat.h"
#include "common/identifiers.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "trace/trace_limits.h"

namespace sentinel::trace {
namespace {

bool IsAssetChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

absl::string_view KindName(v1::LedgerEventKind kind) {
  switch (kind) {
    case v1::LEDGER_EVENT_KIND_TRANSFER:
      return "TRANSFER";
    case v1::LEDGER_EVENT_KIND_TRADE:
      return "TRADE";
    case v1::LEDGER_EVENT_KIND_WITHDRAWAL:
      return "WITHDRAWAL";
    default:
      return "DEPOSIT";
  }
}

// A field that `kind` requires (an identifier) or forbids (must be empty).
absl::Status CheckAccount(absl::string_view field, absl::string_view value,
                          bool required, v1::LedgerEventKind kind) {
  if (required) return ValidateIdentifier(field, value, true);
  if (!value.empty()) {
    return Invalid(field, absl::StrCat("must be empty for ", KindName(kind)));
  }
  return absl::OkStatus();
}

absl::Status CheckExternalAddress(const v1::LedgerEvent& event,
                                  v1::LedgerEventKind kind) {
  const std::string& address = event.external_address();
  if (address.empty()) {
    if (kind == v1::LEDGER_EVENT_KIND_WITHDRAWAL) {
      return Invalid("external_address", "required");
    }
    return absl::OkStatus();
  }
  if (kind == v1::LEDGER_EVENT_KIND_TRANSFER ||
      kind == v1::LEDGER_EVENT_KIND_TRADE) {
    return Invalid("external_address",
                   absl::StrCat("must be empty for ", KindName(kind)));
  }
  if (address.size() > kMaxExternalAddressBytes) {
    return Invalid(
        "external_address",
        absl::StrCat(address.size(), " bytes, longer than the limit of ",
                     kMaxExternalAddressBytes));
  }
  for (char c : address) {
    if (c < 0x21 || c > 0x7e) {
      return Invalid("external_address",
                     "may contain only printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCounterpart(const v1::LedgerEvent& event,
                              v1::LedgerEventKind kind) {
  if (kind != v1::LEDGER_EVENT_KIND_TRADE) {
    if (!event.counter_asset().empty()) {
      return Invalid("counter_asset",
                     absl::StrCat("must be empty for ", KindName(kind)));
    }
    if (event.counter_amount() != 0) {
      return Invalid("counter_amount",
                     absl::StrCat("must be 0 for ", KindName(kind)));
    }
    return absl::OkStatus();
  }
  SENTINEL_RETURN_IF_ERROR(
      ValidateAssetCode("counter_asset", event.counter_asset()));
  if (event.counter_asset() == event.asset()) {
    return Invalid("counter_asset", "must differ from asset");
  }
  if (event.counter_amount() <= 0) {
    return Invalid("counter_amount", "must be > 0 for TRADE");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateAssetCode(absl::string_view field,
                               absl::string_view asset) {
  if (asset.empty()) return Invalid(field, "required");
  if (asset.size() > kMaxAssetBytes) {
    return Invalid(
        field, absl::StrCat(asset.size(), " bytes, longer than the limit of ",
                            kMaxAssetBytes));
  }
  for (char c : asset) {
    if (!IsAssetChar(c)) {
      return Invalid(field, "may contain only letters, digits and . _ -");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateLedgerTime(absl::string_view field,
                                const google::protobuf::Timestamp& time) {
  if (time.nanos() < 0 || time.nanos() > 999999999) {
    return Invalid(field, absl::StrCat("nanos ", time.nanos(),
                                       " is outside 0..999999999"));
  }
  if (time.seconds() < 0) {
    return Invalid(field, "before 1970-01-01T00:00:00Z");
  }
  return absl::OkStatus();
}

absl::Status ValidateLedgerEvent(const v1::LedgerEvent& event, absl::Time now,
                                 absl::Duration max_future_skew) {
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("event_id", event.event_id(), true));
  const v1::LedgerEventKind kind = event.kind();
  if (kind == v1::LEDGER_EVENT_KIND_UNSPECIFIED) {
    return Invalid("kind", "required");
  }
  if (!v1::LedgerEventKind_IsValid(kind)) {
    return Invalid("kind", absl::StrCat("unknown value ", event.kind()));
  }
  if (!event.has_time()) return Invalid("time", "required");
  SENTINEL_RETURN_IF_ERROR(ValidateLedgerTime("time", event.time()));
  if (FromProtoTime(event.time()) > now + max_future_skew) {
    return Invalid("time", absl::StrCat("more than ",
                                        absl::FormatDuration(max_future_skew),
                                        " after the server's clock"));
  }
  SENTINEL_RETURN_IF_ERROR(CheckAccount("from_account", event.from_account(),
                                        kind != v1::LEDGER_EVENT_KIND_DEPOSIT,
                                        kind));
  SENTINEL_RETURN_IF_ERROR(
      CheckAccount("to_account", event.to_account(),
                   kind != v1::LEDGER_EVENT_KIND_WITHDRAWAL, kind));
  if ((kind == v1::LEDGER_EVENT_KIND_TRANSFER ||
       kind == v1::LEDGER_EVENT_KIND_TRADE) &&
      event.to_account() == event.from_account()) {
    return Invalid("to_account", "must differ from from_account");
  }
  SENTINEL_RETURN_IF_ERROR(CheckExternalAddress(event, kind));
  SENTINEL_RETURN_IF_ERROR(ValidateAssetCode("asset", event.asset()));
  if (event.amount() <= 0) return Invalid("amount", "must be > 0");
  return CheckCounterpart(event, kind);
}

}  // namespace sentinel::trace
