// The audit rule across processes, the receiving side: AuditInbox (in
// process) over a real RocksDB and audit log in a temp dir, with a fake
// clock.
#include "audit/audit_inbox.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_reader.h"
#include "audit/merkle_audit_log.h"
#include "audit/sha256.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::audit {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::AuditEntry Entry(const std::string& action) {
  v1::AuditEntry entry;
  entry.set_action(action);
  entry.set_principal("agent/alice");
  return entry;
}

class AuditInboxTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { Close(); }

  void Open() {
    ASSERT_OK_AND_ASSIGN(
        database_,
        RocksDatabase::Open(dir_.path() + "/db", {kAuditFamily, kInboxFamily}));
    ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey key,
                         Ed25519PrivateKey::LoadOrCreate(dir_.path() + "/k"));
    ASSERT_OK_AND_ASSIGN(log_,
                         MerkleAuditLog::Open(*database_, std::move(key), {}));
    inbox_ = std::make_unique<AuditInbox>(*database_, *log_, clock_,
                                          [this](const std::string& line) {
                                            absl::MutexLock lock(&lines_mu_);
                                            lines_.push_back(line);
                                          });
  }
  void Close() {
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

  std::vector<v1::AuditEntry> Entries() {
    AuditReader reader(*database_);
    auto entries = reader.ReadEntries(0, 1000, log_->size());
    EXPECT_TRUE(entries.ok());
    return entries.ok() ? *entries : std::vector<v1::AuditEntry>();
  }

  std::vector<std::string> Stored() {
    std::vector<std::string> out;
    for (const v1::AuditEntry& entry : Entries()) {
      out.push_back(absl::StrCat(entry.seq(), " ", entry.action(), " ",
                                 entry.origin(), "#", entry.origin_seq()));
    }
    return out;
  }

  std::vector<std::string> Lines() {
    absl::MutexLock lock(&lines_mu_);
    return lines_;
  }

  sentinel::testing::TempDir dir_;
  sentinel::testing::FakeClock clock_;
  absl::Mutex lines_mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(lines_mu_);
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<MerkleAuditLog> log_;
  std::unique_ptr<AuditInbox> inbox_;
};

TEST_F(AuditInboxTest, DeliveriesAreStoredExactlyOnceInOrder) {
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze",
                                    Records({{1, "a"}, {2, "b"}}))),
            2u);
  // A redelivery after a lost reply, overlapping the next records.
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze",
                                    Records({{2, "b"}, {3, "c"}, {4, "d"}}))),
            4u);
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze",
                                    Records({{1, "a"}}))),
            4u);
  // Another origin counts on its own.
  EXPECT_EQ(Through(inbox_->Deliver("internal/i", "sentinel-intake",
                                    Records({{1, "x"}}))),
            1u);
  EXPECT_THAT(Stored(),
              ElementsAre("0 a sentinel-freeze#1", "1 b sentinel-freeze#2",
                          "2 c sentinel-freeze#3", "3 d sentinel-freeze#4",
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
  EXPECT_THAT(
      inbox_->Deliver("internal/f", "sentinel-freeze", Records({{0, "a"}})),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "records[0].outbox_seq: must be above 0"));
  EXPECT_THAT(inbox_->Deliver("internal/f", "sentinel-freeze",
                              Records({{2, "a"}, {2, "b"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[1].outbox_seq: must be one more than the "
                       "record before (positions are consecutive)"));
  EXPECT_THAT(inbox_->Deliver("internal/f", "sentinel-freeze",
                              Records({{1, "a"}, {3, "c"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("records[1].outbox_seq: must be one more")));
  EXPECT_THAT(inbox_->Deliver("internal/f", "sentinel-freeze",
                              Records({{UINT64_MAX, "a"}, {0, "b"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("records[1].outbox_seq: must be one more")));
  std::vector<v1::OutboxRecord> too_many;
  for (uint64_t i = 1; i <= kMaxDeliveredRecords + 1; ++i) {
    too_many.push_back(Records({{i, "a"}}).front());
  }
  EXPECT_THAT(inbox_->Deliver("internal/f", "sentinel-freeze", too_many),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("records: must hold 1..256")));
  EXPECT_THAT(Stored(), ElementsAre());
}

// Issue 15, hole 3 (in-process AuditInbox): a delivery at outbox_seq = 2^62
// used to be stored and move the mark there, so every later real record was
// skipped as a redelivery (and the sender deleted it). A record that skips a
// position is now refused and stores nothing; the real ones keep coming.
TEST_F(AuditInboxTest, ARecordThatSkipsPositionsIsRefused) {
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze",
                                    Records({{1, "a"}}))),
            1u);
  EXPECT_THAT(inbox_->Deliver("internal/f", "sentinel-freeze",
                              Records({{uint64_t{1} << 62, "forged"}})),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "records[0].outbox_seq: 4611686018427387904 skips "
                       "positions: this origin is delivered through 1, so "
                       "the next record is 2"));
  EXPECT_THAT(
      inbox_->Deliver("internal/f", "sentinel-freeze", Records({{3, "c"}})),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("the next record is 2")));
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze",
                                    Records({{2, "b"}, {3, "c"}}))),
            3u);
  // A fresh origin starts at 1.
  EXPECT_THAT(
      inbox_->Deliver("internal/i", "sentinel-intake", Records({{2, "x"}})),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("delivered through 0")));
  EXPECT_THAT(Stored(),
              ElementsAre("0 a sentinel-freeze#1", "1 b sentinel-freeze#2",
                          "2 c sentinel-freeze#3"));
}

