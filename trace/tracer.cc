#include "trace/tracer.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "trace/account_cursor.h"
#include "trace/asset_taint.h"
#include "trace/ledger_balance.h"
#include "trace/ledger_position.h"
#include "trace/trace_report.h"

namespace sentinel::trace {
namespace {

enum class Role { kExpanded, kInfrastructure, kHopLimited };

bool IsInfrastructure(v1::AccountKind kind) {
  return kind == v1::ACCOUNT_KIND_OMNIBUS || kind == v1::ACCOUNT_KIND_FEE ||
         kind == v1::ACCOUNT_KIND_MARKET_MAKER;
}

struct TracedAccount {
  int32_t hop = 0;
  Role role = Role::kExpanded;
  v1::AccountKind kind = v1::ACCOUNT_KIND_USER;
  // kExpanded: the model state of each asset touched since the account was
  // reached (std::map: pointers stay valid while others are added).
  std::map<std::string, AssetTaint> assets;
  // Otherwise: the tainted value absorbed, per asset.
  std::map<std::string, int64_t> absorbed;
  // kExpanded: its events from the moment it was reached.
  std::optional<AccountCursor> cursor;
};

// An expanded account waiting in the merge, at its next event: the event's
// position, pointing into the account's cursor (which stays put until the
// entry is taken).
struct Pending {
  int64_t unix_nanos = 0;
  const std::string* event_id = nullptr;
  TracedAccount* account = nullptr;
};

bool Before(const LedgerPosition& position, const Pending& pending) {
  return std::tie(position.unix_nanos, position.event_id) <
         std::tie(pending.unix_nanos, *pending.event_id);
}

struct Later {
  bool operator()(const Pending& a, const Pending& b) const {
    return std::tie(b.unix_nanos, *b.event_id) <
           std::tie(a.unix_nanos, *a.event_id);
  }
};

class TraceRun {
 public:
  TraceRun(const LedgerView& view, const TraceParams& params)
      : view_(view), params_(params), end_(EndOf(params.until)) {}

  absl::StatusOr<v1::TraceResult> Run() {
    SENTINEL_RETURN_IF_ERROR(Seed());
    while (!queue_.empty()) {
      Pending next = queue_.top();
      queue_.pop();
      // An event between two expanded accounts is in both their cursors; it
      // is processed at the first and skipped at the second.
      if (!last_.has_value() || Before(*last_, next)) {
        if (examined_ == params_.max_events) {
          partial_ = true;
          break;
        }
        last_ = LedgerPosition{next.unix_nanos, *next.event_id};
        SENTINEL_RETURN_IF_ERROR(
            Process(next.account->cursor->event(), *last_));
        ++examined_;
      }
      SENTINEL_RETURN_IF_ERROR(Advance(*next.account));
    }
    return Finish();
  }

 private:
  absl::Status Seed() {
    const std::string& victim = params_.account_id;
    SENTINEL_ASSIGN_OR_RETURN(const v1::AccountKind kind,
                              view_.AccountKind(victim));
    TracedAccount& account = accounts_[victim];
    account.kind = kind;
    const LedgerPosition since = StartOf(params_.since);
    SENTINEL_ASSIGN_OR_RETURN(std::vector<AssetBalance> balances,
                              view_.BalancesBefore(victim, since));
    for (const AssetBalance& held : balances) {
      if (!params_.assets.empty() &&
          !std::binary_search(params_.assets.begin(), params_.assets.end(),
                              held.asset)) {
        continue;
      }
      account.assets.emplace(held.asset,
                             AssetTaint(params_.model, held.balance, true));
      flows_[held.asset].seeded = held.balance;
    }
    account.cursor.emplace(view_, victim, since, end_);
    return Advance(account);
  }

