#include "tests/trace/reference_replay.h"

#include <algorithm>
#include <deque>
#include <set>
#include <tuple>
#include <utility>

#include "absl/time/time.h"
#include "common/time_util.h"

namespace sentinel::trace::testing {
namespace {

struct Lot {
  int64_t amount = 0;
  bool tainted = false;
};
using Parcel = std::vector<Lot>;

int64_t TaintedIn(const Parcel& parcel) {
  int64_t tainted = 0;
  for (const Lot& lot : parcel) {
    if (lot.tainted) tainted += lot.amount;
  }
  return tainted;
}

// One account's holding of one asset, in every model at once; only the
// traced model's fields are read.
struct Pot {
  int64_t balance = 0;
  std::deque<Lot> lots;
  int64_t haircut = 0;
  bool poisoned = false;
};

struct Reached {
  int32_t hop = 0;
  v1::AccountKind kind = v1::ACCOUNT_KIND_USER;
  bool infrastructure = false;
  bool absorbing = false;
  std::map<std::string, int64_t> absorbed;
};

int64_t NanosOf(const v1::LedgerEvent& event) {
  return absl::ToUnixNanos(FromProtoTime(event.time()));
}

class Replay {
 public:
  Replay(const std::map<std::string, v1::AccountKind>& kinds,
         const TraceParams& params)
      : kinds_(kinds), params_(params), model_(params.model) {}

  v1::TraceResult Run(const std::vector<v1::LedgerEvent>& events) {
    // Ledger order: by time, then event_id.
    std::vector<std::tuple<int64_t, const std::string*, const v1::LedgerEvent*>>
        order;
    for (const v1::LedgerEvent& event : events) {
      order.emplace_back(NanosOf(event), &event.event_id(), &event);
    }
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return std::tie(std::get<0>(a), *std::get<1>(a)) <
             std::tie(std::get<0>(b), *std::get<1>(b));
    });
    const int64_t since = absl::ToUnixNanos(params_.since);
    const int64_t until = absl::ToUnixNanos(params_.until);
    bool seeded = false;
    for (const auto& [nanos, id, event] : order) {
      if (nanos > until) break;
      if (!seeded && nanos >= since) {
        Seed();
        seeded = true;
      }
      Apply(*event);
    }
    if (!seeded) Seed();
    return Result();
  }

 private:
  Pot& PotOf(const std::string& account, const std::string& asset) {
    return pots_[account][asset];
  }

  int64_t TaintedOf(const Pot& pot) const {
    switch (model_) {
      case v1::TAINT_MODEL_POISON:
        return pot.poisoned ? pot.balance : 0;
      case v1::TAINT_MODEL_HAIRCUT:
        return pot.haircut;
      default: {
        int64_t tainted = 0;
        for (const Lot& lot : pot.lots) {
          if (lot.tainted) tainted += lot.amount;
        }
        return tainted;
      }
    }
  }

  void Seed() {
    const std::string& victim = params_.account_id;
    Reached& reached = reached_[victim];
    reached.kind = KindOf(victim);
    for (auto& [asset, pot] : pots_[victim]) {
      if (pot.balance == 0) continue;
      if (!params_.assets.empty() &&
          std::find(params_.assets.begin(), params_.assets.end(), asset) ==
              params_.assets.end()) {
        continue;
      }
      pot.lots = {{pot.balance, true}};
      pot.haircut = pot.balance;
      pot.poisoned = true;
      seeded_[asset] = pot.balance;
    }
  }

  v1::AccountKind KindOf(const std::string& account) const {
    auto it = kinds_.find(account);
    return it == kinds_.end() ? v1::ACCOUNT_KIND_USER : it->second;
  }

