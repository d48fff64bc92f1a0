#include "trace/ledger_keys.h"

#include "absl/strings/str_cat.h"
#include "common/key_codec.h"

namespace sentinel::trace {
namespace {

constexpr absl::string_view kSeparator("\0", 1);

std::string WithPosition(std::string prefix, const LedgerPosition& position) {
  std::string key =
      KeyWithNumber(prefix, static_cast<uint64_t>(position.unix_nanos));
  key.append(position.event_id);
  return key;
}

uint64_t ReadBigEndian(absl::string_view bytes) {
  uint64_t value = 0;
  for (char byte : bytes)
    value = (value << 8) | static_cast<unsigned char>(byte);
  return value;
}

}  // namespace

std::string EventKey(absl::string_view event_id) {
  return absl::StrCat("e/", event_id);
}

std::string AccountEventsPrefix(absl::string_view account) {
  return absl::StrCat("a/", account, kSeparator);
}

std::string AccountEventKey(absl::string_view account,
                            const LedgerPosition& position) {
  return WithPosition(AccountEventsPrefix(account), position);
}

std::string AccountBalancesPrefix(absl::string_view account) {
  return absl::StrCat("b/", account, kSeparator);
}

std::string BalancesPrefix(absl::string_view account, absl::string_view asset) {
  return absl::StrCat(AccountBalancesPrefix(account), asset, kSeparator);
}

std::string BalanceKey(absl::string_view account, absl::string_view asset,
                       const LedgerPosition& position) {
  return WithPosition(BalancesPrefix(account, asset), position);
}

std::string AddressEventsPrefix(absl::string_view address) {
  return absl::StrCat("x/", address, kSeparator);
}

std::string AddressEventKey(absl::string_view address,
                            const LedgerPosition& position) {
  return WithPosition(AddressEventsPrefix(address), position);
}

std::string AccountKindKey(absl::string_view account) {
  return absl::StrCat(kAccountKindPrefix, account);
}

std::string PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

std::string EncodeBalanceEntry(const BalanceEntry& entry) {
  std::string value = KeyWithNumber("", static_cast<uint64_t>(entry.delta));
  value.append(KeyWithNumber("", static_cast<uint64_t>(entry.balance)));
  return value;
}

std::optional<BalanceEntry> DecodeBalanceEntry(absl::string_view value) {
  if (value.size() != 16) return std::nullopt;
  return BalanceEntry{static_cast<int64_t>(ReadBigEndian(value.substr(0, 8))),
                      static_cast<int64_t>(ReadBigEndian(value.substr(8)))};
}

}  // namespace sentinel::trace
