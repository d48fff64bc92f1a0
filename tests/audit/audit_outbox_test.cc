// The audit rule across processes: AuditOutbox (the sending service) against
// a fake peer, and AuditInbox (the audit service) against a real log.
#include "audit/audit_outbox.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_inbox.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_reader.h"
#include "audit/merkle_audit_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::audit {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kDomain[] = "domain";

v1::AuditEntry Entry(const std::string& action) {
  v1::AuditEntry entry;
  entry.set_action(action);
  entry.set_principal("agent/alice");
  return entry;
}

// The audit service as the outbox sees it: stores each position once, like
// AuditInbox, and can be taken down.
class FakePeer final : public AuditPeer {
 public:
  absl::StatusOr<uint64_t> Deliver(
      const std::string& origin,
      const std::vector<v1::OutboxRecord>& records) override {
    absl::MutexLock lock(&mu_);
    if (down_) return absl::UnavailableError("audit service down");
    origin_ = origin;
    for (const v1::OutboxRecord& record : records) {
      if (record.outbox_seq() <= delivered_) continue;
      stored_.push_back(record.entry().action());
      delivered_ = record.outbox_seq();
    }
    return delivered_;
  }
  absl::Status Record(const v1::AuditEntry& entry,
                      const std::string& key) override {
    absl::MutexLock lock(&mu_);
    if (down_) return absl::UnavailableError("audit service down");
    recorded_.push_back(entry.action());
    keys_.push_back(key);
    return absl::OkStatus();
  }
  void SetDown(bool down) {
    absl::MutexLock lock(&mu_);
    down_ = down;
  }
  std::vector<std::string> stored() {
    absl::MutexLock lock(&mu_);
    return stored_;
  }
  std::vector<std::string> recorded() {
    absl::MutexLock lock(&mu_);
    return recorded_;
  }
  std::string origin() {
    absl::MutexLock lock(&mu_);
    return origin_;
  }

 private:
  absl::Mutex mu_;
  bool down_ = false;
  uint64_t delivered_ = 0;
  std::string origin_;
  std::vector<std::string> stored_;
  std::vector<std::string> recorded_;
  std::vector<std::string> keys_;
};

class AuditOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { Close(); }

  void Open() {
    ASSERT_OK_AND_ASSIGN(
        database_,
        RocksDatabase::Open(dir_.path() + "/db", {kOutboxFamily, kDomain}));
    AuditOutboxOptions options;
    options.origin = "sentinel-freeze";
    options.min_backoff = absl::Milliseconds(1);
    options.max_backoff = absl::Milliseconds(10);
    ASSERT_OK_AND_ASSIGN(outbox_,
                         AuditOutbox::Open(*database_, peer_, options));
  }
  void Close() {
    outbox_.reset();
    database_.reset();
  }

  absl::Status Commit(const std::string& key, const std::string& action,
                      AuditRule rule) {
    rocksdb::WriteBatch changes;
    EXPECT_TRUE(changes.Put(database_->Family(kDomain), key, "v").ok());
    return outbox_
        ->CommitWithAudit(changes, Entry(action), CommitUrgency::kUrgent, rule)
        .status();
  }
  bool Stored(const std::string& key) {
    return database_->Get(kDomain, key).ok();
  }

  sentinel::testing::TempDir dir_;
  FakePeer peer_;
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<AuditOutbox> outbox_;
};

TEST_F(AuditOutboxTest, ProtectiveEntriesAreDeliveredInOrder) {
  ASSERT_OK(Commit("a", "FreezeService.FreezeAccount", AuditRule::kProtective));
  ASSERT_OK(
      Commit("b", "FreezeService.RequestUnfreeze", AuditRule::kProtective));
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(10)));
  EXPECT_THAT(peer_.stored(), ElementsAre("FreezeService.FreezeAccount",
                                          "FreezeService.RequestUnfreeze"));
  EXPECT_EQ(peer_.origin(), "sentinel-freeze");
  EXPECT_EQ(outbox_->undelivered(), 0u);
  EXPECT_TRUE(Stored("a"));
  EXPECT_TRUE(Stored("b"));
}

TEST_F(AuditOutboxTest, ProtectiveActionsGoOnWhileTheAuditServiceIsDown) {
  peer_.SetDown(true);
  ASSERT_OK(Commit("a", "one", AuditRule::kProtective));
  ASSERT_OK(Commit("b", "two", AuditRule::kProtective));
  EXPECT_TRUE(Stored("a"));
  EXPECT_THAT(outbox_->AwaitDelivered(absl::Milliseconds(50)),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       HasSubstr("2 records not yet delivered")));
  EXPECT_EQ(outbox_->undelivered(), 2u);
  peer_.SetDown(false);
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(10)));
  EXPECT_THAT(peer_.stored(), ElementsAre("one", "two"));
}

TEST_F(AuditOutboxTest, UndeliveredRecordsSurviveAReopen) {
  peer_.SetDown(true);
  ASSERT_OK(Commit("a", "one", AuditRule::kProtective));
  Close();
  peer_.SetDown(false);
  Open();
  ASSERT_OK(Commit("b", "two", AuditRule::kProtective));
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(10)));
  EXPECT_THAT(peer_.stored(), ElementsAre("one", "two"));
  // Delivered records are gone, and a reopen sends nothing again.
  Close();
  Open();
  ASSERT_OK(Commit("c", "three", AuditRule::kProtective));
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(10)));
  EXPECT_THAT(peer_.stored(), ElementsAre("one", "two", "three"));
}

