#include "tests/trace/random_ledger.h"

#include <algorithm>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time_util.h"
#include "tests/trace/ledger_builders.h"

namespace sentinel::trace::testing {
namespace {

constexpr const char* kAssets[] = {"BTC", "ETH", "USDT", "SOL", "XRP", "DOGE"};
constexpr v1::AccountKind kInfrastructureKinds[] = {
    v1::ACCOUNT_KIND_OMNIBUS, v1::ACCOUNT_KIND_FEE,
    v1::ACCOUNT_KIND_MARKET_MAKER};

class Generator {
 public:
  Generator(uint32_t seed, const RandomLedgerOptions& options)
      : rng_(seed), options_(options) {}

  RandomLedger Generate() {
    RandomLedger ledger;
    for (int i = 0; i < options_.infrastructure_accounts; ++i) {
      ledger.kinds[Account(i)] = kInfrastructureKinds[i % 3];
    }
    ledger.victim = Account(options_.infrastructure_accounts);
    std::vector<int64_t> seconds(options_.events);
    for (int64_t& second : seconds)
      second = Uniform(0, options_.span_seconds - 1);
    std::sort(seconds.begin(), seconds.end());
    seconds[0] = 0;
    for (int a = 0; a < options_.assets; ++a) {
      ledger.events.push_back(Deposit(NextId(), 0, ledger.victim, kAssets[a],
                                      Uniform(1000, 100000)));
    }
    for (int i = options_.assets; i < options_.events; ++i) {
      ledger.events.push_back(NextEvent(seconds[i]));
    }
    std::sort(ledger.events.begin(), ledger.events.end(),
              [](const v1::LedgerEvent& a, const v1::LedgerEvent& b) {
                return std::make_pair(a.time().seconds(), a.event_id()) <
                       std::make_pair(b.time().seconds(), b.event_id());
              });
    return ledger;
  }

 private:
  int64_t Uniform(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng_);
  }

  static std::string Account(int index) { return absl::StrCat("acct-", index); }

  // Busy accounts are drawn far more often: index ~ accounts * u^2.
  std::string SomeAccount() {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    return Account(std::min(options_.accounts - 1,
                            static_cast<int>(options_.accounts * u * u)));
  }

  std::string OtherAccount(const std::string& account) {
    std::string other = SomeAccount();
    while (other == account) other = SomeAccount();
    return other;
  }

  std::string SomeAsset() { return kAssets[Uniform(0, options_.assets - 1)]; }

  // Unique ids whose bytewise order is unrelated to generation order.
  std::string NextId() {
    return absl::StrFormat("ev%08x-%d", static_cast<uint32_t>(rng_()),
                           next_id_++);
  }

  // A sender holding `asset` if one turns up in a few draws.
  std::string Sender(const std::string& asset) {
    std::string account = SomeAccount();
    for (int tries = 0; tries < 8 && balances_[{account, asset}] == 0;
         ++tries) {
      account = SomeAccount();
    }
    return account;
  }

  // Mostly part of the balance; sometimes (and always from an empty
  // balance) more than it.
  int64_t Outflow(const std::string& account, const std::string& asset) {
    const int64_t balance = balances_[{account, asset}];
    if (balance == 0 || Uniform(0, 19) == 0) {
      return balance + Uniform(1, 500);
    }
    return Uniform(1, balance);
  }

  void Move(const std::string& account, const std::string& asset,
            int64_t delta) {
    int64_t& balance = balances_[{account, asset}];
    balance = std::max<int64_t>(0, balance + delta);
  }

  v1::LedgerEvent NextEvent(int64_t second) {
    const int64_t pick = Uniform(0, 99);
    const std::string asset = SomeAsset();
    if (pick < 12) {
      const std::string to = SomeAccount();
      const int64_t amount = Uniform(1, 20000);
      Move(to, asset, amount);
      v1::LedgerEvent event = Deposit(NextId(), second, to, asset, amount);
      if (Uniform(0, 1) == 0) {
        event.set_external_address(absl::StrCat("src-", Uniform(0, 19)));
      }
      return event;
    }
    const std::string from = Sender(asset);
    const int64_t amount = Outflow(from, asset);
    Move(from, asset, -amount);
    if (pick < 24) {
      return Withdrawal(NextId(), second, from,
                        absl::StrCat("addr-", Uniform(0, 39)), asset, amount);
    }
    const std::string to = OtherAccount(from);
    Move(to, asset, amount);
    if (pick < 44) {
      std::string counter_asset = SomeAsset();
      while (counter_asset == asset) counter_asset = SomeAsset();
      const int64_t counter_amount = Uniform(1, 30000);
      Move(from, counter_asset, counter_amount);
      Move(to, counter_asset, -counter_amount);
      return Trade(NextId(), second, from, to, asset, amount, counter_asset,
                   counter_amount);
    }
    return Transfer(NextId(), second, from, to, asset, amount);
  }

  std::mt19937 rng_;
  const RandomLedgerOptions options_;
  std::map<std::pair<std::string, std::string>, int64_t> balances_;
  int next_id_ = 0;
};

}  // namespace

RandomLedger GenerateLedger(uint32_t seed, const RandomLedgerOptions& options) {
  return Generator(seed, options).Generate();
}

}  // namespace sentinel::trace::testing
