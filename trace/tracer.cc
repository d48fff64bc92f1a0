#include "trace/tracer.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <queue>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "trace/account_cursor.h"
#include "trace/asset_taint.h"
#include "trace/event_view.h"
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

// The trace's assets are numbered as it meets them, so that per-account
// state is a short vector rather than a map of names.
using AssetId = uint32_t;

struct TracedAccount {
  int32_t hop = 0;
  Role role = Role::kExpanded;
  v1::AccountKind kind = v1::ACCOUNT_KIND_USER;
  // kExpanded: the model state of each asset touched since the account was
  // reached.
  absl::InlinedVector<std::pair<AssetId, AssetTaint>, 2> assets;
  // kExpanded: its positive balances just before it was reached (the
  // victim: at `since`). An asset's state starts from these when first
  // touched: every event of the account since then was examined, and none
  // touched that asset.
  absl::InlinedVector<std::pair<AssetId, int64_t>, 2> opening;
  // Otherwise: the tainted value absorbed, per asset.
  absl::InlinedVector<std::pair<AssetId, int64_t>, 1> absorbed;
  // kExpanded: its events from the moment it was reached.
  std::optional<AccountCursor> cursor;
};

// An expanded account waiting in the merge, at its next event: the event's
// position, viewing the account's cursor (which stays put until the entry
// is taken).
struct Pending {
  int64_t unix_nanos = 0;
  absl::string_view event_id;
  TracedAccount* account = nullptr;
};

bool Before(const LedgerPosition& position, const Pending& pending) {
  return std::tie(position.unix_nanos, position.event_id) <
         std::tie(pending.unix_nanos, pending.event_id);
}

struct Later {
  bool operator()(const Pending& a, const Pending& b) const {
    return std::tie(b.unix_nanos, b.event_id) <
           std::tie(a.unix_nanos, a.event_id);
  }
};

// A ledger position viewing its event_id.
struct At {
  int64_t unix_nanos = 0;
  absl::string_view event_id;

  LedgerPosition ToPosition() const {
    return {unix_nanos, std::string(event_id)};
  }
};

