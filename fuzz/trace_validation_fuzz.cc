// Fuzzes the checks of TraceService input (trace/ledger_validation.h,
// trace/trace_request.h). The first input byte picks the message (modulo 2:
// LedgerEvent, TraceFundsRequest); the rest is that serialized sentinel.v1
// message. The server clock is fixed at 2026-11-26T00:00:00Z.
// Checks:
// - each validation returns OK or kInvalidArgument, with a message of at
//   most 1024 bytes (an IngestRejection carries it unchanged);
// - a valid event's balance changes move value without creating it: a
//   TRANSFER or TRADE takes from one account what it gives the other, per
//   asset, and every change is non-zero;
// - a valid trace request resolves within its documented bounds: since <
//   until, max_hops 1..32, max_events 1..100000000, max_edges 1..50000, at
//   most 100 assets, sorted and distinct.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fuzz/fuzz_check.h"
#include "google/protobuf/stubs/logging.h"
#include "sentinel/v1/trace.pb.h"
#include "trace/ledger_balance.h"
#include "trace/ledger_validation.h"
#include "trace/trace_limits.h"
#include "trace/trace_request.h"

namespace {

namespace trace = ::sentinel::trace;
namespace v1 = ::sentinel::v1;

const absl::Time kNow = absl::FromUnixSeconds(1795651200);

void CheckStatus(const absl::Status& status) {
  SENTINEL_FUZZ_CHECK(status.ok() || absl::IsInvalidArgument(status));
  SENTINEL_FUZZ_CHECK(status.message().size() <=
                      trace::kMaxRejectionReasonBytes);
}

void CheckEvent(const uint8_t* data, size_t size) {
  v1::LedgerEvent event;
  if (!event.ParseFromArray(data, static_cast<int>(size))) return;
  const absl::Status valid =
      trace::ValidateLedgerEvent(event, kNow, trace::kDefaultMaxEventFutureSkew);
  CheckStatus(valid);
  if (!valid.ok()) return;
  // The net change per asset, wide enough not to overflow.
  std::map<std::string, __int128> net;
  for (const trace::BalanceDelta& change : trace::BalanceDeltas(event)) {
    SENTINEL_FUZZ_CHECK(change.delta != 0);
    SENTINEL_FUZZ_CHECK(!change.account.empty());
    net[change.asset] += change.delta;
  }
  const bool internal = event.kind() == v1::LEDGER_EVENT_KIND_TRANSFER ||
                        event.kind() == v1::LEDGER_EVENT_KIND_TRADE;
  for (const auto& [asset, change] : net) {
    SENTINEL_FUZZ_CHECK(!internal || change == 0);
  }
}

void CheckTraceRequest(const uint8_t* data, size_t size) {
  v1::TraceFundsRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  const absl::StatusOr<trace::TraceParams> params =
      trace::ResolveTraceRequest(request, kNow);
  CheckStatus(params.status());
  if (!params.ok()) return;
  SENTINEL_FUZZ_CHECK(params->since < params->until);
  SENTINEL_FUZZ_CHECK(params->max_hops >= 1 &&
                      params->max_hops <= trace::kMaxMaxHops);
  SENTINEL_FUZZ_CHECK(params->max_events >= 1 &&
                      params->max_events <= trace::kMaxMaxEvents);
  SENTINEL_FUZZ_CHECK(params->max_edges >= 1 &&
                      params->max_edges <= trace::kMaxMaxEdges);
  SENTINEL_FUZZ_CHECK(params->assets.size() <= trace::kMaxTraceAssets);
  for (size_t i = 1; i < params->assets.size(); ++i) {
    SENTINEL_FUZZ_CHECK(params->assets[i - 1] < params->assets[i]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // Parsing refuses invalid UTF-8 in string fields, logging each time.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0] % 2;
  if (selector == 0) {
    CheckEvent(data + 1, size - 1);
  } else {
    CheckTraceRequest(data + 1, size - 1);
  }
  return 0;
}
