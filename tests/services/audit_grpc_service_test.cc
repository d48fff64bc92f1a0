// AuditService through a real gRPC server on loopback port 0, over the
// freeze service's real changes.

#include "services/audit/audit_grpc_service.h"

#include "absl/synchronization/notification.h"
#include "audit/checkpoint_note.h"
#include "audit/merkle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/server_fixture.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::FreezeRequest;
using ::sentinel::testing::ServerFixture;
using ::testing::HasSubstr;

class AuditGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::FreezeRecord record;
    ASSERT_TRUE(server_.stub()
                    .FreezeAccount(ServerFixture::As("agent/alice").get(),
                                   FreezeRequest("acct-1"), &record)
                    .ok());
  }

  v1::Checkpoint Checkpoint() {
    v1::Checkpoint checkpoint;
    const grpc::Status status = server_.audit_stub().GetCheckpoint(
        ServerFixture::As("auditor/eve").get(), {}, &checkpoint);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return checkpoint;
  }

  // The newest entry in the log.
  v1::AuditEntry Newest() {
    std::vector<v1::AuditEntry> entries = server_.domain().AuditEntries(1000);
    return entries.empty() ? v1::AuditEntry() : entries.back();
  }

  ServerFixture server_;
};

// The checkpoint is signed by the log's key and covers the freeze.
TEST_F(AuditGrpcServiceTest, CheckpointIsSignedAndCoversTheChange) {
  const v1::Checkpoint checkpoint = Checkpoint();
  EXPECT_EQ(checkpoint.tree_size(), 1u);
  audit::MerkleAuditLog& log = server_.domain().audit_log();
  absl::StatusOr<audit::Checkpoint> opened = audit::OpenCheckpoint(
      checkpoint.note(), log.origin(), log.public_key(), log.origin());
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->size, 1u);
  EXPECT_EQ(opened->root_hash, checkpoint.root_hash());
}

// An entry fetched with its stored bytes is proven by an inclusion proof
// against the signed checkpoint.
TEST_F(AuditGrpcServiceTest, EntryIsProvableAgainstTheCheckpoint) {
  const v1::Checkpoint checkpoint = Checkpoint();  // size 1: the freeze
  v1::GetEntriesRequest entries_request;
  entries_request.set_start_seq(0);
  entries_request.set_max_entries(1);
  v1::GetEntriesResponse entries;
  ASSERT_TRUE(server_.audit_stub()
                  .GetEntries(ServerFixture::As("auditor/eve").get(),
                              entries_request, &entries)
                  .ok());
  ASSERT_EQ(entries.entries_size(), 1);
  const v1::AuditEntry& entry = entries.entries(0);
  EXPECT_EQ(entry.action(), "FreezeService.FreezeAccount");
  EXPECT_EQ(entry.leaf_hash(), audit::LeafHash(entry.stored_bytes()));

  v1::GetInclusionProofRequest proof_request;
  proof_request.set_seq(0);
  proof_request.set_tree_size(checkpoint.tree_size());
  v1::InclusionProof proof;
  ASSERT_TRUE(server_.audit_stub()
                  .GetInclusionProof(ServerFixture::As("security/bob").get(),
                                     proof_request, &proof)
                  .ok());
  std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
  EXPECT_TRUE(audit::VerifyInclusion(0, checkpoint.tree_size(),
                                     entry.leaf_hash(), hashes,
                                     checkpoint.root_hash())
                  .ok());
}

