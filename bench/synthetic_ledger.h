// A synthetic exchange ledger for the trace benchmark: deterministic for a
// seed, delivered as a feed (batches in time order, a small fraction late),
// with the shape of a real exchange's books:
//
// - Accounts: `users` ordinary accounts (default events / 20) whose activity
//   follows a Zipf law (exponent 1: the busiest account takes part in about
//   1 / ln(users) of the user-side events, ~100k of a 1M ledger; most
//   accounts in a handful), plus 8 infrastructure accounts: two omnibus
//   (hot wallet, earn product), two fee collectors, four market makers.
// - Assets: BTC, ETH, USDT, SOL, XRP, DOGE in their smallest units, with
//   popularity weights (USDT and BTC most) and fixed prices, so trades
//   exchange comparable values.
// - Time: `span` (default 30 days) of Poisson arrivals from `start`; the
//   first 3% of events are deposits, so balances exist before anything
//   spends.
// - Mix after that: 1% market maker rebalancing through the hot-wallet
//   omnibus; the rest is done by a user drawn by activity. The busiest 0.1%
//   of users are API trading accounts (together about 40% of user activity):
//   2.5% deposits, 2.5% withdrawals to their own address, the rest trades.
//   Every other user: 15% deposits (from its own address, often), 10%
//   withdrawals (to its own address or a popular one, e.g. another
//   exchange), 58% trades (80% against a market maker, 20% against a user
//   by activity), 10% transfers to another user, 3% fees to a fee account,
//   3% to or from the earn omnibus. A transfer goes to one of the sender's
//   4 fixed contacts (70%; any user alike, as friends are) or to a popular
//   payee (30%; a Zipf law over a ranking of its own: merchants, OTC desks).
//   With hub_contacts, every user acts as the ordinary ones do (the busiest
//   too) and contacts and payees are drawn by activity, so the busiest
//   accounts are everyone's contacts and pay each other: taint reaches a
//   dense core of them within a few hops. A stress case for traces rather
//   than a model of an exchange. Outflows spend part (20%: all) of what the
//   sender holds; a user holding nothing deposits instead.
// - Event ids: a sequence per recording system ("trd-", "wal-" or "xfr-"
//   and 12 digits), as in a ledger fed by several services.
// - Late events: `late_fraction` of events reach the feed 1 s to
//   `max_lateness` after their time, behind later events.
//
// Memory: about 100 bytes per user account; events are made batch by batch.
#ifndef SENTINEL_BENCH_SYNTHETIC_LEDGER_H_
#define SENTINEL_BENCH_SYNTHETIC_LEDGER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::bench {

struct SyntheticLedgerOptions {
  int64_t events = 1000000;
  uint32_t seed = 1;
  // Ordinary accounts; 0 means events / 20 (at least 100).
  int64_t users = 0;
  absl::Time start =
      absl::FromCivil(absl::CivilDay(2026, 9, 1), absl::UTCTimeZone());
  absl::Duration span = absl::Hours(24 * 30);
  double late_fraction = 0.001;
  absl::Duration max_lateness = absl::Minutes(2);
  // The stress case described above.
  bool hub_contacts = false;
};

// Where a benchmark trace starts.
struct Victim {
  std::string account_id;
  absl::Time since;
  // Drawn by activity (the party of a random event) rather than uniformly
  // among the accounts that ever did anything.
  bool busy = false;
};

// Not thread-safe.
class SyntheticLedger final {
 public:
  explicit SyntheticLedger(const SyntheticLedgerOptions& options);
  ~SyntheticLedger();

  // The infrastructure accounts, to mark with SetAccountKinds before ingest.
  std::vector<v1::AccountKindEntry> Infrastructure() const;

  // Replaces `batch` with the next (up to) `count` events of the feed; empty
  // once all options.events have been delivered. Every event is valid and
  // has a distinct event_id.
  void NextBatch(size_t count, std::vector<v1::LedgerEvent>& batch);

  // Once the feed is delivered: `count` victims, alternately busy and
  // uniform, each with `since` at least a day after the start and `window`
  // before the end. Deterministic for the seed.
  std::vector<Victim> Victims(int count, absl::Duration window) const;

  // All accounts, infrastructure included.
  int64_t accounts() const;

 private:
  class Generator;
  std::unique_ptr<Generator> generator_;
};

}  // namespace sentinel::bench

#endif  // SENTINEL_BENCH_SYNTHETIC_LEDGER_H_
