// Tests of sentinelctl's one-line failure reports and exit codes.
#include "cli/report.h"

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace sentinel::cli {
namespace {

// What RpcFailure prints for `status`, after checking its exit code.
std::string FailureLine(const grpc::Status& status) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RpcFailure(status), kExitFailure);
  return ::testing::internal::GetCapturedStderr();
}

TEST(RpcFailureTest, CodeAndMessageOnOneLine) {
  EXPECT_EQ(FailureLine(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                     "no unclaimed incident\nis waiting")),
            "sentinelctl: NOT_FOUND: no unclaimed incident is waiting\n");
  EXPECT_EQ(FailureLine(grpc::Status(grpc::StatusCode::UNAVAILABLE, "")),
            "sentinelctl: UNAVAILABLE\n");
}

TEST(RpcFailureTest, SaysWhenToRetryAnOverloadedServer) {
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_nanos(500000000);
  google::rpc::Status details;
  details.set_code(8);
  details.add_details()->PackFrom(retry);
  EXPECT_EQ(FailureLine(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                     "tickets queue is full",
                                     details.SerializeAsString())),
            "sentinelctl: RESOURCE_EXHAUSTED: tickets queue is full (retry "
            "after 500ms)\n");
}

TEST(RpcFailureTest, IgnoresDetailsItCannotRead) {
  EXPECT_EQ(FailureLine(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                     "busy", "\xff\xff not a proto")),
            "sentinelctl: RESOURCE_EXHAUSTED: busy\n");
  google::rpc::Status details;
  details.add_details()->PackFrom(google::rpc::Status());
  EXPECT_EQ(FailureLine(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                     "busy", details.SerializeAsString())),
            "sentinelctl: RESOURCE_EXHAUSTED: busy\n");
}

TEST(UsageFailureTest, PointsAtHelp) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(UsageFailure("report needs --category=CATEGORY"), kExitUsage);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "sentinelctl: report needs --category=CATEGORY (see --help)\n");
}

}  // namespace
}  // namespace sentinel::cli
