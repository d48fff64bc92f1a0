#include "bench/synthetic_ledger.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time_util.h"

namespace sentinel::bench {
namespace {

struct AssetSpec {
  const char* code;
  int decimals;
  double usd_price;
  double popularity;
};
constexpr std::array<AssetSpec, 6> kAssets = {{{"BTC", 8, 60000, 25},
                                               {"ETH", 9, 3000, 20},
                                               {"USDT", 6, 1, 35},
                                               {"SOL", 9, 150, 10},
                                               {"XRP", 6, 0.5, 5},
                                               {"DOGE", 8, 0.15, 5}}};
constexpr int kUsdt = 2;
using Balances = std::array<int64_t, kAssets.size()>;

struct InfrastructureSpec {
  const char* id;
  v1::AccountKind kind;
};
// Account indexes 0..7; users follow.
constexpr InfrastructureSpec kInfrastructure[] = {
    {"omnibus-hot", v1::ACCOUNT_KIND_OMNIBUS},
    {"omnibus-earn", v1::ACCOUNT_KIND_OMNIBUS},
    {"fee-trading", v1::ACCOUNT_KIND_FEE},
    {"fee-withdrawal", v1::ACCOUNT_KIND_FEE},
    {"mm-1", v1::ACCOUNT_KIND_MARKET_MAKER},
    {"mm-2", v1::ACCOUNT_KIND_MARKET_MAKER},
    {"mm-3", v1::ACCOUNT_KIND_MARKET_MAKER},
    {"mm-4", v1::ACCOUNT_KIND_MARKET_MAKER}};
constexpr int kHotWallet = 0;
constexpr int kEarn = 1;
constexpr int kTradingFees = 2;
constexpr int kWithdrawalFees = 3;
constexpr int kFirstMarketMaker = 4;
constexpr int kFirstUser = 8;
constexpr double kMarketMakerShares[] = {40, 30, 20, 10};

// Fixed contacts per user, and popular external addresses.
constexpr int kContacts = 4;
constexpr int kPopularAddresses = 1000;
// Samples of (account, time) kept for drawing busy victims.
constexpr size_t kReservoirSize = 65536;
// The share of events that only fund accounts at the start.
constexpr double kFundingShare = 0.03;

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Cumulative weights 1 / (rank + 1) over `size` ranks, for Zipf draws.
std::vector<double> ZipfTable(int64_t size) {
  std::vector<double> table(size);
  double sum = 0;
  for (int64_t rank = 0; rank < size; ++rank) {
    sum += 1.0 / static_cast<double>(rank + 1);
    table[rank] = sum;
  }
  return table;
}

// The rank whose cumulative weight first exceeds `u` (in [0, 1)) of the
// total.
int64_t ZipfRank(const std::vector<double>& table, double u) {
  const auto it =
      std::upper_bound(table.begin(), table.end(), u * table.back());
  return std::min<int64_t>(it - table.begin(), table.size() - 1);
}

}  // namespace

class SyntheticLedger::Generator {
 public:
  explicit Generator(const SyntheticLedgerOptions& options)
      : options_(options),
        users_(options.users > 0 ? options.users
                                 : std::max<int64_t>(100, options.events / 20)),
        rng_(options.seed),
        user_table_(ZipfTable(users_)),
        address_table_(ZipfTable(kPopularAddresses)),
        balances_(kFirstUser + users_),
        activity_(kFirstUser + users_) {
    for (const InfrastructureSpec& spec : kInfrastructure) {
      ids_.push_back(spec.id);
    }
    for (int64_t user = 0; user < users_; ++user) {
      ids_.push_back(absl::StrCat("u", 10000000 + user));
    }
    // Busy accounts scattered over the ids, as in a real user base.
    by_rank_.resize(users_);
    for (int64_t i = 0; i < users_; ++i) by_rank_[i] = kFirstUser + i;
    std::shuffle(by_rank_.begin(), by_rank_.end(), rng_);
    is_bot_.resize(kFirstUser + users_);
    const int64_t bots =
        options.hub_contacts ? 0 : std::max<int64_t>(1, users_ / 1000);
    for (int64_t rank = 0; rank < bots; ++rank) is_bot_[by_rank_[rank]] = true;
    // Popular payees are popular for reasons of their own.
    payee_by_rank_ = by_rank_;
    std::shuffle(payee_by_rank_.begin(), payee_by_rank_.end(), rng_);
    // Market makers and the earn product start with deep balances.
    for (int account = kEarn; account < kFirstUser; ++account) {
      if (account == kTradingFees || account == kWithdrawalFees) continue;
      for (int asset = 0; asset < static_cast<int>(kAssets.size()); ++asset) {
        seeds_.push_back({account, asset});
      }
    }
    for (const AssetSpec& spec : kAssets) popularity_total_ += spec.popularity;
  }

