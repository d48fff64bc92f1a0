#include "tests/trace/ledger_builders.h"

#include "common/time_util.h"

namespace sentinel::trace::testing {
namespace {

v1::LedgerEvent Event(const std::string& id, int64_t second,
                      v1::LedgerEventKind kind, const std::string& asset,
                      int64_t amount) {
  v1::LedgerEvent event;
  event.set_event_id(id);
  *event.mutable_time() = ToProtoTime(At(second));
  event.set_kind(kind);
  event.set_asset(asset);
  event.set_amount(amount);
  return event;
}

}  // namespace

absl::Time At(int64_t second) {
  return absl::FromUnixSeconds(kOriginUnixSeconds + second);
}

v1::LedgerEvent Transfer(const std::string& id, int64_t second,
                         const std::string& from, const std::string& to,
                         const std::string& asset, int64_t amount) {
  v1::LedgerEvent event =
      Event(id, second, v1::LEDGER_EVENT_KIND_TRANSFER, asset, amount);
  event.set_from_account(from);
  event.set_to_account(to);
  return event;
}

v1::LedgerEvent Trade(const std::string& id, int64_t second,
                      const std::string& seller,
                      const std::string& counterparty, const std::string& asset,
                      int64_t amount, const std::string& counter_asset,
                      int64_t counter_amount) {
  v1::LedgerEvent event =
      Event(id, second, v1::LEDGER_EVENT_KIND_TRADE, asset, amount);
  event.set_from_account(seller);
  event.set_to_account(counterparty);
  event.set_counter_asset(counter_asset);
  event.set_counter_amount(counter_amount);
  return event;
}

v1::LedgerEvent Withdrawal(const std::string& id, int64_t second,
                           const std::string& from, const std::string& address,
                           const std::string& asset, int64_t amount) {
  v1::LedgerEvent event =
      Event(id, second, v1::LEDGER_EVENT_KIND_WITHDRAWAL, asset, amount);
  event.set_from_account(from);
  event.set_external_address(address);
  return event;
}

v1::LedgerEvent Deposit(const std::string& id, int64_t second,
                        const std::string& to, const std::string& asset,
                        int64_t amount) {
  v1::LedgerEvent event =
      Event(id, second, v1::LEDGER_EVENT_KIND_DEPOSIT, asset, amount);
  event.set_to_account(to);
  return event;
}

}  // namespace sentinel::trace::testing
