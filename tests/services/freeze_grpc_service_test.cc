// FreezeService through a real gRPC server on loopback port 0.

#include "services/freeze/freeze_grpc_service.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/server_fixture.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::FreezeRequest;
using ::sentinel::testing::ServerFixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FreezeGrpcServiceTest : public ::testing::Test {
 protected:
  grpc::Status Freeze(const std::string& principal,
                      const v1::FreezeAccountRequest& request,
                      v1::FreezeRecord* record) {
    return server_.stub().FreezeAccount(ServerFixture::As(principal).get(),
                                        request, record);
  }

  ServerFixture server_;
};

// A freeze over the wire is visible at once to CheckAccounts.
TEST_F(FreezeGrpcServiceTest, FreezeThenCheck) {
  v1::FreezeRecord record;
  ASSERT_TRUE(Freeze("agent/alice", FreezeRequest("acct-1"), &record).ok());
  EXPECT_EQ(record.freeze_id(), "frz-1");
  EXPECT_EQ(record.created_by(), "agent/alice");

  v1::CheckAccountsRequest check;
  check.add_account_ids("acct-1");
  check.add_account_ids("acct-2");
  check.set_action(v1::FREEZE_SCOPE_WITHDRAW);
  v1::CheckAccountsResponse response;
  const grpc::Status status = server_.stub().CheckAccounts(
      ServerFixture::As("internal/withdrawal-engine").get(), check, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 2);
  EXPECT_FALSE(response.results(0).allowed());
  EXPECT_EQ(response.results(0).reason(), "frozen for WITHDRAW by frz-1");
  EXPECT_TRUE(response.results(1).allowed());
}

// No identity, or a malformed one, is UNAUTHENTICATED and writes nothing
// but the audit entry of each refusal.
TEST_F(FreezeGrpcServiceTest, MissingOrMalformedIdentity) {
  v1::FreezeRecord record;
  grpc::Status status = Freeze("", FreezeRequest("acct-1"), &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("x-sentinel-principal"));

  grpc::ClientContext context;
  context.AddMetadata(kPrincipalHeader, "agent/alice");  // not the URI form
  status =
      server_.stub().FreezeAccount(&context, FreezeRequest("acct-1"), &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("spiffe://sentinel/role/<role>/user/<name>"));
  const std::vector<v1::AuditEntry> entries = server_.domain().AuditEntries();
  ASSERT_EQ(entries.size(), 2u);
  for (const v1::AuditEntry& entry : entries) {
    EXPECT_EQ(entry.outcome().code(),
              static_cast<int>(absl::StatusCode::kUnauthenticated));
    EXPECT_EQ(entry.after(), "");
  }
}

// A role outside the method's allow-list is PERMISSION_DENIED, and only the
// refusal is recorded.
TEST_F(FreezeGrpcServiceTest, RoleNotAllowed) {
  v1::FreezeRecord record;
  const grpc::Status status =
      Freeze("auditor/eve", FreezeRequest("acct-1"), &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      status.error_message(),
      "role auditor may not call /sentinel.v1.FreezeService/FreezeAccount");
  const std::vector<v1::AuditEntry> entries = server_.domain().AuditEntries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].principal(), "auditor/eve");
  EXPECT_EQ(entries[0].outcome().code(),
            static_cast<int>(absl::StatusCode::kPermissionDenied));
}

// Validation errors reach the client with the field and reason.
TEST_F(FreezeGrpcServiceTest, InvalidArgumentNamesTheField) {
  v1::FreezeRecord record;
  const grpc::Status status =
      Freeze("agent/alice",
             FreezeRequest("acct-1", {v1::FREEZE_SCOPE_LOGIN}, ""), &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "reason: required");
}

