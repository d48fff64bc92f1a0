// The parts of a TraceResult that summarize where the taint ended: holdings
// and external addresses in their documented order and caps, and the
// per-asset totals over all of them.
#ifndef SENTINEL_TRACE_TRACE_REPORT_H_
#define SENTINEL_TRACE_TRACE_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::trace {

// Tainted value of one asset that entered or left the trace other than by
// being held or withdrawn.
struct AssetFlows {
  // What the victim held at `since`.
  int64_t seeded = 0;
  // Created by trades from other assets.
  int64_t converted_in = 0;
  // Sold by trades into other assets.
  int64_t converted_out = 0;
};

// Fills result.holdings (largest tainted_amount first, ties by account then
// asset), result.external (largest first, ties by address then asset), each
// capped at kMaxResultEntries with the rest counted in holdings_omitted and
// external_omitted, and result.totals: one entry per asset with any nonzero
// amount, sorted by asset, summing every holding and address (not only
// those returned). Sums saturate at INT64_MAX.
void FillReport(std::vector<v1::Holding> holdings,
                std::vector<v1::ExternalAddress> external,
                const absl::btree_map<std::string, AssetFlows>& flows,
                v1::TraceResult& result);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_TRACE_REPORT_H_
