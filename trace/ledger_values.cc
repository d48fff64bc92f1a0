#include "trace/ledger_values.h"

#include <cstddef>
#include <limits>

#include "common/key_codec.h"

namespace sentinel::trace {
namespace {

constexpr size_t kTimeBytes = 8;

void AppendVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void AppendString(absl::string_view text, std::string& out) {
  AppendVarint(text.size(), out);
  out.append(text.data(), text.size());
}

bool ConsumeVarint(absl::string_view& in, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// A varint that fits in a non-negative int64.
bool ConsumeAmount(absl::string_view& in, int64_t& amount) {
  uint64_t value = 0;
  if (!ConsumeVarint(in, value) ||
      value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return false;
  }
  amount = static_cast<int64_t>(value);
  return true;
}

bool ConsumeString(absl::string_view& in, absl::string_view& text) {
  uint64_t size = 0;
  if (!ConsumeVarint(in, size) || size > in.size()) return false;
  text = in.substr(0, size);
  in.remove_prefix(size);
  return true;
}

}  // namespace

void AppendEventBody(const EventView& event, KeyParty party, std::string& out) {
  out.push_back(static_cast<char>(event.kind));
  out.push_back(static_cast<char>(party));
  AppendString(party == KeyParty::kFrom ? "" : event.from_account, out);
  AppendString(party == KeyParty::kTo ? "" : event.to_account, out);
  AppendString(event.external_address, out);
  AppendString(event.asset, out);
  AppendVarint(static_cast<uint64_t>(event.amount), out);
  AppendString(event.counter_asset, out);
  AppendVarint(static_cast<uint64_t>(event.counter_amount), out);
}

bool ConsumeEventBody(absl::string_view& value, absl::string_view key_account,
                      EventView& event) {
  if (value.size() < 2) return false;
  const auto kind = static_cast<unsigned char>(value[0]);
  const auto party = static_cast<KeyParty>(value[1]);
  if (!v1::LedgerEventKind_IsValid(kind) || party > KeyParty::kTo) {
    return false;
  }
  value.remove_prefix(2);
  event.kind = static_cast<v1::LedgerEventKind>(kind);
  if (!ConsumeString(value, event.from_account) ||
      !ConsumeString(value, event.to_account) ||
      !ConsumeString(value, event.external_address) ||
      !ConsumeString(value, event.asset) ||
      !ConsumeAmount(value, event.amount) ||
      !ConsumeString(value, event.counter_asset) ||
      !ConsumeAmount(value, event.counter_amount)) {
    return false;
  }
  if (party == KeyParty::kFrom) event.from_account = key_account;
  if (party == KeyParty::kTo) event.to_account = key_account;
  return true;
}

void AppendBalances(const AssetBalances& balances, std::string& out) {
  AppendVarint(balances.size(), out);
  for (const auto& [asset, balance] : balances) {
    AppendString(asset, out);
    AppendVarint(static_cast<uint64_t>(balance), out);
  }
}

bool ParseBalances(absl::string_view value, AssetBalances& balances) {
  balances.clear();
  uint64_t count = 0;
  if (!ConsumeVarint(value, count) || count > value.size()) return false;
  for (uint64_t i = 0; i < count; ++i) {
    absl::string_view asset;
    int64_t balance = 0;
    if (!ConsumeString(value, asset) || !ConsumeAmount(value, balance)) {
      return false;
    }
    balances.emplace_back(std::string(asset), balance);
  }
  return value.empty();
}

void AppendEventLocation(const EventView& event, std::string& out) {
  out.append(KeyWithNumber("", static_cast<uint64_t>(event.unix_nanos)));
  const absl::string_view account =
      event.from_account.empty() ? event.to_account : event.from_account;
  out.append(account.data(), account.size());
}

std::optional<EventLocation> DecodeEventLocation(absl::string_view value) {
  if (value.size() <= kTimeBytes) return std::nullopt;
  const std::optional<uint64_t> nanos =
      NumberFromKey("", value.substr(0, kTimeBytes));
  if (!nanos.has_value()) return std::nullopt;
  return EventLocation{static_cast<int64_t>(*nanos), value.substr(kTimeBytes)};
}

}  // namespace sentinel::trace
