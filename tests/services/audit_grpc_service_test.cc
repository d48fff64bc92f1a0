// AuditService through a real gRPC server on loopback port 0, over the
// freeze service's real changes.

#include "services/audit/audit_grpc_service.h"

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "audit/audit_outbox.h"
#include "audit/checkpoint_note.h"
#include "audit/merkle.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/audit/audit_peer_client.h"
#include "services/common/authenticator.h"
#include "tests/services/server_fixture.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

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
  // Declared before the server: its executor runs the blocked tasks at
  // shutdown, after the test body, and they use these.
  absl::Notification release;
  absl::Notification both_running;
  std::atomic<int> running{0};
  ServerFixture server;
  const auto block = [&] {
    if (++running == 2) both_running.Notify();
    release.WaitForNotification();
  };
  // Fill the queue, wait until both workers hold a task, fill it again:
  // from then on nothing leaves the queue until `release`.
  int queued = 0;
  while (queued < 10000 && server.audit_reads().TrySchedule(block)) ++queued;
  ASSERT_TRUE(both_running.WaitForNotificationWithTimeout(absl::Seconds(30)));
  while (queued < 10000 && server.audit_reads().TrySchedule(block)) ++queued;
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

// DeliverAudit as sentinel-freeze delivers: positions from 1.
v1::DeliverAuditRequest Delivery(
    const std::vector<std::pair<uint64_t, std::string>>& records) {
  v1::DeliverAuditRequest request;
  request.set_origin("sentinel-freeze");
  for (const auto& [seq, action] : records) {
    v1::OutboxRecord* record = request.add_records();
    record->set_outbox_seq(seq);
    record->mutable_entry()->set_action(action);
    record->mutable_entry()->set_principal("agent/alice");
  }
  return request;
}

grpc::Status Deliver(ServerFixture& server,
                     const v1::DeliverAuditRequest& request,
                     v1::DeliverAuditResponse* response) {
  return server.audit_stub().DeliverAudit(
      ServerFixture::As("service/freeze").get(), request, response);
}

