// TraceFunds against the slow reference replay (reference_replay.h): the
// same result, field for field, for each model, on random ledgers of
// different shapes, several victims, windows and hop limits.
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/trace/ledger_fixture.h"
#include "tests/trace/random_ledger.h"
#include "tests/trace/reference_replay.h"
#include "trace/tracer.h"

namespace sentinel::trace::testing {
namespace {

struct Shape {
  const char* name;
  RandomLedgerOptions options;
};

void PrintTo(const Shape& shape, std::ostream* out) { *out << shape.name; }

class TracerReferenceTest
    : public LedgerTest,
      public ::testing::WithParamInterface<std::tuple<Shape, uint32_t>> {};

TEST_P(TracerReferenceTest, MatchesTheReplayOfTheWholeLedger) {
  const auto& [shape, seed] = GetParam();
  const RandomLedger ledger = GenerateLedger(seed, shape.options);
  for (const auto& [account, kind] : ledger.kinds) SetKind(account, kind);
  Ingest(ledger.events, 700);

  // Hop limits that cut (2) and that do not (32) over the whole window, and
  // a short window in the middle.
  struct Bounds {
    int64_t since;
    int64_t until;
    int32_t max_hops;
  };
  constexpr Bounds kBounds[] = {
      {300, 1999, 2}, {300, 1999, 32}, {900, 1200, 3}};
  int compared_with_taint = 0;
  for (const std::string& victim : {ledger.victim, std::string("acct-7")}) {
    for (v1::TaintModel model :
         {v1::TAINT_MODEL_POISON, v1::TAINT_MODEL_HAIRCUT,
          v1::TAINT_MODEL_FIFO}) {
      for (const Bounds& bounds : kBounds) {
        TraceParams params =
            Params(victim, bounds.since, bounds.until, model, bounds.max_hops);
        params.max_edges = 400;  // some runs overflow it
        ASSERT_OK_AND_ASSIGN(v1::TraceResult result, Trace(params));
        EXPECT_FALSE(result.partial());
        result.clear_events_examined();
        const v1::TraceResult expected =
            ReferenceTrace(ledger.events, ledger.kinds, params);
        std::string differences;
        google::protobuf::util::MessageDifferencer differencer;
        differencer.ReportDifferencesToString(&differences);
        EXPECT_TRUE(differencer.Compare(expected, result))
            << victim << " " << model << " hops " << bounds.max_hops << " ["
            << bounds.since << ", " << bounds.until << "]:\n"
            << differences;
        if (expected.edges_size() > 0) ++compared_with_taint;
      }
    }
  }
  EXPECT_GE(compared_with_taint, 9);  // of 18
}

RandomLedgerOptions Dense() {
  RandomLedgerOptions options;
  options.accounts = 40;
  options.assets = 3;
  options.events = 2000;
  options.infrastructure_accounts = 2;
  return options;
}

RandomLedgerOptions Wide() {
  RandomLedgerOptions options;
  options.accounts = 400;
  options.assets = 6;
  options.events = 3000;
  return options;
}

INSTANTIATE_TEST_SUITE_P(
    Ledgers, TracerReferenceTest,
    ::testing::Combine(::testing::Values(Shape{"dense", Dense()},
                                         Shape{"wide", Wide()}),
                       ::testing::Values(11u, 12u)),
    [](const auto& info) {
      return std::string(std::get<0>(info.param).name) + "_" +
             std::to_string(std::get<1>(info.param));
    });

}  // namespace
}  // namespace sentinel::trace::testing
