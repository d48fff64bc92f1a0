// The audit rule across processes end to end, in one process: an
// AuditOutbox over its own RocksDB delivering into a real AuditInbox and
// audit log over another, through a peer that checks the request limit the
// way the gRPC server does and can be taken down.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_inbox.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_outbox.h"
#include "audit/audit_reader.h"
#include "audit/merkle_audit_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::audit {
namespace {

using ::testing::HasSubstr;

constexpr char kDomain[] = "domain";
constexpr char kCaller[] = "service/intake";
// services::kMaxRequestBytes: a bigger DeliverAuditRequest never reaches
// the handler (RESOURCE_EXHAUSTED).
constexpr size_t kRequestLimit = 2 * 1024 * 1024;

// The audit service's DeliverAudit handler and its transport, in process.
class InboxPeer final : public AuditPeer {
 public:
  explicit InboxPeer(AuditInbox& inbox) : inbox_(inbox) {}

  absl::StatusOr<uint64_t> Deliver(
      const std::string& origin,
      const std::vector<v1::OutboxRecord>& records) override {
    {
      absl::MutexLock lock(&mu_);
      if (down_) return absl::UnavailableError("connection refused");
    }
    v1::DeliverAuditRequest request;
    request.set_origin(origin);
    for (const v1::OutboxRecord& record : records) {
      *request.add_records() = record;
    }
    if (request.ByteSizeLong() > kRequestLimit) {
      return absl::ResourceExhaustedError("request over the limit");
    }
    return inbox_.Deliver(kCaller, origin, records);
  }
  absl::Status Record(const v1::AuditEntry& entry,
                      const std::string& key) override {
    return inbox_.Record(kCaller, key, entry);
  }
  void SetDown(bool down) {
    absl::MutexLock lock(&mu_);
    down_ = down;
  }

 private:
  AuditInbox& inbox_;
  absl::Mutex mu_;
  bool down_ ABSL_GUARDED_BY(mu_) = false;
};

class AuditDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(audit_database_,
                         RocksDatabase::Open(dir_.path() + "/audit",
                                             {kAuditFamily, kInboxFamily}));
    ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey key,
                         Ed25519PrivateKey::LoadOrCreate(dir_.path() + "/k"));
    ASSERT_OK_AND_ASSIGN(
        log_, MerkleAuditLog::Open(*audit_database_, std::move(key), {}));
    inbox_ = std::make_unique<AuditInbox>(*audit_database_, *log_, clock_);
    peer_ = std::make_unique<InboxPeer>(*inbox_);
    ASSERT_OK_AND_ASSIGN(
        database_,
        RocksDatabase::Open(dir_.path() + "/intake", {kOutboxFamily, kDomain}));
    AuditOutboxOptions options;
    options.origin = "sentinel-intake";
    options.min_backoff = absl::Milliseconds(1);
    options.max_backoff = absl::Milliseconds(20);
    ASSERT_OK_AND_ASSIGN(outbox_,
                         AuditOutbox::Open(*database_, *peer_, options));
  }
  void TearDown() override {
    outbox_.reset();
    database_.reset();
    peer_.reset();
    inbox_.reset();
    log_.reset();
    audit_database_.reset();
  }

  absl::Status Commit(const std::string& key, v1::AuditEntry entry) {
    rocksdb::WriteBatch changes;
    EXPECT_TRUE(changes.Put(database_->Family(kDomain), key, "v").ok());
    return outbox_
        ->CommitWithAudit(changes, std::move(entry), CommitUrgency::kUrgent,
                          AuditRule::kProtective)
        .status();
  }

  std::vector<v1::AuditEntry> Entries() {
    AuditReader reader(*audit_database_);
    std::vector<v1::AuditEntry> all;
    while (true) {
      auto page = reader.ReadEntries(all.size(), 1000, log_->size());
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->empty()) return all;
      for (v1::AuditEntry& entry : *page) all.push_back(std::move(entry));
    }
  }

  sentinel::testing::TempDir dir_;
  sentinel::testing::FakeClock clock_;
  std::unique_ptr<RocksDatabase> audit_database_;
  std::unique_ptr<MerkleAuditLog> log_;
  std::unique_ptr<AuditInbox> inbox_;
  std::unique_ptr<InboxPeer> peer_;
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<AuditOutbox> outbox_;
};

// Issue 15, hole 2 (in-process AuditOutbox into AuditInbox): 600 reports of
// 10 KB made while the audit service is down. The old outbox sent them 256
// at a time (2.5 MB, over the request limit) and retried that forever, so
// none reached the log. Now every one arrives once, positions 1..600 in
// order, when the audit service is back.
TEST_F(AuditDeliveryTest, AnOutageOfManyRecordsThenRecovery) {
  constexpr int kRecords = 600;
  peer_->SetDown(true);
  for (int i = 0; i < kRecords; ++i) {
    v1::AuditEntry entry;
    entry.set_action("IncidentService.ReportIncident");
    entry.set_after(absl::StrCat("{\"n\":", i, ",\"description\":\"",
                                 std::string(10000, 'd'), "\"}"));
    ASSERT_OK(Commit(absl::StrCat("k", i), entry));
  }
  EXPECT_EQ(outbox_->undelivered(), static_cast<uint64_t>(kRecords));
  peer_->SetDown(false);
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(60)));
  const std::vector<v1::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), static_cast<size_t>(kRecords));
  for (int i = 0; i < kRecords; ++i) {
    EXPECT_EQ(entries[i].origin(), "sentinel-intake");
    EXPECT_EQ(entries[i].origin_seq(), static_cast<uint64_t>(i + 1));
    EXPECT_THAT(entries[i].after(), HasSubstr(absl::StrCat("{\"n\":", i, ",")));
  }
  EXPECT_EQ(inbox_->refused_records(), 0u);
}

// Issue 15, hole 2 (in-process AuditOutbox into AuditInbox): a record the
// audit service finds malformed is stored as a refusal and the outbox moves
// past it; the old inbox refused the whole delivery and the outbox retried
// it forever, so the valid record behind it never arrived.
TEST_F(AuditDeliveryTest, AMalformedRecordDoesNotBlockTheOnesBehindIt) {
  v1::AuditEntry malformed;
  malformed.set_action(std::string(200, 'a'));  // over 128 bytes
  ASSERT_OK(Commit("a", malformed));
  v1::AuditEntry valid;
  valid.set_action("IncidentService.ReportIncident");
  ASSERT_OK(Commit("b", valid));
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(10)));
  const std::vector<v1::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action(), "AuditService.DeliverAudit");
  EXPECT_EQ(entries[0].origin_seq(), 1u);
  EXPECT_EQ(entries[0].outcome().message(),
            "records[0].entry.action: must be 1..128 bytes");
  EXPECT_EQ(entries[1].action(), "IncidentService.ReportIncident");
  EXPECT_EQ(entries[1].origin_seq(), 2u);
  EXPECT_EQ(inbox_->refused_records(), 1u);
  EXPECT_EQ(outbox_->undelivered(), 0u);
}

}  // namespace
}  // namespace sentinel::audit
