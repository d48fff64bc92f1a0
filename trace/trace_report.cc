#include "trace/trace_report.h"

#include <algorithm>
#include <tuple>

#include "trace/ledger_balance.h"
#include "trace/trace_limits.h"

namespace sentinel::trace {
namespace {

void Add(int64_t& total, int64_t amount) {
  total = SaturatingAdd(total, amount);
}

// Moves the first kMaxResultEntries of `entries` into `out`; returns how
// many were left out.
template <typename Entry>
int64_t MoveCapped(std::vector<Entry>& entries,
                   google::protobuf::RepeatedPtrField<Entry>& out) {
  const size_t kept = std::min(entries.size(), kMaxResultEntries);
  out.Reserve(static_cast<int>(kept));
  for (size_t i = 0; i < kept; ++i) *out.Add() = std::move(entries[i]);
  return static_cast<int64_t>(entries.size() - kept);
}

}  // namespace

void FillReport(std::vector<v1::Holding> holdings,
                std::vector<v1::ExternalAddress> external,
                const absl::btree_map<std::string, AssetFlows>& flows,
                v1::TraceResult& result) {
  absl::btree_map<std::string, v1::AssetTotals> totals;
  for (const auto& [asset, flow] : flows) {
    v1::AssetTotals& total = totals[asset];
    total.set_seeded(flow.seeded);
    total.set_converted_in(flow.converted_in);
    total.set_converted_out(flow.converted_out);
  }
  for (const v1::Holding& holding : holdings) {
    v1::AssetTotals& total = totals[holding.asset()];
    int64_t sum =
        holding.infrastructure() ? total.infrastructure() : total.held();
    Add(sum, holding.tainted_amount());
    if (holding.infrastructure()) {
      total.set_infrastructure(sum);
    } else {
      total.set_held(sum);
    }
  }
  for (const v1::ExternalAddress& address : external) {
    v1::AssetTotals& total = totals[address.asset()];
    int64_t sum = total.external();
    Add(sum, address.tainted_amount());
    total.set_external(sum);
  }
  for (auto& [asset, total] : totals) {
    if (total.seeded() == 0 && total.converted_in() == 0 &&
        total.converted_out() == 0 && total.held() == 0 &&
        total.infrastructure() == 0 && total.external() == 0) {
      continue;
    }
    total.set_asset(asset);
    *result.add_totals() = std::move(total);
  }

  std::sort(holdings.begin(), holdings.end(),
            [](const v1::Holding& a, const v1::Holding& b) {
              if (a.tainted_amount() != b.tainted_amount()) {
                return a.tainted_amount() > b.tainted_amount();
              }
              return std::tie(a.account_id(), a.asset()) <
                     std::tie(b.account_id(), b.asset());
            });
  result.set_holdings_omitted(MoveCapped(holdings, *result.mutable_holdings()));
  std::sort(external.begin(), external.end(),
            [](const v1::ExternalAddress& a, const v1::ExternalAddress& b) {
              if (a.tainted_amount() != b.tainted_amount()) {
                return a.tainted_amount() > b.tainted_amount();
              }
              return std::tie(a.address(), a.asset()) <
                     std::tie(b.address(), b.asset());
            });
  result.set_external_omitted(MoveCapped(external, *result.mutable_external()));
}

}  // namespace sentinel::trace