TEST_F(AuditOutboxTest, PermissiveActionsFailClosed) {
  peer_.SetDown(true);
  EXPECT_THAT(
      Commit("lift", "FreezeService.ApproveUnfreeze", AuditRule::kPermissive),
      StatusIs(absl::StatusCode::kUnavailable,
               HasSubstr("permissive actions fail closed")));
  EXPECT_FALSE(Stored("lift"));
  EXPECT_THAT(peer_.recorded(), ElementsAre());
  peer_.SetDown(false);
  ASSERT_OK(
      Commit("lift", "FreezeService.ApproveUnfreeze", AuditRule::kPermissive));
  EXPECT_TRUE(Stored("lift"));
  EXPECT_THAT(peer_.recorded(), ElementsAre("FreezeService.ApproveUnfreeze"));
  EXPECT_EQ(outbox_->undelivered(), 0u);
}

class AuditInboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        database_,
        RocksDatabase::Open(dir_.path() + "/db", {kAuditFamily, kInboxFamily}));
    ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey key,
                         Ed25519PrivateKey::LoadOrCreate(dir_.path() + "/k"));
    ASSERT_OK_AND_ASSIGN(log_,
                         MerkleAuditLog::Open(*database_, std::move(key), {}));
    inbox_ = std::make_unique<AuditInbox>(*database_, *log_);
  }
  void TearDown() override {
    inbox_.reset();
    log_.reset();
    database_.reset();
  }

  static std::vector<v1::OutboxRecord> Records(
      const std::vector<std::pair<uint64_t, std::string>>& records) {
    std::vector<v1::OutboxRecord> out;
    for (const auto& [seq, action] : records) {
      v1::OutboxRecord& record = out.emplace_back();
      record.set_outbox_seq(seq);
      *record.mutable_entry() = Entry(action);
    }
    return out;
  }

  // The delivered mark a delivery returned; 0 after an error.
  static uint64_t Through(const absl::StatusOr<uint64_t>& delivered) {
    EXPECT_TRUE(delivered.ok()) << delivered.status();
    return delivered.ok() ? *delivered : 0;
  }

  std::vector<std::string> Stored() {
    AuditReader reader(*database_);
    auto entries = reader.ReadEntries(0, 100, log_->size());
    EXPECT_TRUE(entries.ok());
    std::vector<std::string> out;
    for (const v1::AuditEntry& entry : *entries) {
      out.push_back(absl::StrCat(entry.seq(), " ", entry.action(), " ",
                                 entry.origin(), "#", entry.origin_seq()));
    }
    return out;
  }

  sentinel::testing::TempDir dir_;
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<MerkleAuditLog> log_;
  std::unique_ptr<AuditInbox> inbox_;
};

TEST_F(AuditInboxTest, DeliveriesAreStoredExactlyOnceInOrder) {
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze",
                                    Records({{1, "a"}, {2, "b"}}))),
            2u);
  // A redelivery after a lost reply, overlapping the next records; a gap
  // (position 4: a write that failed in the sender) is allowed.
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze",
                                    Records({{2, "b"}, {3, "c"}, {5, "e"}}))),
            5u);
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze",
                                    Records({{1, "a"}}))),
            5u);
  // Another origin counts on its own.
  EXPECT_EQ(Through(inbox_->Deliver("internal/i", "sentinel-intake",
                                    Records({{1, "x"}}))),
            1u);
  EXPECT_THAT(Stored(),
              ElementsAre("0 a sentinel-freeze#1", "1 b sentinel-freeze#2",
                          "2 c sentinel-freeze#3", "3 e sentinel-freeze#5",
                          "4 x sentinel-intake#1"));
}

TEST_F(AuditInboxTest, BadDeliveriesAreRefusedAndStoreNothing) {
  EXPECT_THAT(
      inbox_->Deliver("internal/f", "Sentinel Freeze", Records({{1, "a"}})),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("origin: only lower-case letters")));
  EXPECT_THAT(inbox_->Deliver("internal/f", "sentinel-freeze", {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("records: must hold 1..256")));
  EXPECT_THAT(inbox_->Deliver("internal/f", "sentinel-freeze",
                              Records({{2, "a"}, {2, "b"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("records[1].outbox_seq: must be above 0")));
  EXPECT_THAT(
      inbox_->Deliver("internal/f", "sentinel-freeze", Records({{1, ""}})),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("records[0].entry.action: must be 1..128")));
  std::vector<v1::OutboxRecord> too_many;
  for (uint64_t i = 1; i <= kMaxDeliveredRecords + 1; ++i) {
    too_many.push_back(Records({{i, "a"}}).front());
  }
  EXPECT_THAT(inbox_->Deliver("internal/f", "sentinel-freeze", too_many),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("records: must hold 1..256")));
  EXPECT_THAT(Stored(), ElementsAre());
}

TEST_F(AuditInboxTest, RecordsAreIdempotentPerKey) {
  const std::string key(16, 'k');
  ASSERT_OK(inbox_->Record("internal/f", key, Entry("approve")));
  ASSERT_OK(inbox_->Record("internal/f", key, Entry("approve")));
  ASSERT_OK(inbox_->Record("internal/other", key, Entry("read")));
  EXPECT_THAT(inbox_->Record("internal/f", "short", Entry("approve")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("idempotency_key: must be 16..128 bytes")));
  EXPECT_THAT(Stored(), ElementsAre("0 approve #0", "1 read #0"));
}

}  // namespace
}  // namespace sentinel::audit
