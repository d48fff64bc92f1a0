// Tests of the hash-chained audit log on a real RocksDB: ordering, atomicity
// with the caller's change, resumption, and detection of tampering.

#include "audit/hash_chain_audit_log.h"

#include "audit/sha256.h"

#include "absl/strings/str_cat.h"
#include "common/key_codec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::audit {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kOtherFamily[] = "other";

v1::AuditEntry Entry(const std::string& action) {
  v1::AuditEntry entry;
  entry.set_action(action);
  entry.set_principal("agent/alice");
  entry.mutable_subject()->set_account_id("acct-1");
  return entry;
}

class HashChainAuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    log_.reset();
    database_.reset();
    ASSERT_OK_AND_ASSIGN(database_,
                         RocksDatabase::Open(dir_.path() + "/db",
                                             {kAuditFamily, kOtherFamily}));
    ASSERT_OK_AND_ASSIGN(log_, HashChainAuditLog::Open(*database_));
  }

  AuditReceipt Append(const std::string& action, const std::string& key = "") {
    rocksdb::WriteBatch batch;
    if (!key.empty()) {
      EXPECT_TRUE(batch.Put(database_->Family(kOtherFamily), key, "v").ok());
    }
    absl::StatusOr<AuditReceipt> receipt =
        log_->CommitWithAudit(batch, Entry(action));
    EXPECT_TRUE(receipt.ok()) << receipt.status();
    return receipt.ok() ? *receipt : AuditReceipt{};
  }

  void Tamper(const std::string& key, const std::string& value) {
    ASSERT_TRUE(database_->db()
                    .Put(rocksdb::WriteOptions(),
                         database_->Family(kAuditFamily), key, value)
                    .ok());
  }

  sentinel::testing::TempDir dir_;
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<HashChainAuditLog> log_;
};

// Entries get consecutive sequence numbers, are committed with the caller's
// change, and read back with their hashes.
TEST_F(HashChainAuditLogTest, AppendsInOrderWithTheChange) {
  const AuditReceipt first = Append("A.First", "k1");
  const AuditReceipt second = Append("A.Second", "k2");
  EXPECT_EQ(first.seq, 0u);
  EXPECT_EQ(second.seq, 1u);
  EXPECT_EQ(first.entry_hash.size(), 32u);
  EXPECT_NE(first.entry_hash, second.entry_hash);
  ASSERT_OK_AND_ASSIGN(std::string value, database_->Get(kOtherFamily, "k2"));
  EXPECT_EQ(value, "v");

  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditEntry> entries, log_->Read(0, 10));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].seq(), 1u);
  EXPECT_EQ(entries[1].action(), "A.Second");
  EXPECT_EQ(entries[1].leaf_hash(), second.entry_hash);
  ASSERT_OK_AND_ASSIGN(uint64_t verified, log_->Verify());
  EXPECT_EQ(verified, 2u);
}

// After a restart the chain continues where it stopped.
TEST_F(HashChainAuditLogTest, ResumesAfterReopen) {
  Append("A.First");
  Open();
  EXPECT_EQ(log_->size(), 1u);
  EXPECT_EQ(Append("A.Second").seq, 1u);
  ASSERT_OK_AND_ASSIGN(uint64_t verified, log_->Verify());
  EXPECT_EQ(verified, 2u);
}

// Changing a stored entry's bytes is detected at that entry.
TEST_F(HashChainAuditLogTest, DetectsAlteredEntry) {
  Append("A.First");
  Append("A.Second");
  Append("A.Third");
  v1::AuditEntry forged = Entry("A.Forged");
  forged.set_seq(1);
  Tamper(KeyWithNumber("e", 1), forged.SerializeAsString());
  EXPECT_THAT(log_->Verify(),
              StatusIs(absl::StatusCode::kDataLoss,
                       "audit log: entry 1: hash does not match the stored bytes"));
}

// Removing an entry is detected as a gap.
TEST_F(HashChainAuditLogTest, DetectsRemovedEntry) {
  Append("A.First");
  Append("A.Second");
  Append("A.Third");
  ASSERT_TRUE(database_->db()
                  .Delete(rocksdb::WriteOptions(),
                          database_->Family(kAuditFamily), KeyWithNumber("e", 1))
                  .ok());
  EXPECT_THAT(log_->Verify(), StatusIs(absl::StatusCode::kDataLoss,
                                       HasSubstr("entry 1: missing")));
}

// Rewriting an entry together with its own hash still breaks the chain at
// the next entry.
TEST_F(HashChainAuditLogTest, DetectsRewrittenEntryAndHash) {
  Append("A.First");
  Append("A.Second");
  Append("A.Third");
  v1::AuditEntry forged = Entry("A.Forged");
  forged.set_seq(1);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditEntry> entries, log_->Read(0, 1));
  const std::string bytes = forged.SerializeAsString();
  Tamper(KeyWithNumber("e", 1), bytes);
  Tamper(KeyWithNumber("c", 1), Sha256({entries[0].leaf_hash(), bytes}));
  EXPECT_THAT(log_->Verify(),
              StatusIs(absl::StatusCode::kDataLoss,
                       "audit log: entry 2: hash does not match the stored bytes"));
}

}  // namespace
}  // namespace sentinel::audit