  // Moves `account`'s cursor on and queues it at its next event, if any.
  absl::Status Advance(TracedAccount& account) {
    SENTINEL_RETURN_IF_ERROR(account.cursor->Advance());
    if (account.cursor->valid()) {
      const v1::LedgerEvent& event = account.cursor->event();
      queue_.push({absl::ToUnixNanos(FromProtoTime(event.time())),
                   &event.event_id(), &account});
    }
    return absl::OkStatus();
  }

  absl::Status Process(const v1::LedgerEvent& event,
                       const LedgerPosition& position) {
    switch (event.kind()) {
      case v1::LEDGER_EVENT_KIND_TRANSFER:
        return Transfer(event, position);
      case v1::LEDGER_EVENT_KIND_WITHDRAWAL:
        return Withdrawal(event, position);
      case v1::LEDGER_EVENT_KIND_DEPOSIT:
        return GiveTo(event.to_account(), event.asset(),
                      Parcel::Clean(event.amount()), 0, position);
      case v1::LEDGER_EVENT_KIND_TRADE:
        SENTINEL_RETURN_IF_ERROR(
            TradeSide(event, event.from_account(), event.asset(),
                      event.amount(), event.counter_asset(),
                      event.counter_amount(), event.to_account(), position));
        return TradeSide(event, event.to_account(), event.counter_asset(),
                         event.counter_amount(), event.asset(), event.amount(),
                         event.from_account(), position);
      default:
        return absl::DataLossError("ledger store: an event of unknown kind");
    }
  }

  absl::Status Transfer(const v1::LedgerEvent& event,
                        const LedgerPosition& position) {
    SENTINEL_ASSIGN_OR_RETURN(const Parcel parcel,
                              TakeFrom(event.from_account(), event.asset(),
                                       event.amount(), position));
    if (parcel.tainted() == 0) {
      return GiveTo(event.to_account(), event.asset(), parcel, 0, position);
    }
    const int32_t hop = accounts_.at(event.from_account()).hop + 1;
    SENTINEL_RETURN_IF_ERROR(
        GiveTo(event.to_account(), event.asset(), parcel, hop, position));
    v1::FlowEdge edge = Edge(event, hop, parcel.tainted());
    edge.set_to_account(event.to_account());
    AddEdge(std::move(edge));
    return absl::OkStatus();
  }

  absl::Status Withdrawal(const v1::LedgerEvent& event,
                          const LedgerPosition& position) {
    SENTINEL_ASSIGN_OR_RETURN(const Parcel parcel,
                              TakeFrom(event.from_account(), event.asset(),
                                       event.amount(), position));
    if (parcel.tainted() == 0) return absl::OkStatus();
    const int32_t hop = accounts_.at(event.from_account()).hop + 1;
    v1::ExternalAddress& address =
        external_[{event.external_address(), event.asset()}];
    if (address.withdrawals() == 0) {
      address.set_address(event.external_address());
      address.set_asset(event.asset());
      address.set_hop(hop);
      *address.mutable_first_time() = event.time();
    }
    address.set_tainted_amount(
        SaturatingAdd(address.tainted_amount(), parcel.tainted()));
    address.set_withdrawals(address.withdrawals() + 1);
    address.set_hop(std::min(address.hop(), hop));
    *address.mutable_last_time() = event.time();
    v1::FlowEdge edge = Edge(event, hop, parcel.tainted());
    edge.set_external_address(event.external_address());
    AddEdge(std::move(edge));
    return absl::OkStatus();
  }

