// How tainted and clean value of one asset mix inside one account, under
// the three taint models (see TaintModel in trace.proto).
//
// An AssetTaint tracks the account's balance of the asset (the same
// zero-floored balance as ledger_balance.h) and the tainted part of it:
//   POISON   a flag: while set, the whole balance is tainted and so is every
//            outflow; it clears when the balance reaches zero.
//   HAIRCUT  a tainted amount T: an outflow of x from balance b carries
//            floor(x * T / b) (all of T when x >= b); the rounding remainder
//            stays in the account.
//   FIFO     a queue of lots in arrival order; an outflow takes the oldest
//            value first. The balance held before taint arrived is one clean
//            lot at the front.
// Invariant in every model: 0 <= tainted() <= balance(). In HAIRCUT and
// FIFO an outflow removes exactly the tainted value it carries.
//
// Value moves between accounts as a Parcel: runs of clean and tainted value
// in the order they left (FIFO keeps that order at the receiver; the other
// models only count).
#ifndef SENTINEL_TRACE_ASSET_TAINT_H_
#define SENTINEL_TRACE_ASSET_TAINT_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::trace {

// A run of value that is all clean or all tainted.
struct ValueRun {
  int64_t amount = 0;
  bool tainted = false;
};

// Value in motion, oldest first. Runs are never empty and adjacent runs
// differ in taint.
class Parcel {
 public:
  // `amount` (> 0) of clean value.
  static Parcel Clean(int64_t amount);
  // `tainted` then `amount - tainted` clean (0 <= tainted <= amount).
  static Parcel Split(int64_t amount, int64_t tainted);

  // Appends `amount` (>= 0; 0 is ignored) of value.
  void Append(int64_t amount, bool tainted);

  const absl::InlinedVector<ValueRun, 2>& runs() const { return runs_; }
  int64_t amount() const { return amount_; }
  int64_t tainted() const { return tainted_; }

 private:
  absl::InlinedVector<ValueRun, 2> runs_;
  int64_t amount_ = 0;
  int64_t tainted_ = 0;
};

// The tainted value of the bought asset that a trade creates from `tainted`
// of `sold` sold for `bought`: floor(tainted * bought / sold), or, under
// POISON, all of `bought` when anything sold was tainted.
int64_t ConvertTaint(v1::TaintModel model, int64_t tainted, int64_t sold,
                     int64_t bought);

// One account's holding of one asset under one model. Not thread-safe.
class AssetTaint {
 public:
  // A holding of `balance` (>= 0), all tainted or all clean.
  AssetTaint(v1::TaintModel model, int64_t balance, bool tainted);

  // Takes `amount` (> 0) out. Value beyond the balance is clean value the
  // ledger never saw (ledger_balance.h); it comes last in the parcel.
  Parcel Take(int64_t amount);
  // Adds `parcel` in.
  void Add(const Parcel& parcel);

  int64_t balance() const { return balance_; }
  // POISON: the whole balance while flagged, else 0.
  int64_t tainted() const;

 private:
  v1::TaintModel model_;
  int64_t balance_;
  // HAIRCUT and FIFO: the tainted amount. POISON: > 0 while flagged.
  int64_t tainted_;
  // FIFO only: the lots, oldest first from lots_[head_], summing to
  // balance_ (a vector with a moving front: no allocation for the other
  // models, few for FIFO).
  std::vector<ValueRun> lots_;
  size_t head_ = 0;
};

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_ASSET_TAINT_H_