google::protobuf::Timestamp TimeOf(int64_t unix_nanos) {
  return ToProtoTime(absl::FromUnixNanos(unix_nanos));
}

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
      if (examined_ == 0 || Before(last_, next)) {
        if (examined_ == params_.max_events) {
          partial_ = true;
          break;
        }
        last_.unix_nanos = next.unix_nanos;
        last_.event_id.assign(next.event_id.data(), next.event_id.size());
        SENTINEL_RETURN_IF_ERROR(Process(next.account->cursor->event()));
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
    SENTINEL_ASSIGN_OR_RETURN(const std::vector<AssetBalance> balances,
                              view_.BalancesBefore(victim, since));
    SetOpening(balances, account);
    for (const AssetBalance& held : balances) {
      if (!params_.assets.empty() &&
          !std::binary_search(params_.assets.begin(), params_.assets.end(),
                              held.asset)) {
        continue;
      }
      const AssetId asset = Intern(held.asset);
      account.assets.emplace_back(
          asset, AssetTaint(params_.model, held.balance, true));
      flows_[asset].seeded = held.balance;
    }
    account.cursor.emplace(view_, victim, since, end_);
    return Advance(account);
  }

  // Moves `account`'s cursor on and queues it at its next event, if any.
  absl::Status Advance(TracedAccount& account) {
    SENTINEL_RETURN_IF_ERROR(account.cursor->Advance());
    if (account.cursor->valid()) {
      const EventView& event = account.cursor->event();
      queue_.push({event.unix_nanos, event.event_id, &account});
    }
    return absl::OkStatus();
  }

  absl::Status Process(const EventView& event) {
    const At at{event.unix_nanos, event.event_id};
    switch (event.kind) {
      case v1::LEDGER_EVENT_KIND_TRANSFER:
        return Transfer(event, at);
      case v1::LEDGER_EVENT_KIND_WITHDRAWAL:
        Withdrawal(event);
        return absl::OkStatus();
      case v1::LEDGER_EVENT_KIND_DEPOSIT:
        return GiveTo(event.to_account, Intern(event.asset),
                      Parcel::Clean(event.amount), 0, at);
      case v1::LEDGER_EVENT_KIND_TRADE:
        TradeSide(event, event.from_account, event.asset, event.amount,
                  event.counter_asset, event.counter_amount, event.to_account);
        TradeSide(event, event.to_account, event.counter_asset,
                  event.counter_amount, event.asset, event.amount,
                  event.from_account);
        return absl::OkStatus();
      default:
        return absl::DataLossError("ledger store: an event of unknown kind");
    }
  }

  absl::Status Transfer(const EventView& event, const At& at) {
    const AssetId asset = Intern(event.asset);
    const Parcel parcel = TakeFrom(event.from_account, asset, event.amount);
    if (parcel.tainted() == 0) {
      return GiveTo(event.to_account, asset, parcel, 0, at);
    }
    const int32_t hop = accounts_.find(event.from_account)->second.hop + 1;
    SENTINEL_RETURN_IF_ERROR(GiveTo(event.to_account, asset, parcel, hop, at));
    if (v1::FlowEdge* edge = AddEdge()) {
      FillEdge(event, hop, parcel.tainted(), *edge);
      edge->set_to_account(std::string(event.to_account));
    }
    return absl::OkStatus();
  }

  void Withdrawal(const EventView& event) {
    const Parcel parcel =
        TakeFrom(event.from_account, Intern(event.asset), event.amount);
    if (parcel.tainted() == 0) return;
    const int32_t hop = accounts_.find(event.from_account)->second.hop + 1;
    v1::ExternalAddress& address = external_[{
        std::string(event.external_address), std::string(event.asset)}];
    if (address.withdrawals() == 0) {
      address.set_address(std::string(event.external_address));
      address.set_asset(std::string(event.asset));
      address.set_hop(hop);
      *address.mutable_first_time() = TimeOf(event.unix_nanos);
    }
    address.set_tainted_amount(
        SaturatingAdd(address.tainted_amount(), parcel.tainted()));
    address.set_withdrawals(address.withdrawals() + 1);
    address.set_hop(std::min(address.hop(), hop));
    *address.mutable_last_time() = TimeOf(event.unix_nanos);
    if (v1::FlowEdge* edge = AddEdge()) {
      FillEdge(event, hop, parcel.tainted(), *edge);
      edge->set_external_address(std::string(event.external_address));
    }
  }

  // One side of a trade: `trader` sells `sold` of `sold_asset` for `bought`
  // of `bought_asset`.
  void TradeSide(const EventView& event, absl::string_view trader,
                 absl::string_view sold_asset, int64_t sold,
                 absl::string_view bought_asset, int64_t bought,
                 absl::string_view counterparty) {
    TracedAccount* account = Expanded(trader);
    if (account == nullptr) return;
    const AssetId sold_id = Intern(sold_asset);
    const AssetId bought_id = Intern(bought_asset);
    const int64_t tainted = StateOf(*account, sold_id).Take(sold).tainted();
    const int64_t converted =
        ConvertTaint(params_.model, tainted, sold, bought);
    StateOf(*account, bought_id).Add(Parcel::Split(bought, converted));
    if (tainted == 0) return;
    AssetFlows& sold_flows = flows_[sold_id];
    sold_flows.converted_out = SaturatingAdd(sold_flows.converted_out, tainted);
    AssetFlows& bought_flows = flows_[bought_id];
    bought_flows.converted_in =
        SaturatingAdd(bought_flows.converted_in, converted);
    if (v1::FlowEdge* edge = AddEdge()) {
      edge->set_event_id(std::string(event.event_id));
      edge->set_from_account(std::string(trader));
      edge->set_to_account(std::string(trader));
      edge->set_asset(std::string(sold_asset));
      edge->set_amount(sold);
      edge->set_tainted_amount(tainted);
      edge->set_hop(account->hop);
      edge->set_kind(v1::LEDGER_EVENT_KIND_TRADE);
      *edge->mutable_time() = TimeOf(event.unix_nanos);
      edge->set_counter_asset(std::string(bought_asset));
      edge->set_counter_tainted_amount(converted);
      edge->set_counterparty_account(std::string(counterparty));
    }
  }

  // Fills the fields of a transfer's or withdrawal's edge out of
  // from_account.
  static void FillEdge(const EventView& event, int32_t hop, int64_t tainted,
                       v1::FlowEdge& edge) {
    edge.set_event_id(std::string(event.event_id));
    edge.set_from_account(std::string(event.from_account));
    edge.set_asset(std::string(event.asset));
    edge.set_amount(event.amount);
    edge.set_tainted_amount(tainted);
    edge.set_hop(hop);
    edge.set_kind(event.kind);
    *edge.mutable_time() = TimeOf(event.unix_nanos);
  }

  // A new edge to fill, or nullptr (counted as omitted) past max_edges.
  v1::FlowEdge* AddEdge() {
    if (result_.edges_size() < params_.max_edges) return result_.add_edges();
    ++edges_omitted_;
    return nullptr;
  }

  AssetId Intern(absl::string_view asset) {
    auto it = asset_ids_.find(asset);
    if (it != asset_ids_.end()) return it->second;
    const auto id = static_cast<AssetId>(asset_names_.size());
    asset_names_.emplace_back(asset);
    flows_.emplace_back();
    asset_ids_.emplace(asset, id);
    return id;
  }

  void SetOpening(const std::vector<AssetBalance>& balances,
                  TracedAccount& account) {
    for (const AssetBalance& held : balances) {
      account.opening.emplace_back(Intern(held.asset), held.balance);
    }
  }

  TracedAccount* Expanded(absl::string_view name) {
    auto it = accounts_.find(name);
    if (it == accounts_.end() || it->second.role != Role::kExpanded) {
      return nullptr;
    }
    return &it->second;
  }

  // The model state of `asset` in an expanded account, created from its
  // opening balance when first touched. Valid until the next call.
  AssetTaint& StateOf(TracedAccount& account, AssetId asset) {
    for (auto& [id, state] : account.assets) {
      if (id == asset) return state;
    }
    int64_t balance = 0;
    for (const auto& [id, held] : account.opening) {
      if (id == asset) balance = held;
    }
    return account.assets
        .emplace_back(asset, AssetTaint(params_.model, balance, false))
        .second;
  }

  // What `name` sends: its model's parcel when expanded, else clean value.
  Parcel TakeFrom(absl::string_view name, AssetId asset, int64_t amount) {
    TracedAccount* account = Expanded(name);
    if (account == nullptr) return Parcel::Clean(amount);
    return StateOf(*account, asset).Take(amount);
  }

  // Delivers `parcel` to `name`, reaching it at `hop` if it carries taint
  // to an account not reached yet.
  absl::Status GiveTo(absl::string_view name, AssetId asset,
                      const Parcel& parcel, int32_t hop, const At& at) {
    auto it = accounts_.find(name);
    TracedAccount* account = it == accounts_.end() ? nullptr : &it->second;
    if (account == nullptr) {
      if (parcel.tainted() == 0) return absl::OkStatus();
      SENTINEL_ASSIGN_OR_RETURN(account,
                                Reach(name, hop, at, asset, parcel.amount()));
    }
    if (account->role == Role::kExpanded) {
      StateOf(*account, asset).Add(parcel);
    } else if (parcel.tainted() > 0) {
      auto absorbed =
          std::find_if(account->absorbed.begin(), account->absorbed.end(),
                       [&](const auto& entry) { return entry.first == asset; });
      if (absorbed == account->absorbed.end()) {
        absorbed = &account->absorbed.emplace_back(asset, 0);
      }
      absorbed->second = SaturatingAdd(absorbed->second, parcel.tainted());
    }
    return absl::OkStatus();
  }

  // Reaches `name` at `hop` by the TRANSFER at `at` bringing it `amount` of
  // `asset`.
  absl::StatusOr<TracedAccount*> Reach(absl::string_view name, int32_t hop,
                                       const At& at, AssetId asset,
                                       int64_t amount) {
    SENTINEL_ASSIGN_OR_RETURN(const v1::AccountKind kind,
                              view_.AccountKind(name));
    auto [it, inserted] = accounts_.try_emplace(std::string(name));
    TracedAccount& account = it->second;
    account.hop = hop;
    account.kind = kind;
    if (IsInfrastructure(kind)) {
      account.role = Role::kInfrastructure;
    } else if (hop >= params_.max_hops) {
      account.role = Role::kHopLimited;
    } else {
      // The cursor starts at the reaching transfer itself: the balances
      // stored with it, less what it brought, are those before it.
      account.cursor.emplace(view_, it->first, at.ToPosition(), end_);
      AccountCursor& cursor = *account.cursor;
      SENTINEL_RETURN_IF_ERROR(cursor.Advance());
      if (!cursor.valid() || cursor.event().unix_nanos != at.unix_nanos ||
          cursor.event().event_id != at.event_id) {
        return absl::DataLossError(
            "ledger store: an event is missing from an account's entries");
      }
      SENTINEL_RETURN_IF_ERROR(
          SetOpeningBefore(name, at, asset, amount, account));
      SENTINEL_RETURN_IF_ERROR(Advance(account));
    }
    return &account;
  }

  // Sets the opening balances of `account`, just reached by the transfer at
  // `at` of `amount` of `asset`, from the balances stored with that transfer
  // (its cursor's first event).
  absl::Status SetOpeningBefore(absl::string_view name, const At& at,
                                AssetId asset, int64_t amount,
                                TracedAccount& account) {
    for (const auto& [held, balance] : account.cursor->balances_after_first()) {
      account.opening.emplace_back(Intern(held), balance);
    }
    auto it =
        std::find_if(account.opening.begin(), account.opening.end(),
                     [&](const auto& entry) { return entry.first == asset; });
    if (it == account.opening.end() || it->second < amount) {
      return absl::DataLossError(
          "ledger store: stored balances disagree with an event");
    }
    if (it->second == std::numeric_limits<int64_t>::max()) {
      // Saturated: what it held before is not known from what it holds
      // after.
      account.opening.clear();
      SENTINEL_ASSIGN_OR_RETURN(const std::vector<AssetBalance> balances,
                                view_.BalancesBefore(name, at.ToPosition()));
      SetOpening(balances, account);
    } else {
      it->second -= amount;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<v1::TraceResult> Finish() {
    v1::TraceResult& result = result_;
    LedgerPosition as_of = end_;
    if (partial_) {
      as_of = Successor(last_);
      *result.mutable_as_of() = TimeOf(last_.unix_nanos);
    } else {
      *result.mutable_as_of() = ToProtoTime(params_.until);
    }
    result.set_partial(partial_);
    result.set_model(params_.model);
    result.set_events_examined(examined_);
    result.set_accounts_reached(static_cast<int64_t>(accounts_.size()));
    result.set_edges_omitted(edges_omitted_);

    std::vector<v1::Holding> holdings;
    for (const auto& [name, account] : accounts_) {
      v1::Holding holding;
      holding.set_account_id(name);
      holding.set_account_kind(account.kind);
      holding.set_hop(account.hop);
      for (const auto& [asset, state] : account.assets) {
        if (state.tainted() == 0) continue;
        holding.set_asset(asset_names_[asset]);
        holding.set_tainted_amount(state.tainted());
        holding.set_balance(state.balance());
        holdings.push_back(holding);
      }
      holding.set_infrastructure(account.role == Role::kInfrastructure);
      holding.set_hop_limited(account.role == Role::kHopLimited);
      if (account.absorbed.empty()) continue;
      SENTINEL_ASSIGN_OR_RETURN(const std::vector<AssetBalance> balances,
                                view_.BalancesBefore(name, as_of));
      for (const auto& [asset, absorbed] : account.absorbed) {
        holding.set_asset(asset_names_[asset]);
        holding.set_tainted_amount(absorbed);
        holding.set_balance(0);
        for (const AssetBalance& held : balances) {
          if (held.asset == holding.asset()) holding.set_balance(held.balance);
        }
        holdings.push_back(holding);
      }
    }
    std::vector<v1::ExternalAddress> external;
    external.reserve(external_.size());
    for (auto& [key, address] : external_)
      external.push_back(std::move(address));
    absl::btree_map<std::string, AssetFlows> flows;
    for (AssetId asset = 0; asset < flows_.size(); ++asset) {
      flows.emplace(asset_names_[asset], flows_[asset]);
    }
    FillReport(std::move(holdings), std::move(external), flows, result);
    return std::move(result);
  }

  const LedgerView& view_;
  const TraceParams& params_;
  // The first position after `until`.
  const LedgerPosition end_;
  // Every reached account (node map: pointers in queue_ stay valid).
  absl::node_hash_map<std::string, TracedAccount> accounts_;
  std::priority_queue<Pending, std::vector<Pending>, Later> queue_;
  // The last event processed, once examined_ > 0.
  LedgerPosition last_;
  int64_t examined_ = 0;
  bool partial_ = false;
  // Filled as the trace goes (edges) and at the end (the rest).
  v1::TraceResult result_;
  int64_t edges_omitted_ = 0;
  absl::btree_map<std::pair<std::string, std::string>, v1::ExternalAddress>
      external_;
  // By AssetId.
  absl::flat_hash_map<std::string, AssetId> asset_ids_;
  std::vector<std::string> asset_names_;
  std::vector<AssetFlows> flows_;
};

}  // namespace

absl::StatusOr<v1::TraceResult> TraceFunds(const LedgerView& view,
                                           const TraceParams& params) {
  return TraceRun(view, params).Run();
}

}  // namespace sentinel::trace
