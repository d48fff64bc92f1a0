// The audit rule across processes, the sending side: AuditOutbox (in
// process) against a fake peer that behaves like AuditInbox. The outbox
// delivering into a real AuditInbox is tests/audit/audit_delivery_test.cc.
#include "audit/audit_outbox.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_inbox.h"
#include "audit/sha256.h"
#include "common/key_codec.h"
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

// The audit service as the outbox sees it: stores each position once, and
// like AuditInbox refuses a delivery that skips a position. It can be taken
// down, made to fail, or made to report a delivered mark of its choosing;
// it keeps the size of what it was sent.
class FakePeer final : public AuditPeer {
 public:
  absl::StatusOr<uint64_t> Deliver(
      const std::string& origin,
      const std::vector<v1::OutboxRecord>& records) override {
    absl::MutexLock lock(&mu_);
    ++deliveries_;
    size_t bytes = 0;
    for (const v1::OutboxRecord& record : records) {
      bytes += record.ByteSizeLong() + 6;
      max_entry_bytes_ =
          std::max(max_entry_bytes_, record.entry().ByteSizeLong());
    }
    max_delivery_bytes_ = std::max(max_delivery_bytes_, bytes);
    if (!failures_.empty()) {
      absl::Status failure = failures_.front();
      failures_.pop_front();
      return failure;
    }
    if (down_) return absl::UnavailableError("audit service down");
    if (reported_.has_value()) return *reported_;
    origin_ = origin;
    if (records.front().outbox_seq() > delivered_ + 1) {
      return absl::FailedPreconditionError("skips positions");
    }
    for (const v1::OutboxRecord& record : records) {
      if (record.outbox_seq() <= delivered_) continue;
      EXPECT_EQ(record.outbox_seq(), delivered_ + 1);
      stored_.push_back(record.entry().action());
      entries_.push_back(record.entry());
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
  // The next deliveries fail with these, in order, whatever else holds.
  void FailNext(std::vector<absl::Status> failures) {
    absl::MutexLock lock(&mu_);
    failures_.insert(failures_.end(), failures.begin(), failures.end());
  }
  // Every delivery answers OK with `delivered` and stores nothing.
  void Report(uint64_t delivered) {
    absl::MutexLock lock(&mu_);
    reported_ = delivered;
  }
  // Waits until `count` deliveries were attempted.
  void AwaitDeliveries(int count) {
    absl::MutexLock lock(&mu_);
    const auto reached = [this, count]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return deliveries_ >= count;
    };
    mu_.Await(absl::Condition(&reached));
  }
  std::vector<std::string> stored() {
    absl::MutexLock lock(&mu_);
    return stored_;
  }
  std::vector<v1::AuditEntry> entries() {
    absl::MutexLock lock(&mu_);
    return entries_;
  }
  std::vector<std::string> recorded() {
    absl::MutexLock lock(&mu_);
    return recorded_;
  }
  std::string origin() {
    absl::MutexLock lock(&mu_);
    return origin_;
  }
  int deliveries() {
    absl::MutexLock lock(&mu_);
    return deliveries_;
  }
  size_t max_delivery_bytes() {
    absl::MutexLock lock(&mu_);
    return max_delivery_bytes_;
  }
  size_t max_entry_bytes() {
    absl::MutexLock lock(&mu_);
    return max_entry_bytes_;
  }

 private:
  absl::Mutex mu_;
  bool down_ = false;
  std::deque<absl::Status> failures_;
  std::optional<uint64_t> reported_;
  uint64_t delivered_ = 0;
  int deliveries_ = 0;
  size_t max_delivery_bytes_ = 0;
  size_t max_entry_bytes_ = 0;
  std::string origin_;
  std::vector<std::string> stored_;
  std::vector<v1::AuditEntry> entries_;
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
    options.log = [this](const std::string& line) {
      absl::MutexLock lock(&log_mu_);
      log_.push_back(line);
    };
    ASSERT_OK_AND_ASSIGN(outbox_,
                         AuditOutbox::Open(*database_, peer_, options));
  }
  void Close() {
    outbox_.reset();
    database_.reset();
  }