  std::vector<v1::AccountKindEntry> Infrastructure() const {
    std::vector<v1::AccountKindEntry> entries;
    for (const InfrastructureSpec& spec : kInfrastructure) {
      v1::AccountKindEntry& entry = entries.emplace_back();
      entry.set_account_id(spec.id);
      entry.set_kind(spec.kind);
      entry.set_note("synthetic ledger");
    }
    return entries;
  }

  void NextBatch(size_t count, std::vector<v1::LedgerEvent>& batch) {
    batch.clear();
    while (batch.size() < count) {
      const bool more = generated_ < options_.events;
      if (!held_.empty() && (!more || held_.front().release <= next_micros_)) {
        std::pop_heap(held_.begin(), held_.end(), LaterRelease);
        batch.push_back(std::move(held_.back().event));
        held_.pop_back();
        continue;
      }
      if (!more) break;
      const int64_t micros = next_micros_;
      v1::LedgerEvent event = Make(micros);
      if (Chance(options_.late_fraction)) {
        const int64_t delay = Uniform(
            1000000, std::max<int64_t>(1000000, absl::ToInt64Microseconds(
                                                    options_.max_lateness)));
        held_.push_back({micros + delay, std::move(event)});
        std::push_heap(held_.begin(), held_.end(), LaterRelease);
      } else {
        batch.push_back(std::move(event));
      }
    }
  }

  std::vector<Victim> Victims(int count, absl::Duration window) const {
    std::mt19937_64 rng(SplitMix(options_.seed ^ 0x5eedULL));
    const int64_t low = absl::ToInt64Microseconds(absl::Hours(24));
    const int64_t high =
        std::max(low, absl::ToInt64Microseconds(options_.span - window));
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (const auto& [account, micros] : reservoir_) {
      if (micros >= low && micros <= high) busy.emplace_back(account, micros);
    }
    std::vector<int64_t> active;
    for (int64_t account = kFirstUser; account < kFirstUser + users_;
         ++account) {
      if (activity_[account] > 0) active.push_back(account);
    }
    const auto pick = [&](size_t size) {
      return std::uniform_int_distribution<size_t>(0, size - 1)(rng);
    };
    std::vector<Victim> victims;
    for (int i = 0; i < count; ++i) {
      Victim victim;
      victim.busy = i % 2 == 0 && !busy.empty();
      int64_t account = 0;
      int64_t micros = 0;
      if (victim.busy) {
        std::tie(account, micros) = busy[pick(busy.size())];
      } else if (!active.empty()) {
        account = active[pick(active.size())];
        micros = std::uniform_int_distribution<int64_t>(low, high)(rng);
      }
      victim.account_id = ids_[account];
      victim.since = options_.start + absl::Microseconds(micros);
      victims.push_back(std::move(victim));
    }
    return victims;
  }

  int64_t accounts() const { return static_cast<int64_t>(ids_.size()); }

 private:
  struct Held {
    int64_t release = 0;
    v1::LedgerEvent event;
  };
  static bool LaterRelease(const Held& a, const Held& b) {
    return a.release > b.release;
  }

  int64_t Uniform(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng_);
  }
  double Real(double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(rng_);
  }
  bool Chance(double p) { return Real(0, 1) < p; }