// Every read of the audit log is itself an audit entry, with its outcome.
TEST_F(AuditGrpcServiceTest, ReadsAreAudited) {
  v1::QueryAuditRequest query;
  query.set_subject("acct-1");
  v1::QueryAuditResponse response;
  ASSERT_TRUE(
      server_.audit_stub()
          .QueryAudit(ServerFixture::As("auditor/eve").get(), query, &response)
          .ok());
  ASSERT_EQ(response.entries_size(), 1);
  EXPECT_EQ(response.entries(0).principal(), "agent/alice");

  v1::AuditEntry read = Newest();
  EXPECT_EQ(read.action(), "AuditService.QueryAudit");
  EXPECT_EQ(read.principal(), "auditor/eve");
  EXPECT_EQ(read.subject().account_id(), "acct-1");
  EXPECT_EQ(read.outcome().code(), 0);
  EXPECT_THAT(read.parameters(), HasSubstr("\"subject\":\"acct-1\""));

  // A refused read is recorded with its code.
  query.set_page_size(5000);
  const grpc::Status status = server_.audit_stub().QueryAudit(
      ServerFixture::As("auditor/eve").get(), query, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "page_size: 5000 is outside 0..1000");
  read = Newest();
  EXPECT_EQ(read.action(), "AuditService.QueryAudit");
  EXPECT_EQ(read.outcome().code(), 3);
  EXPECT_EQ(read.outcome().message(), "page_size: 5000 is outside 0..1000");
}

// Agents may not read the audit log.
TEST_F(AuditGrpcServiceTest, AgentsMayNotRead) {
  v1::Checkpoint checkpoint;
  const grpc::Status status = server_.audit_stub().GetCheckpoint(
      ServerFixture::As("agent/alice").get(), {}, &checkpoint);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// WatchAudit replays from a sequence number, then streams new entries live.
TEST_F(AuditGrpcServiceTest, WatchReplaysThenStreamsLive) {
  auto context = ServerFixture::As("auditor/eve");
  v1::WatchAuditRequest request;
  request.set_from_seq(0);
  auto reader = server_.audit_stub().WatchAudit(context.get(), request);
  v1::AuditEntry entry;
  ASSERT_TRUE(reader->Read(&entry));
  EXPECT_EQ(entry.seq(), 0u);
  EXPECT_EQ(entry.action(), "FreezeService.FreezeAccount");
  ASSERT_TRUE(reader->Read(&entry));  // the watch's own audit entry
  EXPECT_EQ(entry.seq(), 1u);
  EXPECT_EQ(entry.action(), "AuditService.WatchAudit");

  v1::FreezeRecord record;
  ASSERT_TRUE(server_.stub()
                  .FreezeAccount(ServerFixture::As("agent/alice").get(),
                                 FreezeRequest("acct-2"), &record)
                  .ok());
  ASSERT_TRUE(reader->Read(&entry));
  EXPECT_EQ(entry.seq(), 2u);
  EXPECT_EQ(entry.subject().account_id(), "acct-2");
  context->TryCancel();
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

// Proof requests outside the tree name the field.
TEST_F(AuditGrpcServiceTest, ProofArgumentsAreChecked) {
  v1::GetConsistencyProofRequest request;
  request.set_old_size(1);
  request.set_new_size(99);
  v1::ConsistencyProof proof;
  const grpc::Status status = server_.audit_stub().GetConsistencyProof(
      ServerFixture::As("auditor/eve").get(), request, &proof);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "new_size: 99 is beyond the newest checkpoint's size 1");
}

// A flood of auditors' reads cannot hold back the other services' audit
// records (sentineld form): with the reads executor saturated, queries are
// refused for load while a delivery still runs (here to the inbox's own
// check of its empty batch).
TEST(AuditPoolsTest, DeliveriesDoNotWaitBehindReads) {
  ServerFixture server;
  absl::Notification release;
  int queued = 0;
  while (server.audit_reads().TrySchedule([&release] {
    release.WaitForNotification();
  }) && queued < 10000) {
    ++queued;
  }
  ASSERT_GT(queued, 2);

  v1::QueryAuditResponse found;
  const grpc::Status query = server.audit_stub().QueryAudit(
      ServerFixture::As("auditor/eve").get(), {}, &found);
  EXPECT_EQ(query.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  v1::DeliverAuditRequest delivery;
  delivery.set_origin("sentinel-freeze");
  v1::DeliverAuditResponse delivered;
  const grpc::Status deliver = server.audit_stub().DeliverAudit(
      ServerFixture::As("service/freeze").get(), delivery, &delivered);
  EXPECT_EQ(deliver.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << deliver.error_message();
  release.Notify();
}

}  // namespace
}  // namespace sentinel::services