  absl::Status Commit(const std::string& key, const std::string& action,
                      AuditRule rule) {
    return CommitEntry(key, Entry(action), rule).status();
  }
  absl::StatusOr<AuditReceipt> CommitEntry(
      const std::string& key, v1::AuditEntry entry,
      AuditRule rule = AuditRule::kProtective) {
    rocksdb::WriteBatch changes;
    EXPECT_TRUE(changes.Put(database_->Family(kDomain), key, "v").ok());
    return outbox_->CommitWithAudit(changes, std::move(entry),
                                    CommitUrgency::kUrgent, rule);
  }
  std::vector<std::string> LogLines() {
    absl::MutexLock lock(&log_mu_);
    return log_;
  }
  bool Stored(const std::string& key) {
    return database_->Get(kDomain, key).ok();
  }

  sentinel::testing::TempDir dir_;
  absl::Mutex log_mu_;
  std::vector<std::string> log_ ABSL_GUARDED_BY(log_mu_);
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

// Issue 15, hole 2 (in-process AuditOutbox, fake peer): 40 entries of 60 KB
// written during an outage went out as one 2.4 MB delivery, over the audit
// service's 2 MiB request limit, refused and retried forever. Deliveries
// are now cut at kMaxDeliveryBytes.
TEST_F(AuditOutboxTest, DeliveriesAreCutByBytes) {
  peer_.SetDown(true);
  v1::AuditEntry entry = Entry("IncidentService.ReportIncident");
  entry.set_after(
      absl::StrCat("{\"description\":\"", std::string(60 * 1000, 'd'), "\"}"));
  for (int i = 0; i < 40; ++i) {
    ASSERT_OK(CommitEntry(absl::StrCat("k", i), entry).status());
  }
  peer_.SetDown(false);
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(30)));
  EXPECT_EQ(peer_.stored().size(), 40u);
  EXPECT_LE(peer_.max_delivery_bytes(), kMaxDeliveryBytes);
  EXPECT_GT(peer_.max_delivery_bytes(), kMaxDeliveryBytes - 70 * 1000);
}

// Issue 15, hole 2 (in-process AuditOutbox, fake peer): an entry over the
// audit service's 64 KiB limit was sent as it was, refused, and retried
// forever. It is now bounded before it is sent: the large member of its
// JSON becomes its digest, the rest stays.
TEST_F(AuditOutboxTest, EntriesAreBoundedBeforeTheyAreSent) {
  const std::string history =
      absl::StrCat("\"", std::string(3000000, 'h'), "\"");
  v1::AuditEntry entry = Entry("IncidentService.UpdateIncidentStatus");
  entry.set_after(
      absl::StrCat("{\"status\":\"NEW\",\"history\":", history, "}"));
  ASSERT_OK(CommitEntry("k", entry).status());
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(10)));
  ASSERT_EQ(peer_.entries().size(), 1u);
  const v1::AuditEntry sent = peer_.entries().front();
  EXPECT_LE(sent.ByteSizeLong(), kMaxPeerEntryBytes);
  EXPECT_EQ(sent.after(),
            absl::StrCat("{\"status\":\"NEW\",\"history\":{\"sha256\":\"",
                         absl::BytesToHexString(Sha256({history})),
                         "\",\"json_bytes\":3000002}}"));
  EXPECT_EQ(sent.action(), "IncidentService.UpdateIncidentStatus");
}

// Issue 15, hole 3 (in-process AuditOutbox): positions are handed out at
// commit and a write that fails uses none, so the audit service, which
// refuses a record that skips a position, never waits for one that cannot
// come. The old outbox handed out 2 to the failed write and 3 to the next.
TEST_F(AuditOutboxTest, AFailedWriteUsesNoPosition) {
  ASSERT_OK_AND_ASSIGN(AuditReceipt first, CommitEntry("a", Entry("one")));
  EXPECT_EQ(first.seq, 1u);
  rocksdb::WriteBatch broken;
  // A merge: no Sentinel change holds one, and a group write refuses it.
  ASSERT_TRUE(broken.Merge(database_->Family(kDomain), "b", "v").ok());
  EXPECT_THAT(
      outbox_->CommitWithAudit(broken, Entry("two"), CommitUrgency::kUrgent,
                               AuditRule::kProtective),
      StatusIs(absl::StatusCode::kInternal,
               HasSubstr("audit outbox: staging a change")));
  ASSERT_OK_AND_ASSIGN(AuditReceipt third, CommitEntry("c", Entry("three")));
  EXPECT_EQ(third.seq, 2u);
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(10)));
  EXPECT_THAT(peer_.stored(), ElementsAre("one", "three"));
  EXPECT_FALSE(Stored("b"));
}

