#include "trace/event_view.h"

#include <string>
#include <tuple>

namespace sentinel::trace {
namespace {

constexpr int64_t kNanosPerSecond = 1000000000;

}  // namespace

EventView ViewOf(const v1::LedgerEvent& event) {
  EventView view;
  view.unix_nanos =
      event.time().seconds() * kNanosPerSecond + event.time().nanos();
  view.event_id = event.event_id();
  view.kind = event.kind();
  view.from_account = event.from_account();
  view.to_account = event.to_account();
  view.external_address = event.external_address();
  view.asset = event.asset();
  view.amount = event.amount();
  view.counter_asset = event.counter_asset();
  view.counter_amount = event.counter_amount();
  return view;
}

v1::LedgerEvent ToLedgerEvent(const EventView& view) {
  v1::LedgerEvent event;
  event.set_event_id(std::string(view.event_id));
  event.mutable_time()->set_seconds(view.unix_nanos / kNanosPerSecond);
  event.mutable_time()->set_nanos(
      static_cast<int32_t>(view.unix_nanos % kNanosPerSecond));
  event.set_kind(view.kind);
  event.set_from_account(std::string(view.from_account));
  event.set_to_account(std::string(view.to_account));
  event.set_external_address(std::string(view.external_address));
  event.set_asset(std::string(view.asset));
  event.set_amount(view.amount);
  event.set_counter_asset(std::string(view.counter_asset));
  event.set_counter_amount(view.counter_amount);
  return event;
}

bool SameEvent(const EventView& a, const EventView& b) {
  const auto fields = [](const EventView& e) {
    return std::tie(e.unix_nanos, e.event_id, e.kind, e.from_account,
                    e.to_account, e.external_address, e.asset, e.amount,
                    e.counter_asset, e.counter_amount);
  };
  return fields(a) == fields(b);
}

}  // namespace sentinel::trace