// Issue 15, hole 3 (real gRPC server): a delivery at outbox_seq = 2^62 used
// to be stored, and every later real record was then skipped as a
// redelivery. It is refused with FAILED_PRECONDITION and the real records
// keep arriving.
TEST_F(AuditGrpcServiceTest, DeliverAuditRefusesARecordThatSkipsPositions) {
  v1::DeliverAuditResponse response;
  ASSERT_TRUE(Deliver(server_, Delivery({{1, "FreezeService.FreezeAccount"}}),
                      &response)
                  .ok());
  EXPECT_EQ(response.delivered_through(), 1u);
  const grpc::Status jump =
      Deliver(server_, Delivery({{uint64_t{1} << 62, "forged"}}), &response);
  EXPECT_EQ(jump.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(jump.error_message(),
            "records[0].outbox_seq: 4611686018427387904 skips positions: this "
            "origin is delivered through 1, so the next record is 2");
  ASSERT_TRUE(Deliver(server_, Delivery({{2, "FreezeService.RequestUnfreeze"}}),
                      &response)
                  .ok());
  EXPECT_EQ(response.delivered_through(), 2u);
  const v1::AuditEntry newest = Newest();
  EXPECT_EQ(newest.action(), "FreezeService.RequestUnfreeze");
  EXPECT_EQ(newest.origin_seq(), 2u);
}

// Issue 15, hole 2 (real gRPC server): a malformed record used to fail the
// whole delivery, forever. It is stored as a refusal in its place and
// counted; the record behind it is stored.
TEST_F(AuditGrpcServiceTest, DeliverAuditStoresAMalformedRecordAsARefusal) {
  v1::DeliverAuditResponse response;
  const grpc::Status status =
      Deliver(server_,
              Delivery({{1, "FreezeService.FreezeAccount"},
                        {2, ""},
                        {3, "FreezeService.RequestUnfreeze"}}),
              &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.delivered_through(), 3u);
  EXPECT_EQ(server_.domain().audit_inbox().refused_records(), 1u);
  const std::vector<v1::AuditEntry> entries =
      server_.domain().AuditEntries(1000);
  ASSERT_GE(entries.size(), 3u);
  const v1::AuditEntry& refused = entries[entries.size() - 2];
  EXPECT_EQ(refused.action(), "AuditService.DeliverAudit");
  EXPECT_EQ(refused.principal(), "service/freeze");
  EXPECT_EQ(refused.origin(), "sentinel-freeze");
  EXPECT_EQ(refused.origin_seq(), 2u);
  EXPECT_EQ(refused.outcome().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.outcome().message(),
            "records[1].entry.action: must be 1..128 bytes");
  EXPECT_EQ(entries.back().action(), "FreezeService.RequestUnfreeze");
  EXPECT_EQ(entries.back().origin_seq(), 3u);
}

// Issue 15, hole 3 (real gRPC server): an entry dated in the year 9999 used
// to keep that time, and so every later entry. It is dated by the audit
// service's clock; the claim is origin_time, clamped.
TEST_F(AuditGrpcServiceTest, DeliveredEntriesAreDatedByTheAuditServiceClock) {
  v1::DeliverAuditRequest request =
      Delivery({{1, "FreezeService.FreezeAccount"}});
  request.mutable_records(0)->mutable_entry()->mutable_time()->set_seconds(
      253402300799);
  v1::DeliverAuditResponse response;
  ASSERT_TRUE(Deliver(server_, request, &response).ok());
  const absl::Time now = server_.domain().clock().Now();
  const v1::AuditEntry newest = Newest();
  EXPECT_EQ(FromProtoTime(newest.time()), now);
  EXPECT_EQ(FromProtoTime(newest.origin_time()), now);
}

// Fails every delivery: the audit service while it is down.
class DownPeer final : public audit::AuditPeer {
 public:
  absl::StatusOr<uint64_t> Deliver(
      const std::string& /*origin*/,
      const std::vector<v1::OutboxRecord>& /*records*/) override {
    return absl::UnavailableError("down");
  }
  absl::Status Record(const v1::AuditEntry& /*entry*/,
                      const std::string& /*key*/) override {
    return absl::UnavailableError("down");
  }
};

// Issue 15, hole 2 (an AuditOutbox delivering through AuditPeerClient to a
// real gRPC server): 40 reports of 60 KB written while the audit service
// was down made one 2.4 MB request, which the server refuses
// (RESOURCE_EXHAUSTED, over its 2 MiB limit) and the old outbox retried
// forever. Cut by bytes, they all arrive.
TEST_F(AuditGrpcServiceTest, AnOutboxBacklogIsDeliveredWithinTheRequestLimit) {
  sentinel::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<RocksDatabase> database,
      RocksDatabase::Open(dir.path() + "/db", {audit::kOutboxFamily}));
  audit::AuditOutboxOptions options;
  options.origin = "sentinel-intake";
  options.min_backoff = absl::Milliseconds(1);
  options.max_backoff = absl::Milliseconds(50);
  {
    DownPeer down;
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<audit::AuditOutbox> outbox,
                         audit::AuditOutbox::Open(*database, down, options));
    for (int i = 0; i < 40; ++i) {
      v1::AuditEntry entry;
      entry.set_action("IncidentService.ReportIncident");
      entry.set_after(absl::StrCat("{\"description\":\"",
                                   std::string(60 * 1000, 'd'), "\"}"));
      rocksdb::WriteBatch no_changes;
      ASSERT_OK(outbox
                    ->CommitWithAudit(no_changes, std::move(entry),
                                      audit::CommitUrgency::kNormal,
                                      audit::AuditRule::kProtective)
                    .status());
    }
  }
  client::ServerConnection connection;
  connection.address = server_.address();
  connection.credentials = grpc::InsecureChannelCredentials();
  connection.metadata.emplace_back(std::string(kPrincipalHeader),
                                   "spiffe://sentinel/service/intake");
  AuditPeerClient peer(std::move(connection), absl::Seconds(10),
                       client::BackoffPolicy{});
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<audit::AuditOutbox> outbox,
                       audit::AuditOutbox::Open(*database, peer, options));
  EXPECT_EQ(outbox->undelivered(), 40u);
  ASSERT_OK(outbox->AwaitDelivered(absl::Seconds(60)));
  uint64_t delivered = 0;
  for (const v1::AuditEntry& entry : server_.domain().AuditEntries(1000)) {
    if (entry.origin() != "sentinel-intake") continue;
    EXPECT_EQ(entry.origin_seq(), ++delivered);
  }
  EXPECT_EQ(delivered, 40u);
}

}  // namespace
}  // namespace sentinel::services