  // One side of a trade: `trader` sells `sold` of `sold_asset` for `bought`
  // of `bought_asset`.
  absl::Status TradeSide(const v1::LedgerEvent& event,
                         const std::string& trader,
                         const std::string& sold_asset, int64_t sold,
                         const std::string& bought_asset, int64_t bought,
                         const std::string& counterparty,
                         const LedgerPosition& position) {
    TracedAccount* account = Expanded(trader);
    if (account == nullptr) return absl::OkStatus();
    SENTINEL_ASSIGN_OR_RETURN(AssetTaint * seller,
                              StateOf(*account, trader, sold_asset, position));
    const int64_t tainted = seller->Take(sold).tainted();
    const int64_t converted =
        ConvertTaint(params_.model, tainted, sold, bought);
    SENTINEL_ASSIGN_OR_RETURN(
        AssetTaint * buyer, StateOf(*account, trader, bought_asset, position));
    buyer->Add(Parcel::Split(bought, converted));
    if (tainted == 0) return absl::OkStatus();
    AssetFlows& sold_flows = flows_[sold_asset];
    sold_flows.converted_out = SaturatingAdd(sold_flows.converted_out, tainted);
    AssetFlows& bought_flows = flows_[bought_asset];
    bought_flows.converted_in =
        SaturatingAdd(bought_flows.converted_in, converted);
    v1::FlowEdge edge;
    edge.set_event_id(event.event_id());
    edge.set_from_account(trader);
    edge.set_to_account(trader);
    edge.set_asset(sold_asset);
    edge.set_amount(sold);
    edge.set_tainted_amount(tainted);
    edge.set_hop(account->hop);
    edge.set_kind(v1::LEDGER_EVENT_KIND_TRADE);
    *edge.mutable_time() = event.time();
    edge.set_counter_asset(bought_asset);
    edge.set_counter_tainted_amount(converted);
    edge.set_counterparty_account(counterparty);
    AddEdge(std::move(edge));
    return absl::OkStatus();
  }

  // The edge of a transfer or withdrawal out of from_account.
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

  void AddEdge(v1::FlowEdge edge) {
    if (edges_.size() < static_cast<size_t>(params_.max_edges)) {
      edges_.push_back(std::move(edge));
    } else {
      ++edges_omitted_;
    }
  }

  TracedAccount* Expanded(const std::string& name) {
    auto it = accounts_.find(name);
    if (it == accounts_.end() || it->second.role != Role::kExpanded) {
      return nullptr;
    }
    return &it->second;
  }

  // The model state of `asset` in an expanded account, created from the
  // stored balance just before `position` when first touched.
  absl::StatusOr<AssetTaint*> StateOf(TracedAccount& account,
                                      const std::string& name,
                                      const std::string& asset,
                                      const LedgerPosition& position) {
    auto it = account.assets.find(asset);
    if (it == account.assets.end()) {
      SENTINEL_ASSIGN_OR_RETURN(const int64_t balance,
                                view_.BalanceBefore(name, asset, position));
      it = account.assets
               .emplace(asset, AssetTaint(params_.model, balance, false))
               .first;
    }
    return &it->second;
  }

  // What `name` sends: its model's parcel when expanded, else clean value.
  absl::StatusOr<Parcel> TakeFrom(const std::string& name,
                                  const std::string& asset, int64_t amount,
                                  const LedgerPosition& position) {
    TracedAccount* account = Expanded(name);
    if (account == nullptr) return Parcel::Clean(amount);
    SENTINEL_ASSIGN_OR_RETURN(AssetTaint * state,
                              StateOf(*account, name, asset, position));
    return state->Take(amount);
  }

  // Delivers `parcel` to `name`, reaching it at `hop` if it carries taint
  // to an account not reached yet.
  absl::Status GiveTo(const std::string& name, const std::string& asset,
                      const Parcel& parcel, int32_t hop,
                      const LedgerPosition& position) {
    auto it = accounts_.find(name);
    TracedAccount* account = it == accounts_.end() ? nullptr : &it->second;
    if (account == nullptr) {
      if (parcel.tainted() == 0) return absl::OkStatus();
      SENTINEL_ASSIGN_OR_RETURN(account, Reach(name, hop, position));
    }
    if (account->role == Role::kExpanded) {
      SENTINEL_ASSIGN_OR_RETURN(AssetTaint * state,
                                StateOf(*account, name, asset, position));
      state->Add(parcel);
    } else if (parcel.tainted() > 0) {
      int64_t& absorbed = account->absorbed[asset];
      absorbed = SaturatingAdd(absorbed, parcel.tainted());
    }
    return absl::OkStatus();
  }