  Parcel Take(Pot& pot, int64_t amount) {
    Parcel parcel;
    const int64_t covered = std::min(amount, pot.balance);
    switch (model_) {
      case v1::TAINT_MODEL_POISON:
        parcel.push_back({amount, pot.poisoned});
        break;
      case v1::TAINT_MODEL_HAIRCUT: {
        int64_t tainted = 0;
        if (pot.balance > 0) {
          tainted = amount >= pot.balance
                        ? pot.haircut
                        : static_cast<int64_t>(static_cast<__int128>(amount) *
                                               pot.haircut / pot.balance);
        }
        pot.haircut -= tainted;
        parcel.push_back({tainted, true});
        parcel.push_back({amount - tainted, false});
        break;
      }
      default: {
        int64_t left = covered;
        while (left > 0) {
          Lot& front = pot.lots.front();
          const int64_t part = std::min(left, front.amount);
          parcel.push_back({part, front.tainted});
          front.amount -= part;
          left -= part;
          if (front.amount == 0) pot.lots.pop_front();
        }
        parcel.push_back({amount - covered, false});
        break;
      }
    }
    pot.balance -= covered;
    if (pot.balance == 0) pot.poisoned = false;
    return parcel;
  }

  void Give(Pot& pot, const Parcel& parcel) {
    for (const Lot& lot : parcel) {
      if (lot.amount == 0) continue;
      pot.balance += lot.amount;
      pot.lots.push_back(lot);
      if (lot.tainted) {
        pot.haircut += lot.amount;
        pot.poisoned = true;
      }
    }
  }

  void Reach(const std::string& account, int32_t hop) {
    Reached& reached = reached_[account];
    reached.hop = hop;
    reached.kind = KindOf(account);
    reached.infrastructure = reached.kind == v1::ACCOUNT_KIND_OMNIBUS ||
                             reached.kind == v1::ACCOUNT_KIND_FEE ||
                             reached.kind == v1::ACCOUNT_KIND_MARKET_MAKER;
    reached.absorbing = reached.infrastructure || hop >= params_.max_hops;
  }

  // Delivers to an absorbing account: its pots stay clean and the taint is
  // counted aside.
  void Deliver(const std::string& account, const std::string& asset,
               const Parcel& parcel) {
    auto it = reached_.find(account);
    if (it != reached_.end() && it->second.absorbing) {
      Give(PotOf(account, asset), {{ParcelAmount(parcel), false}});
      it->second.absorbed[asset] += TaintedIn(parcel);
      return;
    }
    Give(PotOf(account, asset), parcel);
  }

  static int64_t ParcelAmount(const Parcel& parcel) {
    int64_t amount = 0;
    for (const Lot& lot : parcel) amount += lot.amount;
    return amount;
  }

  void Apply(const v1::LedgerEvent& event) {
    const std::string& from = event.from_account();
    const std::string& to = event.to_account();
    switch (event.kind()) {
      case v1::LEDGER_EVENT_KIND_TRANSFER: {
        const Parcel parcel = Take(PotOf(from, event.asset()), event.amount());
        const int64_t tainted = TaintedIn(parcel);
        if (tainted > 0 && reached_.count(to) == 0) {
          Reach(to, reached_.at(from).hop + 1);
        }
        Deliver(to, event.asset(), parcel);
        if (tainted > 0) {
          v1::FlowEdge edge = Edge(event, reached_.at(from).hop + 1, tainted);
          edge.set_to_account(to);
          AddEdge(edge);
        }
        break;
      }
      case v1::LEDGER_EVENT_KIND_WITHDRAWAL: {
        const int64_t tainted =
            TaintedIn(Take(PotOf(from, event.asset()), event.amount()));
        if (tainted == 0) break;
        const int32_t hop = reached_.at(from).hop + 1;
        v1::ExternalAddress& address =
            external_[{event.external_address(), event.asset()}];
        if (address.withdrawals() == 0) {
          address.set_address(event.external_address());
          address.set_asset(event.asset());
          address.set_hop(hop);
          *address.mutable_first_time() = event.time();
        }
        address.set_tainted_amount(address.tainted_amount() + tainted);
        address.set_withdrawals(address.withdrawals() + 1);
        address.set_hop(std::min(address.hop(), hop));
        *address.mutable_last_time() = event.time();
        v1::FlowEdge edge = Edge(event, hop, tainted);
        edge.set_external_address(event.external_address());
        AddEdge(edge);
        break;
      }
      case v1::LEDGER_EVENT_KIND_DEPOSIT:
        Deliver(to, event.asset(), {{event.amount(), false}});
        break;
      case v1::LEDGER_EVENT_KIND_TRADE:
        TradeSide(event, from, event.asset(), event.amount(),
                  event.counter_asset(), event.counter_amount(), to);
        TradeSide(event, to, event.counter_asset(), event.counter_amount(),
                  event.asset(), event.amount(), from);
        break;
      default:
        break;
    }
  }