  int64_t SomeUser() { return by_rank_[ZipfRank(user_table_, Real(0, 1))]; }
  // `other` if it is not `user`, else the next user.
  int64_t NotSelf(int64_t user, int64_t other) const {
    return other != user ? other
                         : kFirstUser + (other - kFirstUser + 1) % users_;
  }
  int64_t OtherUser(int64_t user) { return NotSelf(user, SomeUser()); }
  // Who a user pays: one of its fixed contacts (a function of the seed and
  // the user; any user alike, as friends are), or a popular payee (a Zipf
  // law over a ranking of its own: merchants, OTC desks). With
  // hub_contacts, both are drawn by activity instead.
  int64_t Payee(int64_t user) {
    const std::vector<int64_t>& ranking =
        options_.hub_contacts ? by_rank_ : payee_by_rank_;
    if (Chance(0.3)) {
      return NotSelf(user, ranking[ZipfRank(user_table_, Real(0, 1))]);
    }
    const uint64_t hash = SplitMix(
        (static_cast<uint64_t>(options_.seed) << 40) ^
        (static_cast<uint64_t>(user) << 3) ^ Uniform(0, kContacts - 1));
    const double u = static_cast<double>(hash >> 11) * 0x1.0p-53;
    return NotSelf(
        user, options_.hub_contacts
                  ? by_rank_[ZipfRank(user_table_, u)]
                  : kFirstUser +
                        static_cast<int64_t>(u * static_cast<double>(users_)));
  }
  int64_t SomeMarketMaker() {
    double u = Real(0, 100);
    for (int i = 0; i < 3; ++i) {
      if (u < kMarketMakerShares[i]) return kFirstMarketMaker + i;
      u -= kMarketMakerShares[i];
    }
    return kFirstMarketMaker + 3;
  }

  int SomeAsset() {
    double u = Real(0, popularity_total_);
    for (int asset = 0; asset + 1 < static_cast<int>(kAssets.size()); ++asset) {
      if (u < kAssets[asset].popularity) return asset;
      u -= kAssets[asset].popularity;
    }
    return static_cast<int>(kAssets.size()) - 1;
  }
  // An asset `account` holds, popular ones more likely; -1 when none.
  int HeldAsset(int64_t account) {
    const int first = SomeAsset();
    for (size_t i = 0; i < kAssets.size(); ++i) {
      const int asset = static_cast<int>((first + i) % kAssets.size());
      if (balances_[account][asset] > 0) return asset;
    }
    return -1;
  }

  // `usd` worth of `asset`, at least one unit.
  static int64_t Units(int asset, double usd) {
    const AssetSpec& spec = kAssets[asset];
    return std::max<int64_t>(
        1, std::llround(usd * std::pow(10.0, spec.decimals) / spec.usd_price));
  }
  static double Usd(int asset, int64_t units) {
    const AssetSpec& spec = kAssets[asset];
    return static_cast<double>(units) * spec.usd_price /
           std::pow(10.0, spec.decimals);
  }
  // log-uniform between `low` and `high` dollars.
  double SomeUsd(double low, double high) {
    return std::exp(Real(std::log(low), std::log(high)));
  }
  // Part (sometimes all) of a positive balance.
  int64_t Spend(int64_t balance) {
    if (Chance(0.2)) return balance;
    return std::clamp<int64_t>(
        std::llround(static_cast<double>(balance) * Real(0.05, 0.9)), 1,
        balance);
  }

  void Move(int64_t account, int asset, int64_t delta) {
    int64_t& balance = balances_[account][asset];
    balance = std::max<int64_t>(0, balance + delta);
  }

  std::string PersonalAddress(int64_t account) const {
    return absl::StrFormat("addr-%012x",
                           SplitMix(account ^ (uint64_t{options_.seed} << 32)) &
                               0xffffffffffffULL);
  }
  std::string PopularAddress() {
    return absl::StrFormat("xchg-%04d", ZipfRank(address_table_, Real(0, 1)));
  }

  // Counts `account` as taking part in an event at `micros`.
  void Touch(int64_t account, int64_t micros) {
    ++activity_[account];
    if (account < kFirstUser) return;
    ++touches_;
    if (reservoir_.size() < kReservoirSize) {
      reservoir_.emplace_back(account, micros);
    } else if (const uint64_t slot = rng_() % touches_; slot < kReservoirSize) {
      reservoir_[slot] = {account, micros};
    }
  }

  // The next event, with an id from the sequence of the system that would
  // record it: the matching engine ("trd-"), the wallets ("wal-") or
  // internal transfers ("xfr-"), as a ledger fed by several services is.
  v1::LedgerEvent Make(int64_t micros) {
    v1::LedgerEvent event = MakeBody(micros);
    const char* source = "xfr";
    int64_t* next = &next_transfer_id_;
    if (event.kind() == v1::LEDGER_EVENT_KIND_TRADE) {
      source = "trd";
      next = &next_trade_id_;
    } else if (event.kind() != v1::LEDGER_EVENT_KIND_TRANSFER) {
      source = "wal";
      next = &next_wallet_id_;
    }
    event.set_event_id(absl::StrFormat("%s-%012d", source, (*next)++));
    return event;
  }

