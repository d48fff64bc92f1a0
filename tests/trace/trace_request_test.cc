// ResolveTraceRequest: defaults, every bound at and past its limit, and
// the exact messages.
#include "trace/trace_request.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/trace/ledger_builders.h"

namespace sentinel::trace {
namespace {

using ::sentinel::testing::StatusIs;
using testing::At;
using ::testing::ElementsAre;
using ::testing::Eq;

const absl::Time kNow = At(100000);

v1::TraceFundsRequest Request() {
  v1::TraceFundsRequest request;
  request.set_account_id("victim");
  *request.mutable_since() = ToProtoTime(At(10));
  request.set_model(v1::TAINT_MODEL_FIFO);
  return request;
}

void ExpectInvalid(const v1::TraceFundsRequest& request,
                   const std::string& message) {
  EXPECT_THAT(ResolveTraceRequest(request, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument, Eq(message)));
}

TEST(TraceRequestTest, FillsDefaults) {
  ASSERT_OK_AND_ASSIGN(TraceParams params,
                       ResolveTraceRequest(Request(), kNow));
  EXPECT_EQ(params.account_id, "victim");
  EXPECT_EQ(params.since, At(10));
  EXPECT_EQ(params.until, kNow);
  EXPECT_EQ(params.max_hops, 6);
  EXPECT_EQ(params.model, v1::TAINT_MODEL_FIFO);
  EXPECT_EQ(params.max_events, 1000000);
  EXPECT_EQ(params.max_edges, 10000);
  EXPECT_TRUE(params.assets.empty());
}

TEST(TraceRequestTest, TakesExplicitBoundsAndSortsAssets) {
  v1::TraceFundsRequest request = Request();
  *request.mutable_until() = ToProtoTime(At(11));
  request.set_max_hops(32);
  request.set_max_events(100000000);
  request.set_max_edges(50000);
  request.add_assets("USDT");
  request.add_assets("BTC");
  request.set_incident_id("inc-7");
  ASSERT_OK_AND_ASSIGN(TraceParams params, ResolveTraceRequest(request, kNow));
  EXPECT_EQ(params.until, At(11));
  EXPECT_EQ(params.max_hops, 32);
  EXPECT_EQ(params.max_events, 100000000);
  EXPECT_EQ(params.max_edges, 50000);
  EXPECT_THAT(params.assets, ElementsAre("BTC", "USDT"));
}

TEST(TraceRequestTest, AccountAndTimes) {
  v1::TraceFundsRequest request = Request();
  request.clear_account_id();
  ExpectInvalid(request, "account_id: required");

  request = Request();
  request.clear_since();
  ExpectInvalid(request, "since: required");
  request.mutable_since()->set_seconds(-1);
  ExpectInvalid(request, "since: before 1970-01-01T00:00:00Z");

  request = Request();
  *request.mutable_until() = request.since();
  ExpectInvalid(request, "until: must be after since");
  request.mutable_until()->set_nanos(1);
  EXPECT_OK(ResolveTraceRequest(request, kNow).status());
  request.mutable_until()->set_nanos(-1);
  ExpectInvalid(request, "until: nanos -1 is outside 0..999999999");

  request = Request();
  *request.mutable_since() = ToProtoTime(kNow);
  ExpectInvalid(request,
                "since: must be before the server's clock when until is unset");
}

TEST(TraceRequestTest, Bounds) {
  v1::TraceFundsRequest request = Request();
  request.set_max_hops(33);
  ExpectInvalid(request, "max_hops: 33 is outside 0..32");
  request.set_max_hops(-1);
  ExpectInvalid(request, "max_hops: -1 is outside 0..32");

  request = Request();
  request.set_max_events(100000001);
  ExpectInvalid(request, "max_events: 100000001 is outside 0..100000000");

  request = Request();
  request.set_max_edges(50001);
  ExpectInvalid(request, "max_edges: 50001 is outside 0..50000");

  request = Request();
  request.set_model(v1::TAINT_MODEL_UNSPECIFIED);
  ExpectInvalid(request, "model: required");
  request.set_model(static_cast<v1::TaintModel>(9));
  ExpectInvalid(request, "model: unknown value 9");
}

TEST(TraceRequestTest, AssetsAndIncident) {
  v1::TraceFundsRequest request = Request();
  for (int i = 0; i < 100; ++i) request.add_assets(absl::StrCat("A", i));
  EXPECT_OK(ResolveTraceRequest(request, kNow).status());
  request.add_assets("A100");
  ExpectInvalid(request, "assets: 101 entries, more than the limit of 100");

  request = Request();
  request.add_assets("BTC");
  request.add_assets("BTC");
  ExpectInvalid(request, "assets: an asset is listed twice");
  request.set_assets(1, "B C");
  ExpectInvalid(request, "assets: may contain only letters, digits and . _ -");

  request = Request();
  request.set_incident_id(std::string(129, 'i'));
  ExpectInvalid(request,
                "incident_id: 129 bytes, longer than the limit of 128");
}

}  // namespace
}  // namespace sentinel::trace
