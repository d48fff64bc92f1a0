#include "trace/ledger_keys.h"

#include "absl/strings/str_cat.h"

namespace sentinel::trace {
namespace {

constexpr absl::string_view kSeparator("\0", 1);
constexpr size_t kTimeBytes = 8;

void AppendPosition(int64_t unix_nanos, absl::string_view event_id,
                    std::string& key) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    key.push_back(
        static_cast<char>(static_cast<uint64_t>(unix_nanos) >> shift));
  }
  key.append(event_id.data(), event_id.size());
}

std::string WithPosition(absl::string_view prefix, int64_t unix_nanos,
                         absl::string_view event_id) {
  std::string key(prefix);
  AppendPosition(unix_nanos, event_id, key);
  return key;
}

}  // namespace

std::string EventKey(absl::string_view event_id) {
  std::string key;
  SetEventKey(event_id, key);
  return key;
}

void SetEventKey(absl::string_view event_id, std::string& key) {
  key.assign("e/");
  key.append(event_id.data(), event_id.size());
}

std::string AccountEventsPrefix(absl::string_view account) {
  return absl::StrCat("a/", account, kSeparator);
}

std::string AccountEventKey(absl::string_view account, int64_t unix_nanos,
                            absl::string_view event_id) {
  std::string key;
  SetAccountEventKey(account, unix_nanos, event_id, key);
  return key;
}

void SetAccountEventKey(absl::string_view account, int64_t unix_nanos,
                        absl::string_view event_id, std::string& key) {
  key.assign("a/");
  key.append(account.data(), account.size());
  key.append(kSeparator.data(), kSeparator.size());
  AppendPosition(unix_nanos, event_id, key);
}

std::string AccountEventKey(absl::string_view account,
                            const LedgerPosition& position) {
  return AccountEventKey(account, position.unix_nanos, position.event_id);
}

std::string AddressEventsPrefix(absl::string_view address) {
  return absl::StrCat("x/", address, kSeparator);
}

std::string AddressEventKey(absl::string_view address, int64_t unix_nanos,
                            absl::string_view event_id) {
  return WithPosition(AddressEventsPrefix(address), unix_nanos, event_id);
}

std::string AddressEventKey(absl::string_view address,
                            const LedgerPosition& position) {
  return AddressEventKey(address, position.unix_nanos, position.event_id);
}

std::optional<KeyPosition> PositionInKey(absl::string_view key,
                                         size_t prefix_size) {
  if (key.size() <= prefix_size + kTimeBytes) return std::nullopt;
  uint64_t nanos = 0;
  for (char byte : key.substr(prefix_size, kTimeBytes)) {
    nanos = (nanos << 8) | static_cast<unsigned char>(byte);
  }
  return KeyPosition{static_cast<int64_t>(nanos),
                     key.substr(prefix_size + kTimeBytes)};
}

std::string AccountKindKey(absl::string_view account) {
  return absl::StrCat(kAccountKindPrefix, account);
}

std::string PendingAccountKindKey(absl::string_view account) {
  return absl::StrCat(kPendingAccountKindPrefix, account);
}

std::string PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

}  // namespace sentinel::trace