  v1::LedgerEvent MakeBody(int64_t micros) {
    const int64_t seq = generated_++;
    const double mean_gap =
        static_cast<double>(absl::ToInt64Microseconds(options_.span)) /
        static_cast<double>(options_.events);
    next_micros_ +=
        1 + static_cast<int64_t>(
                std::exponential_distribution<double>(1.0 / mean_gap)(rng_));
    v1::LedgerEvent event;
    *event.mutable_time() =
        ToProtoTime(options_.start + absl::Microseconds(micros));
    if (static_cast<size_t>(seq) < seeds_.size()) {
      const auto [account, asset] = seeds_[seq];
      const double usd = account == kEarn ? 1e7 : 1e8;
      Deposit(event, account, asset, Units(asset, usd), micros);
      return event;
    }
    const double pick = Real(0, 100);
    if (pick >= 99) {
      Rebalance(event, micros);
      return event;
    }
    const int64_t user = SomeUser();
    if (seq < static_cast<int64_t>(kFundingShare *
                                   static_cast<double>(options_.events)) ||
        pick < (is_bot_[user] ? 2.5 : 15)) {
      const int asset = SomeAsset();
      Deposit(event, user, asset, Units(asset, SomeUsd(20, 50000)), micros);
      if (Chance(0.7)) event.set_external_address(PersonalAddress(user));
      return event;
    }
    const int asset = HeldAsset(user);
    if (is_bot_[user] && asset >= 0) {
      // An API trading account: trades, and now and then withdraws.
      if (pick < 5) {
        Pay(event, v1::LEDGER_EVENT_KIND_WITHDRAWAL, user, -1, asset,
            Spend(balances_[user][asset]), micros);
        event.set_external_address(PersonalAddress(user));
      } else {
        Trade(event, user, asset, Spend(balances_[user][asset]), micros);
      }
      return event;
    }
    if (pick >= 96 && pick < 97.5) {
      const int paid = SomeAsset();
      Pay(event, v1::LEDGER_EVENT_KIND_TRANSFER, kEarn, user, paid,
          Units(paid, SomeUsd(0.01, 50)), micros);
      return event;
    }
    if (asset < 0) {  // nothing to spend: the user deposits instead
      const int deposited = SomeAsset();
      Deposit(event, user, deposited, Units(deposited, SomeUsd(20, 50000)),
              micros);
      return event;
    }
    const int64_t held = balances_[user][asset];
    if (pick < 25) {
      Pay(event, v1::LEDGER_EVENT_KIND_WITHDRAWAL, user, -1, asset, Spend(held),
          micros);
      event.set_external_address(Chance(0.6) ? PersonalAddress(user)
                                             : PopularAddress());
    } else if (pick < 83) {
      Trade(event, user, asset, Spend(held), micros);
    } else if (pick < 93) {
      Pay(event, v1::LEDGER_EVENT_KIND_TRANSFER, user, Payee(user), asset,
          Spend(held), micros);
    } else if (pick < 96) {
      Pay(event, v1::LEDGER_EVENT_KIND_TRANSFER, user,
          Chance(0.7) ? kTradingFees : kWithdrawalFees, asset,
          std::min(held, Units(asset, SomeUsd(0.1, 5))), micros);
    } else {
      Pay(event, v1::LEDGER_EVENT_KIND_TRANSFER, user, kEarn, asset,
          Spend(held), micros);
    }
    return event;
  }

  void Deposit(v1::LedgerEvent& event, int64_t to, int asset, int64_t amount,
               int64_t micros) {
    event.set_kind(v1::LEDGER_EVENT_KIND_DEPOSIT);
    event.set_to_account(ids_[to]);
    event.set_asset(kAssets[asset].code);
    event.set_amount(amount);
    Move(to, asset, amount);
    Touch(to, micros);
  }