  void TradeSide(const v1::LedgerEvent& event, const std::string& trader,
                 const std::string& sold_asset, int64_t sold,
                 const std::string& bought_asset, int64_t bought,
                 const std::string& counterparty) {
    const int64_t tainted = TaintedIn(Take(PotOf(trader, sold_asset), sold));
    int64_t converted = 0;
    if (model_ == v1::TAINT_MODEL_POISON) {
      converted = tainted > 0 ? bought : 0;
    } else {
      converted =
          static_cast<int64_t>(static_cast<__int128>(tainted) * bought / sold);
    }
    Give(PotOf(trader, bought_asset),
         {{converted, true}, {bought - converted, false}});
    if (tainted == 0) return;
    converted_out_[sold_asset] += tainted;
    converted_in_[bought_asset] += converted;
    v1::FlowEdge edge;
    edge.set_event_id(event.event_id());
    edge.set_from_account(trader);
    edge.set_to_account(trader);
    edge.set_asset(sold_asset);
    edge.set_amount(sold);
    edge.set_tainted_amount(tainted);
    edge.set_hop(reached_.at(trader).hop);
    edge.set_kind(v1::LEDGER_EVENT_KIND_TRADE);
    *edge.mutable_time() = event.time();
    edge.set_counter_asset(bought_asset);
    edge.set_counter_tainted_amount(converted);
    edge.set_counterparty_account(counterparty);
    AddEdge(edge);
  }

  static v1::FlowEdge Edge(const v1::LedgerEvent& event, int32_t hop,
                           int64_t tainted) {
    v1::FlowEdge edge;
    edge.set_event_id(event.event_id());
    edge.set_from_account(event.from_account());
    edge.set_asset(event.asset());
    edge.set_amount(event.amount());
    edge.set_tainted_amount(tainted);
    edge.set_hop(hop);
    edge.set_kind(event.kind());
    *edge.mutable_time() = event.time();
    return edge;
  }

  void AddEdge(const v1::FlowEdge& edge) {
    if (edges_.size() < static_cast<size_t>(params_.max_edges)) {
      edges_.push_back(edge);
    } else {
      ++edges_omitted_;
    }
  }