// The two-person unfreeze over the wire.
TEST_F(FreezeGrpcServiceTest, TwoPersonUnfreeze) {
  v1::FreezeRecord record;
  ASSERT_TRUE(Freeze("agent/alice", FreezeRequest("acct-1"), &record).ok());
  v1::RequestUnfreezeRequest request;
  request.set_account_id("acct-1");
  request.set_freeze_id(record.freeze_id());
  request.set_reason("identity verified");
  v1::UnfreezeRequest pending;
  ASSERT_TRUE(server_.stub()
                  .RequestUnfreeze(ServerFixture::As("security/carol").get(),
                                   request, &pending)
                  .ok());

  v1::ApproveUnfreezeRequest approve;
  approve.set_request_id(pending.request_id());
  v1::FreezeRecord lifted;
  grpc::Status status = server_.stub().ApproveUnfreeze(
      ServerFixture::As("security/carol").get(), approve, &lifted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status = server_.stub().ApproveUnfreeze(ServerFixture::As("agent/bob").get(),
                                          approve, &lifted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status = server_.stub().ApproveUnfreeze(
      ServerFixture::As("security/bob").get(), approve, &lifted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(lifted.state(), v1::FREEZE_STATE_LIFTED);

  v1::ApproveUnfreezeRequest unknown;
  unknown.set_request_id("unf-77");
  status = server_.stub().ApproveUnfreeze(
      ServerFixture::As("security/bob").get(), unknown, &lifted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "request_id: no unfreeze request unf-77");
}

// WatchFreezes replays history, then delivers live changes.
TEST_F(FreezeGrpcServiceTest, WatchReplaysThenStreamsLive) {
  v1::FreezeRecord record;
  ASSERT_TRUE(Freeze("agent/alice", FreezeRequest("acct-1"), &record).ok());
  ASSERT_TRUE(Freeze("agent/alice", FreezeRequest("acct-2"), &record).ok());

  auto context = ServerFixture::As("internal/withdrawal-engine");
  v1::WatchFreezesRequest request;
  request.set_from_version(1);
  auto reader = server_.stub().WatchFreezes(context.get(), request);
  v1::FreezeEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.version(), 2u);
  EXPECT_EQ(event.account_id(), "acct-2");
  EXPECT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_FROZEN);
  EXPECT_THAT(
      event.effective_scopes(),
      ElementsAre(v1::FREEZE_SCOPE_WITHDRAW, v1::FREEZE_SCOPE_TRANSFER_OUT));

  ASSERT_TRUE(Freeze("agent/alice", FreezeRequest("acct-3"), &record).ok());
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.version(), 3u);
  EXPECT_EQ(event.account_id(), "acct-3");
  EXPECT_EQ(event.freeze_id(), "frz-3");
  EXPECT_EQ(event.actor(), "agent/alice");

  // Shutting the feed down ends the stream with UNAVAILABLE.
  server_.domain().manager().feed().Close();
  EXPECT_FALSE(reader->Read(&event));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(),
            "server shutting down; reconnect with from_version=3");
}

// A role not allowed to watch gets PERMISSION_DENIED on the stream.
TEST_F(FreezeGrpcServiceTest, WatchRefusedForAgents) {
  auto context = ServerFixture::As("agent/alice");
  auto reader =
      server_.stub().WatchFreezes(context.get(), v1::WatchFreezesRequest());
  v1::FreezeEvent event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// When the write queue is full, writes fail fast with RESOURCE_EXHAUSTED and
// nothing is written; reads still answer.
TEST(FreezeGrpcServiceOverloadTest, FullWriteQueueIsResourceExhausted) {
  ServerFixture server(/*max_queued_writes=*/0);
  v1::FreezeRecord record;
  const grpc::Status status = server.stub().FreezeAccount(
      ServerFixture::As("agent/alice").get(), FreezeRequest("acct-1"), &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(),
            "test writes queue is full; retry with backoff");
  EXPECT_EQ(server.domain().audit_log().size(), 0u);

  v1::GetFreezeStateRequest state_request;
  state_request.set_account_id("acct-1");
  v1::AccountFreezeState state;
  EXPECT_TRUE(server.stub()
                  .GetFreezeState(ServerFixture::As("agent/alice").get(),
                                  state_request, &state)
                  .ok());
  EXPECT_EQ(state.active_freezes_size(), 0);
}

}  // namespace
}  // namespace sentinel::services