  // A transfer (to >= 0) or withdrawal (to < 0) of `amount` from `from`.
  void Pay(v1::LedgerEvent& event, v1::LedgerEventKind kind, int64_t from,
           int64_t to, int asset, int64_t amount, int64_t micros) {
    event.set_kind(kind);
    event.set_from_account(ids_[from]);
    event.set_asset(kAssets[asset].code);
    event.set_amount(amount);
    Move(from, asset, -amount);
    Touch(from, micros);
    if (to >= 0) {
      event.set_to_account(ids_[to]);
      Move(to, asset, amount);
      Touch(to, micros);
    }
  }

  // `user` sells `amount` of `asset`, mostly for USDT, mostly to a market
  // maker; a user counterparty must hold what it pays.
  void Trade(v1::LedgerEvent& event, int64_t user, int asset, int64_t amount,
             int64_t micros) {
    int bought = asset != kUsdt && Chance(0.6) ? kUsdt : SomeAsset();
    if (bought == asset) bought = (asset + 1) % kAssets.size();
    const int64_t counter_amount = Units(bought, Usd(asset, amount));
    int64_t counterparty = SomeMarketMaker();
    if (Chance(0.2)) {
      for (int tries = 0; tries < 4; ++tries) {
        const int64_t other = OtherUser(user);
        if (balances_[other][bought] >= counter_amount) {
          counterparty = other;
          break;
        }
      }
    }
    event.set_kind(v1::LEDGER_EVENT_KIND_TRADE);
    event.set_from_account(ids_[user]);
    event.set_to_account(ids_[counterparty]);
    event.set_asset(kAssets[asset].code);
    event.set_amount(amount);
    event.set_counter_asset(kAssets[bought].code);
    event.set_counter_amount(counter_amount);
    Move(user, asset, -amount);
    Move(user, bought, counter_amount);
    Move(counterparty, asset, amount);
    Move(counterparty, bought, -counter_amount);
    Touch(user, micros);
    Touch(counterparty, micros);
  }

  // A market maker moving inventory to or from the hot wallet.
  void Rebalance(v1::LedgerEvent& event, int64_t micros) {
    const int64_t maker = SomeMarketMaker();
    const int asset = SomeAsset();
    const bool out = Chance(0.5);
    Pay(event, v1::LEDGER_EVENT_KIND_TRANSFER, out ? maker : kHotWallet,
        out ? kHotWallet : maker, asset, Units(asset, SomeUsd(1e4, 1e6)),
        micros);
  }

  const SyntheticLedgerOptions options_;
  const int64_t users_;
  std::mt19937_64 rng_;
  const std::vector<double> user_table_;
  const std::vector<double> address_table_;
  double popularity_total_ = 0;
  std::vector<std::string> ids_;
  // Account index of each user, busiest first.
  std::vector<int64_t> by_rank_;
  // The busiest 0.1% of users.
  std::vector<bool> is_bot_;
  // Account index of each user, most popular payee first.
  std::vector<int64_t> payee_by_rank_;
  std::vector<Balances> balances_;
  std::vector<uint32_t> activity_;
  // (account, asset) of the opening deposits of the deep accounts.
  std::vector<std::pair<int64_t, int>> seeds_;
  int64_t generated_ = 0;
  int64_t next_trade_id_ = 0;
  int64_t next_wallet_id_ = 0;
  int64_t next_transfer_id_ = 0;
  // Microseconds after the start of the next event to make.
  int64_t next_micros_ = 0;
  // Late events, a min-heap by release time.
  std::vector<Held> held_;
  std::vector<std::pair<int64_t, int64_t>> reservoir_;
  uint64_t touches_ = 0;
};

SyntheticLedger::SyntheticLedger(const SyntheticLedgerOptions& options)
    : generator_(std::make_unique<Generator>(options)) {}

SyntheticLedger::~SyntheticLedger() = default;

std::vector<v1::AccountKindEntry> SyntheticLedger::Infrastructure() const {
  return generator_->Infrastructure();
}

void SyntheticLedger::NextBatch(size_t count,
                                std::vector<v1::LedgerEvent>& batch) {
  generator_->NextBatch(count, batch);
}

std::vector<Victim> SyntheticLedger::Victims(int count,
                                             absl::Duration window) const {
  return generator_->Victims(count, window);
}

int64_t SyntheticLedger::accounts() const { return generator_->accounts(); }

}  // namespace sentinel::bench
