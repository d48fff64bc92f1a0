// The request size limit through a real server: the largest valid requests
// fit, and a message past the limit is refused before any handler runs.

#include "services/common/message_limits.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/identifiers.h"
#include "freeze/freeze_limits.h"
#include "gtest/gtest.h"
#include "incident/evidence.h"
#include "tests/services/server_fixture.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::ServerFixture;

// An account id of exactly `bytes` bytes, distinct per `index`.
std::string LongAccountId(size_t index, size_t bytes) {
  std::string id = absl::StrCat("acct-", index, "-");
  id.resize(bytes, 'x');
  return id;
}

TEST(MessageLimitsTest, LargestCheckAccountsFits) {
  ServerFixture server;
  v1::CheckAccountsRequest request;
  request.set_action(v1::FREEZE_SCOPE_WITHDRAW);
  for (size_t i = 0; i < freeze::kMaxCheckAccounts; ++i) {
    request.add_account_ids(LongAccountId(i, sentinel::kMaxIdentifierBytes));
  }
  ASSERT_LT(request.ByteSizeLong(), static_cast<size_t>(kMaxRequestBytes));
  v1::CheckAccountsResponse response;
  const grpc::Status status = server.stub().CheckAccounts(
      ServerFixture::As("internal/withdrawals").get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.results_size(),
            static_cast<int>(freeze::kMaxCheckAccounts));
}

TEST(MessageLimitsTest, MessagesPastTheLimitAreRefused) {
  ServerFixture server;
  // Exactly at the limit: passes the transport and reaches validation,
  // which refuses the oversized chunk by name.
  v1::EvidenceChunk chunk;
  chunk.set_incident_id("inc-1");
  chunk.set_file_name("a.png");
  chunk.set_content_type("image/png");
  chunk.set_data(std::string(kMaxRequestBytes - 64, 'x'));
  chunk.mutable_data()->resize(chunk.data().size() +
                               (kMaxRequestBytes - chunk.ByteSizeLong()));
  ASSERT_EQ(chunk.ByteSizeLong(), static_cast<size_t>(kMaxRequestBytes));
  for (const bool past : {false, true}) {
    if (past) chunk.mutable_data()->push_back('x');
    auto context = ServerFixture::As("agent/alice");
    v1::Evidence evidence;
    auto writer = server.intake_stub().AddEvidence(context.get(), &evidence);
    writer->Write(chunk);
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    if (past) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
          << status.error_message();
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
      EXPECT_EQ(status.error_message(),
                "data: a chunk carries at most 1048576 bytes");
    }
  }
}

}  // namespace
}  // namespace sentinel::services
