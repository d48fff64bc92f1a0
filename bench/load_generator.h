// Drives asynchronous calls at a server and measures them, in one of two
// shapes:
//
// - Open loop: calls start at a fixed rate whatever the server does. Each
//   latency counts from the moment its call was due, not from when it was
//   sent, so a server that stalls shows in the figures instead of slowing
//   the load down (no coordinated omission). This is how independent
//   clients behave, and the only way to push a server past its capacity.
// - Closed loop: a fixed number of calls in flight, each completion starting
//   the next: the server's throughput at that concurrency.
//
// Every call ends in the report: successes with their latencies, failures
// by status code with theirs (an error never counts as a success), and, in
// open loop, calls that were due while the in-flight bound was reached
// (not sent, counted apart).
#ifndef SENTINEL_BENCH_LOAD_GENERATOR_H_
#define SENTINEL_BENCH_LOAD_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace sentinel::bench {

struct LoadPlan {
  // Calls per second in open loop; 0 for closed loop.
  double rate = 0;
  // Closed loop: calls kept in flight. Open loop: the most in flight at
  // once; a call due beyond it is not sent.
  int concurrency = 1;
  absl::Duration duration = absl::Seconds(5);
};

// Latencies of one outcome, sorted.
struct Outcome {
  std::vector<absl::Duration> latencies;
  uint64_t count() const { return latencies.size(); }
};

struct LoadReport {
  Outcome ok;
  std::map<grpc::StatusCode, Outcome> errors;
  uint64_t not_sent = 0;
  // From the first call to the last completion.
  absl::Duration elapsed;

  uint64_t failed() const;
  double ok_per_second() const;
  // "RESOURCE_EXHAUSTED=12 DEADLINE_EXCEEDED=1", or "0" when none failed.
  std::string ErrorSummary() const;
};

// Starts call number `n` (from 0) without blocking, and arranges for `done`
// to run exactly once with its status, on any thread. The call must carry a
// deadline: RunLoad waits for every call it started. A call counts as
// finished when `done` (and every copy of it) is destroyed, so destroy it
// only after everything the call held is released: once RunLoad returns,
// the caller may destroy the channels its calls used.
using StartCall = std::function<void(
    uint64_t n, std::function<void(const grpc::Status&)> done)>;

// Starts one unary call of gRPC's callback API for a StartCall: `invoke`
// is called with the context, request and response pointers and the
// completion callback (`stub->async()->Method(...)`). Keeps them alive
// until the call finished and destroys `done` last, after the context has
// released its channel: a channel destroyed on gRPC's callback thread
// would free the completion queue that thread is polling.
template <typename Request, typename Response, typename Invoke>
void StartUnary(std::unique_ptr<grpc::ClientContext> context, Request request,
                std::function<void(const grpc::Status&)> done, Invoke invoke) {
  struct Call {
    std::function<void(const grpc::Status&)> done;  // Destroyed last.
    std::unique_ptr<grpc::ClientContext> context;
    Request request;
    Response response;
  };
  auto call = std::make_shared<Call>();
  call->done = std::move(done);
  call->context = std::move(context);
  call->request = std::move(request);
  invoke(call->context.get(), &call->request, &call->response,
         [call](grpc::Status status) { call->done(status); });
}

// Runs `plan` with `start`. Requires concurrency >= 1, a positive duration,
// and rate >= 0.
LoadReport RunLoad(const LoadPlan& plan, const StartCall& start);

// grpc::StatusCode's name: "RESOURCE_EXHAUSTED".
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace sentinel::bench

#endif  // SENTINEL_BENCH_LOAD_GENERATOR_H_