// Concurrent commits share group writes and still take consecutive
// positions, each exactly once (in-process AuditOutbox, fake peer).
TEST_F(AuditOutboxTest, ConcurrentCommitsTakeConsecutivePositions) {
  constexpr int kThreads = 8;
  constexpr int kCommits = 40;
  absl::Mutex mu;
  std::vector<uint64_t> positions;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommits; ++i) {
        absl::StatusOr<AuditReceipt> receipt =
            CommitEntry(absl::StrCat(t, "/", i), Entry("concurrent"));
        ASSERT_OK(receipt.status());
        absl::MutexLock lock(&mu);
        positions.push_back(receipt->seq);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::sort(positions.begin(), positions.end());
  std::vector<uint64_t> expected(kThreads * kCommits);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = i + 1;
  EXPECT_EQ(positions, expected);
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(30)));
  EXPECT_EQ(peer_.stored().size(), expected.size());
}

// Issue 15, hole 2 (in-process AuditOutbox, fake peer): only an OK reply
// moves the outbox on. Unreachable, past its deadline, or refusing the
// whole delivery: the same records are sent again, none skipped, with one
// log line when failing starts and one when it ends.
TEST_F(AuditOutboxTest, FailedDeliveriesAreRetriedAndNothingIsSkipped) {
  peer_.FailNext({absl::UnavailableError("connection refused"),
                  absl::DeadlineExceededError("deadline"),
                  absl::InvalidArgumentError("records: must hold 1..256")});
  ASSERT_OK(Commit("a", "one", AuditRule::kProtective));
  ASSERT_OK(Commit("b", "two", AuditRule::kProtective));
  ASSERT_OK(Commit("c", "three", AuditRule::kProtective));
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(10)));
  EXPECT_THAT(peer_.stored(), ElementsAre("one", "two", "three"));
  EXPECT_GE(peer_.deliveries(), 4);
  const std::vector<std::string> lines = LogLines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0],
              HasSubstr("event=audit_delivery_failing "
                        "origin=sentinel-freeze error=\"UNAVAILABLE"));
  EXPECT_THAT(lines[1], HasSubstr("event=audit_delivery_resumed "
                                  "origin=sentinel-freeze delivered_through="));
}

// An outbox written by the old code skipped positions where a write failed
// (here 3). Open fills them, so the audit service sees every position
// (in-process AuditOutbox, fake peer).
TEST_F(AuditOutboxTest, PositionsAnOldOutboxSkippedAreFilledAtOpen) {
  Close();
  {
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<RocksDatabase> database,
        RocksDatabase::Open(dir_.path() + "/db", {kOutboxFamily, kDomain}));
    rocksdb::WriteBatch old;
    for (const auto& [seq, action] :
         std::vector<std::pair<uint64_t, std::string>>{
             {1, "one"}, {2, "two"}, {4, "four"}}) {
      ASSERT_TRUE(old.Put(database->Family(kOutboxFamily),
                          KeyWithNumber("o", seq),
                          Entry(action).SerializeAsString())
                      .ok());
    }
    ASSERT_OK(database->WriteDurably(old));
  }
  Open();
  ASSERT_OK(outbox_->AwaitDelivered(absl::Seconds(10)));
  EXPECT_THAT(peer_.stored(),
              ElementsAre("one", "two", "AuditOutbox.UnusedPosition", "four"));
  ASSERT_OK_AND_ASSIGN(AuditReceipt next, CommitEntry("e", Entry("five")));
  EXPECT_EQ(next.seq, 5u);
}

// Issue 15, hole 3 (in-process AuditOutbox, fake peer): an audit service
// that reports this origin delivered far beyond anything written here
// (outbox_seq = 2^62 delivered by someone else) would skip our records as
// redeliveries; the old outbox then deleted them. They are kept now.
TEST_F(AuditOutboxTest, ADeliveredMarkBeyondWhatWasWrittenKeepsTheRecords) {
  peer_.Report(uint64_t{1} << 62);
  ASSERT_OK(Commit("a", "one", AuditRule::kProtective));
  peer_.AwaitDeliveries(2);
  EXPECT_EQ(outbox_->undelivered(), 1u);
  ASSERT_FALSE(LogLines().empty());
  EXPECT_THAT(LogLines().front(),
              HasSubstr("reports this origin delivered through "
                        "4611686018427387904, beyond the last position "
                        "written here (1); the records are kept"));
  // Still there after a restart.
  Close();
  Open();
  EXPECT_EQ(outbox_->undelivered(), 1u);
}

}  // namespace
}  // namespace sentinel::audit
