#include "trace/asset_taint.h"

#include <algorithm>

#include "trace/ledger_balance.h"

namespace sentinel::trace {
namespace {

// floor(a * b / c) for 0 <= a <= c, b >= 0, c > 0: fits in int64 because
// the result is at most b.
int64_t MulDiv(int64_t a, int64_t b, int64_t c) {
  return static_cast<int64_t>(static_cast<__int128>(a) * b / c);
}

// Lots taken from the front that are kept before being erased at once.
constexpr size_t kMaxSpentLots = 64;

}  // namespace

Parcel Parcel::Clean(int64_t amount) {
  Parcel parcel;
  parcel.Append(amount, false);
  return parcel;
}

Parcel Parcel::Split(int64_t amount, int64_t tainted) {
  Parcel parcel;
  parcel.Append(tainted, true);
  parcel.Append(amount - tainted, false);
  return parcel;
}

void Parcel::Append(int64_t amount, bool tainted) {
  if (amount == 0) return;
  if (!runs_.empty() && runs_.back().tainted == tainted) {
    runs_.back().amount += amount;
  } else {
    runs_.push_back({amount, tainted});
  }
  amount_ += amount;
  if (tainted) tainted_ += amount;
}

int64_t ConvertTaint(v1::TaintModel model, int64_t tainted, int64_t sold,
                     int64_t bought) {
  if (model == v1::TAINT_MODEL_POISON) return tainted > 0 ? bought : 0;
  return MulDiv(tainted, bought, sold);
}

AssetTaint::AssetTaint(v1::TaintModel model, int64_t balance, bool tainted)
    : model_(model), balance_(balance), tainted_(tainted ? balance : 0) {
  if (model_ == v1::TAINT_MODEL_FIFO && balance > 0) {
    lots_.push_back({balance, tainted});
  }
}

int64_t AssetTaint::tainted() const {
  if (model_ == v1::TAINT_MODEL_POISON) return tainted_ > 0 ? balance_ : 0;
  return tainted_;
}

Parcel AssetTaint::Take(int64_t amount) {
  const int64_t covered = std::min(amount, balance_);
  Parcel parcel;
  switch (model_) {
    case v1::TAINT_MODEL_POISON:
      parcel.Append(amount, tainted_ > 0);
      break;
    case v1::TAINT_MODEL_HAIRCUT: {
      const int64_t out =
          covered == balance_ ? tainted_ : MulDiv(covered, tainted_, balance_);
      parcel = Parcel::Split(amount, out);
      tainted_ -= out;
      break;
    }
    default: {
      int64_t left = covered;
      while (left > 0) {
        ValueRun& lot = lots_[head_];
        const int64_t part = std::min(left, lot.amount);
        parcel.Append(part, lot.tainted);
        if (lot.tainted) tainted_ -= part;
        lot.amount -= part;
        left -= part;
        if (lot.amount == 0) ++head_;
      }
      if (head_ == lots_.size()) {
        lots_.clear();
        head_ = 0;
      } else if (head_ > kMaxSpentLots && 2 * head_ > lots_.size()) {
        lots_.erase(lots_.begin(), lots_.begin() + head_);
        head_ = 0;
      }
      parcel.Append(amount - covered, false);
      break;
    }
  }
  balance_ -= covered;
  if (model_ == v1::TAINT_MODEL_POISON && balance_ == 0) tainted_ = 0;
  return parcel;
}

void AssetTaint::Add(const Parcel& parcel) {
  balance_ = SaturatingAdd(balance_, parcel.amount());
  if (model_ == v1::TAINT_MODEL_POISON) {
    if (parcel.tainted() > 0) tainted_ = 1;
    return;
  }
  // Only a saturated balance could fall below the sum; keep tainted <= it.
  tainted_ = std::min(SaturatingAdd(tainted_, parcel.tainted()), balance_);
  if (model_ == v1::TAINT_MODEL_FIFO) {
    for (const ValueRun& run : parcel.runs()) {
      if (lots_.size() > head_ && lots_.back().tainted == run.tainted) {
        lots_.back().amount = SaturatingAdd(lots_.back().amount, run.amount);
      } else {
        lots_.push_back(run);
      }
    }
  }
}

}  // namespace sentinel::trace