// Issue 15, hole 2 (in-process AuditInbox): one malformed record used to
// refuse the whole delivery, and the sender retried the same batch forever,
// so nothing behind it reached the log. It is now stored as a refusal, in
// its place, logged once and counted; the records behind it are stored.
TEST_F(AuditInboxTest, AMalformedRecordIsStoredAsARefusal) {
  std::vector<v1::OutboxRecord> records = Records(
      {{1, "a"}, {2, ""}, {3, "IncidentService.ReportIncident"}, {4, "d"}});
  records[2].mutable_entry()->set_after(std::string(70 * 1024, 'x'));
  records[2].mutable_entry()->mutable_subject()->set_account_id("acct-1");
  const std::string empty_action_bytes = records[1].entry().SerializeAsString();
  const std::string oversized_bytes = records[2].entry().SerializeAsString();
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze", records)),
            4u);

  const std::vector<v1::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].action(), "a");
  EXPECT_EQ(entries[3].action(), "d");
  const v1::AuditEntry& refused = entries[1];
  EXPECT_EQ(refused.action(), "AuditService.DeliverAudit");
  EXPECT_EQ(refused.principal(), "internal/f");
  EXPECT_EQ(refused.origin(), "sentinel-freeze");
  EXPECT_EQ(refused.origin_seq(), 2u);
  EXPECT_EQ(refused.outcome().code(),
            static_cast<int32_t>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(refused.outcome().message(),
            "records[1].entry.action: must be 1..128 bytes");
  EXPECT_EQ(refused.parameters(),
            absl::StrCat("{\"refused_record\":{\"origin\":\"sentinel-freeze\","
                         "\"outbox_seq\":\"2\",\"sha256\":\"",
                         absl::BytesToHexString(Sha256({empty_action_bytes})),
                         "\",\"bytes\":\"", empty_action_bytes.size(), "\"}}"));
  EXPECT_EQ(entries[2].action(), "AuditService.DeliverAudit");
  EXPECT_EQ(entries[2].origin_seq(), 3u);
  EXPECT_EQ(entries[2].subject().account_id(), "acct-1");
  EXPECT_EQ(entries[2].outcome().message(),
            "records[2].entry: is over the limit of 65536 bytes");
  EXPECT_THAT(entries[2].parameters(),
              HasSubstr(absl::BytesToHexString(Sha256({oversized_bytes}))));

  EXPECT_EQ(inbox_->refused_records(), 2u);
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            absl::StrCat("event=audit_record_refused caller=internal/f "
                         "origin=sentinel-freeze outbox_seq=2 sha256=",
                         absl::BytesToHexString(Sha256({empty_action_bytes})),
                         " bytes=", empty_action_bytes.size(),
                         " reason=\"records[1].entry.action: must be 1..128 "
                         "bytes\""));
  EXPECT_THAT(lines[1], HasSubstr("outbox_seq=3"));

  // A redelivery stores, logs and counts nothing more.
  EXPECT_EQ(Through(inbox_->Deliver("internal/f", "sentinel-freeze", records)),
            4u);
  EXPECT_EQ(Entries().size(), 4u);
  EXPECT_EQ(Lines().size(), 2u);
  EXPECT_EQ(inbox_->refused_records(), 2u);
}