  absl::StatusOr<TracedAccount*> Reach(const std::string& name, int32_t hop,
                                       const LedgerPosition& position) {
    SENTINEL_ASSIGN_OR_RETURN(const v1::AccountKind kind,
                              view_.AccountKind(name));
    TracedAccount& account = accounts_[name];
    account.hop = hop;
    account.kind = kind;
    if (IsInfrastructure(kind)) {
      account.role = Role::kInfrastructure;
    } else if (hop >= params_.max_hops) {
      account.role = Role::kHopLimited;
    } else {
      account.cursor.emplace(view_, name, Successor(position), end_);
      SENTINEL_RETURN_IF_ERROR(Advance(account));
    }
    return &account;
  }

  absl::StatusOr<v1::TraceResult> Finish() {
    v1::TraceResult result;
    LedgerPosition as_of = end_;
    if (partial_) {
      as_of = Successor(*last_);
      *result.mutable_as_of() =
          ToProtoTime(absl::FromUnixNanos(last_->unix_nanos));
    } else {
      *result.mutable_as_of() = ToProtoTime(params_.until);
    }
    result.set_partial(partial_);
    result.set_model(params_.model);
    result.set_events_examined(examined_);
    result.set_accounts_reached(static_cast<int64_t>(accounts_.size()));
    for (v1::FlowEdge& edge : edges_) *result.add_edges() = std::move(edge);
    result.set_edges_omitted(edges_omitted_);

    std::vector<v1::Holding> holdings;
    for (const auto& [name, account] : accounts_) {
      v1::Holding holding;
      holding.set_account_id(name);
      holding.set_account_kind(account.kind);
      holding.set_hop(account.hop);
      for (const auto& [asset, state] : account.assets) {
        if (state.tainted() == 0) continue;
        holding.set_asset(asset);
        holding.set_tainted_amount(state.tainted());
        holding.set_balance(state.balance());
        holdings.push_back(holding);
      }
      holding.set_infrastructure(account.role == Role::kInfrastructure);
      holding.set_hop_limited(account.role == Role::kHopLimited);
      for (const auto& [asset, absorbed] : account.absorbed) {
        SENTINEL_ASSIGN_OR_RETURN(const int64_t balance,
                                  view_.BalanceBefore(name, asset, as_of));
        holding.set_asset(asset);
        holding.set_tainted_amount(absorbed);
        holding.set_balance(balance);
        holdings.push_back(holding);
      }
    }
    std::vector<v1::ExternalAddress> external;
    external.reserve(external_.size());
    for (auto& [key, address] : external_)
      external.push_back(std::move(address));
    FillReport(std::move(holdings), std::move(external), flows_, result);
    return result;
  }

  const LedgerView& view_;
  const TraceParams& params_;
  // The first position after `until`.
  const LedgerPosition end_;
  // Every reached account (node map: pointers in queue_ stay valid).
  absl::node_hash_map<std::string, TracedAccount> accounts_;
  std::priority_queue<Pending, std::vector<Pending>, Later> queue_;
  // The last event processed.
  std::optional<LedgerPosition> last_;
  int64_t examined_ = 0;
  bool partial_ = false;
  std::vector<v1::FlowEdge> edges_;
  int64_t edges_omitted_ = 0;
  absl::btree_map<std::pair<std::string, std::string>, v1::ExternalAddress>
      external_;
  absl::btree_map<std::string, AssetFlows> flows_;
};

}  // namespace

absl::StatusOr<v1::TraceResult> TraceFunds(const LedgerView& view,
                                           const TraceParams& params) {
  return TraceRun(view, params).Run();
}

}  // namespace sentinel::trace