  v1::TraceResult Result() {
    v1::TraceResult result;
    result.set_model(model_);
    *result.mutable_as_of() = ToProtoTime(params_.until);
    result.set_accounts_reached(static_cast<int64_t>(reached_.size()));
    for (const v1::FlowEdge& edge : edges_) *result.add_edges() = edge;
    result.set_edges_omitted(edges_omitted_);

    std::vector<v1::Holding> holdings;
    for (const auto& [account, reached] : reached_) {
      v1::Holding holding;
      holding.set_account_id(account);
      holding.set_account_kind(reached.kind);
      holding.set_hop(reached.hop);
      if (reached.absorbing) {
        holding.set_infrastructure(reached.infrastructure);
        holding.set_hop_limited(!reached.infrastructure);
        for (const auto& [asset, absorbed] : reached.absorbed) {
          if (absorbed == 0) continue;
          holding.set_asset(asset);
          holding.set_tainted_amount(absorbed);
          holding.set_balance(PotOf(account, asset).balance);
          holdings.push_back(holding);
        }
        continue;
      }
      for (const auto& [asset, pot] : pots_[account]) {
        if (TaintedOf(pot) == 0) continue;
        holding.set_asset(asset);
        holding.set_tainted_amount(TaintedOf(pot));
        holding.set_balance(pot.balance);
        holdings.push_back(holding);
      }
    }

    std::set<std::string> assets;
    for (const auto& [asset, amount] : seeded_) assets.insert(asset);
    for (const auto& [asset, amount] : converted_in_) assets.insert(asset);
    for (const auto& [asset, amount] : converted_out_) assets.insert(asset);
    for (const v1::Holding& holding : holdings) assets.insert(holding.asset());
    for (const auto& [key, address] : external_) assets.insert(key.second);
    for (const std::string& asset : assets) {
      v1::AssetTotals totals;
      totals.set_asset(asset);
      totals.set_seeded(seeded_[asset]);
      totals.set_converted_in(converted_in_[asset]);
      totals.set_converted_out(converted_out_[asset]);
      for (const v1::Holding& holding : holdings) {
        if (holding.asset() != asset) continue;
        if (holding.infrastructure()) {
          totals.set_infrastructure(totals.infrastructure() +
                                    holding.tainted_amount());
        } else {
          totals.set_held(totals.held() + holding.tainted_amount());
        }
      }
      for (const auto& [key, address] : external_) {
        if (key.second == asset) {
          totals.set_external(totals.external() + address.tainted_amount());
        }
      }
      if (totals.seeded() != 0 || totals.converted_in() != 0 ||
          totals.converted_out() != 0 || totals.held() != 0 ||
          totals.infrastructure() != 0 || totals.external() != 0) {
        *result.add_totals() = totals;
      }
    }

    std::sort(holdings.begin(), holdings.end(),
              [](const v1::Holding& a, const v1::Holding& b) {
                return std::make_tuple(-a.tainted_amount(), a.account_id(),
                                       a.asset()) <
                       std::make_tuple(-b.tainted_amount(), b.account_id(),
                                       b.asset());
              });
    for (size_t i = 0; i < holdings.size(); ++i) {
      if (i < 10000) {
        *result.add_holdings() = holdings[i];
      } else {
        result.set_holdings_omitted(result.holdings_omitted() + 1);
      }
    }
    std::vector<v1::ExternalAddress> external;
    for (const auto& [key, address] : external_) external.push_back(address);
    std::sort(
        external.begin(), external.end(),
        [](const v1::ExternalAddress& a, const v1::ExternalAddress& b) {
          return std::make_tuple(-a.tainted_amount(), a.address(), a.asset()) <
                 std::make_tuple(-b.tainted_amount(), b.address(), b.asset());
        });
    for (size_t i = 0; i < external.size(); ++i) {
      if (i < 10000) {
        *result.add_external() = external[i];
      } else {
        result.set_external_omitted(result.external_omitted() + 1);
      }
    }
    return result;
  }

  const std::map<std::string, v1::AccountKind>& kinds_;
  const TraceParams& params_;
  const v1::TaintModel model_;
  // By account, then asset.
  std::map<std::string, std::map<std::string, Pot>> pots_;
  std::map<std::string, Reached> reached_;
  std::map<std::string, int64_t> seeded_;
  std::map<std::string, int64_t> converted_in_;
  std::map<std::string, int64_t> converted_out_;
  std::map<std::pair<std::string, std::string>, v1::ExternalAddress> external_;
  std::vector<v1::FlowEdge> edges_;
  int64_t edges_omitted_ = 0;
};

}  // namespace

v1::TraceResult ReferenceTrace(
    const std::vector<v1::LedgerEvent>& events,
    const std::map<std::string, v1::AccountKind>& kinds,
    const TraceParams& params) {
  return Replay(kinds, params).Run(events);
}

}  // namespace sentinel::trace::testing