// Issue 15, hole 3 (in-process AuditInbox): an entry dated far in the
// future used to keep that time, and since times never decrease along the
// log, so did every later entry, across restarts. Entries now take the
// audit service's clock; the sender's time is origin_time, never later than
// that.
TEST_F(AuditInboxTest, EntriesAreDatedByTheAuditServiceClock) {
  const absl::Time now = clock_.Now();
  std::vector<v1::OutboxRecord> records = Records({{1, "future"}, {2, "past"}});
  *records[0].mutable_entry()->mutable_time() =
      ToProtoTime(now + absl::Hours(24 * 365 * 100));
  *records[1].mutable_entry()->mutable_time() =
      ToProtoTime(now - absl::Minutes(5));
  ASSERT_OK(inbox_->Deliver("internal/f", "sentinel-freeze", records).status());
  clock_.Advance(absl::Seconds(7));
  v1::AuditEntry recorded = Entry("FreezeService.ApproveUnfreeze");
  recorded.mutable_time()->set_seconds(253402300799);  // 9999-12-31
  ASSERT_OK(inbox_->Record("internal/f", std::string(16, 'k'), recorded));
  // Restarted, the log goes on from the audit service's own time.
  Close();
  clock_.Advance(absl::Seconds(3));
  Open();
  ASSERT_OK(
      inbox_->Deliver("internal/f", "sentinel-freeze", Records({{3, "later"}}))
          .status());

  const std::vector<v1::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(FromProtoTime(entries[0].time()), now);
  EXPECT_EQ(FromProtoTime(entries[0].origin_time()), now);  // clamped
  EXPECT_EQ(FromProtoTime(entries[1].time()), now);
  EXPECT_EQ(FromProtoTime(entries[1].origin_time()), now - absl::Minutes(5));
  EXPECT_EQ(FromProtoTime(entries[2].time()), now + absl::Seconds(7));
  EXPECT_EQ(FromProtoTime(entries[2].origin_time()), now + absl::Seconds(7));
  EXPECT_EQ(FromProtoTime(entries[3].time()), now + absl::Seconds(10));
  EXPECT_FALSE(entries[3].has_origin_time());
}

TEST_F(AuditInboxTest, RecordsAreIdempotentPerKey) {
  const std::string key(16, 'k');
  ASSERT_OK(inbox_->Record("internal/f", key, Entry("approve")));
  ASSERT_OK(inbox_->Record("internal/f", key, Entry("approve")));
  ASSERT_OK(inbox_->Record("internal/other", key, Entry("read")));
  EXPECT_THAT(inbox_->Record("internal/f", "short", Entry("approve")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("idempotency_key: must be 16..128 bytes")));
  EXPECT_THAT(inbox_->Record("internal/f", std::string(16, 'z'), Entry("")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "entry.action: must be 1..128 bytes"));
  EXPECT_THAT(Stored(), ElementsAre("0 approve #0", "1 read #0"));
}

}  // namespace
}  // namespace sentinel::audit
