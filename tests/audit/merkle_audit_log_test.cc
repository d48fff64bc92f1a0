// Tests of the Merkle audit log on a real RocksDB: group-committed appends,
// signed checkpoints, proofs, queries, the start-up check, and tamper cases.

#include "audit/merkle_audit_log.h"

#include <filesystem>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_reader.h"
#include "audit/log_verifier.h"
#include "common/key_codec.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::audit {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kDomainFamily[] = "domain";

v1::AuditEntry Entry(const std::string& account, const std::string& principal,
                     const std::string& action, int64_t unix_seconds = 0) {
  v1::AuditEntry entry;
  entry.set_principal(principal);
  entry.set_action(action);
  entry.mutable_subject()->set_account_id(account);
  *entry.mutable_time() = ToProtoTime(absl::FromUnixSeconds(unix_seconds));
  return entry;
}

class MerkleAuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { Close(); }

  std::string db_path() const { return dir_.path() + "/db"; }
  std::string key_path() const { return dir_.path() + "/key.pem"; }
  std::string published_path() const { return dir_.path() + "/published"; }

  absl::Status TryOpen(AuditLogOptions options = {}) {
    Close();
    absl::StatusOr<std::unique_ptr<RocksDatabase>> database =
        RocksDatabase::Open(db_path(), {kAuditFamily, kDomainFamily});
    if (!database.ok()) return database.status();
    database_ = *std::move(database);
    absl::StatusOr<Ed25519PrivateKey> key =
        Ed25519PrivateKey::LoadOrCreate(key_path());
    if (!key.ok()) return key.status();
    options.published_checkpoint_path = published_path();
    options.publish_interval = absl::ZeroDuration();
    absl::StatusOr<std::unique_ptr<MerkleAuditLog>> log =
        MerkleAuditLog::Open(*database_, *std::move(key), options);
    if (!log.ok()) return log.status();
    log_ = *std::move(log);
    reader_ = std::make_unique<AuditReader>(*database_);
    return absl::OkStatus();
  }

  void Open(AuditLogOptions options = {}) { ASSERT_OK(TryOpen(options)); }

  void Close() {
    reader_.reset();
    log_.reset();
    database_.reset();
  }

  AuditReceipt Append(v1::AuditEntry entry,
                      const std::string& domain_key = "") {
    rocksdb::WriteBatch batch;
    if (!domain_key.empty()) {
      EXPECT_TRUE(
          batch.Put(database_->Family(kDomainFamily), domain_key, "v").ok());
    }
    absl::StatusOr<AuditReceipt> receipt =
        log_->CommitWithAudit(batch, std::move(entry), CommitUrgency::kNormal,
                              AuditRule::kProtective);
    EXPECT_TRUE(receipt.ok()) << receipt.status();
    return receipt.ok() ? *receipt : AuditReceipt{};
  }

  void AppendMany(int count) {
    for (int i = 0; i < count; ++i) {
      Append(Entry(absl::StrCat("acct-", i % 3), "agent/alice", "Test.Append"));
    }
  }

  // Writes raw bytes under `key`, as an administrator with the files could.
  void Tamper(const std::string& key, const std::string& value) {
    ASSERT_TRUE(database_->db()
                    .Put(rocksdb::WriteOptions(),
                         database_->Family(kAuditFamily), key, value)
                    .ok());
  }
  void Remove(const std::string& key) {
    ASSERT_TRUE(database_->db()
                    .Delete(rocksdb::WriteOptions(),
                            database_->Family(kAuditFamily), key)
                    .ok());
  }

  // The offline verifier's full check of the current database.
  absl::Status VerifyOffline() {
    absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Load(key_path());
    if (!key.ok()) return key.status();
    absl::StatusOr<Ed25519PublicKey> public_key =
        Ed25519PublicKey::FromRaw(key->PublicKey());
    if (!public_key.ok()) return public_key.status();
    StoredLogCheck check;
    check.all_checkpoints = true;
    check.all_nodes = true;
    return CheckStoredLog(*database_, *public_key, "sentinel/audit", check)
        .status();
  }

  // Closes the log and reopens only the database, for tampering.
  void CloseLogKeepDatabase() {
    reader_.reset();
    log_.reset();
  }

  sentinel::testing::TempDir dir_;
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<MerkleAuditLog> log_;
  std::unique_ptr<AuditReader> reader_;
};

// Concurrent appenders get distinct, contiguous sequence numbers; each change
// is stored with its entry; every entry is provable against the checkpoint.
TEST_F(MerkleAuditLogTest, ConcurrentAppendsAreContiguousAndProvable) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 20;
  std::vector<std::thread> threads;
  absl::Mutex mu;
  std::set<uint64_t> seqs;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string key = absl::StrCat("k", t, "-", i);
        AuditReceipt receipt = Append(
            Entry(absl::StrCat("acct-", t), "agent/alice", "Test.Append"), key);
        absl::MutexLock lock(&mu);
        seqs.insert(receipt.seq);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  constexpr uint64_t kTotal = kThreads * kPerThread;
  ASSERT_EQ(seqs.size(), kTotal);
  EXPECT_EQ(*seqs.rbegin(), kTotal - 1);
  EXPECT_EQ(log_->size(), kTotal);
  ASSERT_OK_AND_ASSIGN(std::string value,
                       database_->Get(kDomainFamily, "k7-19"));
  EXPECT_EQ(value, "v");

  const SignedCheckpoint latest = log_->latest_checkpoint();
  EXPECT_EQ(latest.checkpoint.size, kTotal);
  ASSERT_OK_AND_ASSIGN(Checkpoint opened,
                       OpenCheckpoint(latest.note, "sentinel/audit",
                                      log_->public_key(), "sentinel/audit"));
  EXPECT_EQ(opened, latest.checkpoint);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditEntry> entries,
                       reader_->ReadEntries(0, kTotal, log_->size()));
  ASSERT_EQ(entries.size(), kTotal);
  for (const v1::AuditEntry& entry : entries) {
    EXPECT_EQ(entry.leaf_hash(), LeafHash(entry.stored_bytes()));
    ASSERT_OK_AND_ASSIGN(v1::InclusionProof proof,
                         reader_->InclusionProof(entry.seq(), kTotal, kTotal));
    std::vector<std::string> hashes(proof.hashes().begin(),
                                    proof.hashes().end());
    EXPECT_OK(VerifyInclusion(entry.seq(), kTotal, entry.leaf_hash(), hashes,
                              latest.checkpoint.root_hash));
  }
  EXPECT_OK(VerifyOffline());
}

// With one entry per batch, every entry gets its own signed checkpoint, and
// consecutive checkpoints are provably consistent.
TEST_F(MerkleAuditLogTest, CheckpointsAreConsistent) {
  AuditLogOptions options;
  options.max_batch_entries = 1;
  Open(options);
  AppendMany(9);
  ASSERT_OK_AND_ASSIGN(std::string at_4, reader_->CheckpointAt(4));
  ASSERT_OK_AND_ASSIGN(Checkpoint old_checkpoint,
                       OpenCheckpoint(at_4, "sentinel/audit",
                                      log_->public_key(), "sentinel/audit"));
  const Checkpoint newest = log_->latest_checkpoint().checkpoint;
  ASSERT_OK_AND_ASSIGN(v1::ConsistencyProof proof,
                       reader_->ConsistencyProof(4, 9, log_->size()));
  std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
  EXPECT_OK(VerifyConsistency(4, 9, old_checkpoint.root_hash, newest.root_hash,
                              hashes));
  EXPECT_THAT(
      reader_->ConsistencyProof(4, 10, log_->size()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "new_size: 10 is beyond the newest checkpoint's size 9"));
  EXPECT_THAT(reader_->InclusionProof(9, 9, log_->size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "seq: 9 is not in a tree of 9 entries"));
  EXPECT_THAT(reader_->CheckpointAt(100),
              StatusIs(absl::StatusCode::kNotFound,
                       "tree_size: no checkpoint was signed at size 100"));
}

// Index keys lost in a crash (written after the batch's synced write) are
// re-derived at start-up.
TEST_F(MerkleAuditLogTest, RebuildsLostIndexKeysAtStart) {
  Append(Entry("acct-1", "agent/alice", "Test.Append"));
  ASSERT_OK(log_->AwaitIndexed(1, absl::Seconds(10)));
  CloseLogKeepDatabase();
  Remove(IndexKey(kSubjectIndex, "acct-1", 0));
  Remove(kIndexedSizeKey);
  Open();
  v1::QueryAuditRequest query;
  query.set_subject("acct-1");
  ASSERT_OK_AND_ASSIGN(v1::QueryAuditResponse found,
                       reader_->Query(query, log_->size()));
  ASSERT_EQ(found.entries_size(), 1);
  EXPECT_EQ(found.entries(0).seq(), 0u);
}

// The log resumes after a restart and its start-up check passes.
TEST_F(MerkleAuditLogTest, ResumesAfterRestart) {
  AppendMany(5);
  Open();
  EXPECT_EQ(log_->size(), 5u);
  EXPECT_EQ(Append(Entry("acct-9", "agent/alice", "Test.Append")).seq, 5u);
  EXPECT_OK(VerifyOffline());
}

// Queries use the subject, actor and action indexes and time ranges, and
// page with a token.
TEST_F(MerkleAuditLogTest, QueriesByIndexAndTime) {
  Append(Entry("acct-1", "agent/alice", "FreezeService.FreezeAccount", 100));
  Append(Entry("acct-2", "agent/alice", "FreezeService.FreezeAccount", 200));
  Append(Entry("acct-1", "security/bob", "FreezeService.ApproveUnfreeze", 300));
  Append(Entry("acct-1", "agent/carol", "FreezeService.RequestUnfreeze", 400));
  ASSERT_OK(log_->AwaitIndexed(4, absl::Seconds(10)));

  v1::QueryAuditRequest by_subject;
  by_subject.set_subject("acct-1");
  by_subject.set_page_size(2);
  ASSERT_OK_AND_ASSIGN(v1::QueryAuditResponse first,
                       reader_->Query(by_subject, log_->size()));
  ASSERT_EQ(first.entries_size(), 2);
  EXPECT_EQ(first.entries(0).seq(), 0u);
  EXPECT_EQ(first.entries(1).seq(), 2u);
  ASSERT_FALSE(first.next_page_token().empty());
  by_subject.set_page_token(first.next_page_token());
  ASSERT_OK_AND_ASSIGN(v1::QueryAuditResponse second,
                       reader_->Query(by_subject, log_->size()));
  ASSERT_EQ(second.entries_size(), 1);
  EXPECT_EQ(second.entries(0).seq(), 3u);
  EXPECT_EQ(second.next_page_token(), "");

  v1::QueryAuditRequest by_actor_and_subject;
  by_actor_and_subject.set_actor("agent/alice");
  by_actor_and_subject.set_subject("acct-1");
  ASSERT_OK_AND_ASSIGN(v1::QueryAuditResponse both,
                       reader_->Query(by_actor_and_subject, log_->size()));
  ASSERT_EQ(both.entries_size(), 1);
  EXPECT_EQ(both.entries(0).seq(), 0u);

  v1::QueryAuditRequest by_time;
  *by_time.mutable_since() = ToProtoTime(absl::FromUnixSeconds(200));
  *by_time.mutable_until() = ToProtoTime(absl::FromUnixSeconds(400));
  ASSERT_OK_AND_ASSIGN(v1::QueryAuditResponse window,
                       reader_->Query(by_time, log_->size()));
  ASSERT_EQ(window.entries_size(), 2);
  EXPECT_EQ(window.entries(0).seq(), 1u);
  EXPECT_EQ(window.entries(1).seq(), 2u);

  v1::QueryAuditRequest by_action;
  by_action.set_action("FreezeService.FreezeAccount");
  ASSERT_OK_AND_ASSIGN(v1::QueryAuditResponse actions,
                       reader_->Query(by_action, log_->size()));
  EXPECT_EQ(actions.entries_size(), 2);

  v1::QueryAuditRequest bad;
  bad.set_subject(std::string(129, 's'));
  EXPECT_THAT(reader_->Query(bad, log_->size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "subject: 129 bytes, longer than the limit of 128"));
  bad.Clear();
  bad.set_page_size(1001);
  EXPECT_THAT(reader_->Query(bad, log_->size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "page_size: 1001 is outside 0..1000"));
  bad.Clear();
  bad.set_page_token("garbage");
  EXPECT_THAT(reader_->Query(bad, log_->size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("page_token: malformed")));
}

// Entry times never go backwards along the log, whatever callers send.
TEST_F(MerkleAuditLogTest, TimesNeverDecrease) {
  Append(Entry("acct-1", "agent/alice", "Test.Append", 500));
  Append(Entry("acct-1", "agent/alice", "Test.Append", 400));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditEntry> entries,
                       reader_->ReadEntries(0, 10, log_->size()));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].time().seconds(), 500);
}

// Changing one byte of a stored entry is caught.
TEST_F(MerkleAuditLogTest, DetectsAlteredByte) {
  AppendMany(5);
  CloseLogKeepDatabase();
  ASSERT_OK_AND_ASSIGN(std::string bytes,
                       database_->Get(kAuditFamily, EntryKey(2)));
  bytes[bytes.size() - 1] ^= 0x01;
  Tamper(EntryKey(2), bytes);
  EXPECT_THAT(VerifyOffline(),
              StatusIs(absl::StatusCode::kDataLoss,
                       "stored checkpoint 3 of size 3: its root differs from "
                       "the root recomputed from the stored entries (entries "
                       "altered, removed or reordered)"));
  EXPECT_THAT(TryOpen(),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("refusing to start: tree node (level 1, "
                                 "index 1) differs")));
  // Without the stored tree to compare against, the signed root catches it.
  ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey key,
                       Ed25519PrivateKey::Load(key_path()));
  ASSERT_OK_AND_ASSIGN(Ed25519PublicKey public_key,
                       Ed25519PublicKey::FromRaw(key.PublicKey()));
  EXPECT_THAT(CheckStoredLog(*database_, public_key, "sentinel/audit", {}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("root differs")));
}

// Deleting an entry is caught as a gap.
TEST_F(MerkleAuditLogTest, DetectsDeletedEntry) {
  AppendMany(5);
  CloseLogKeepDatabase();
  Remove(EntryKey(1));
  EXPECT_THAT(VerifyOffline(),
              StatusIs(absl::StatusCode::kDataLoss,
                       "entry 1 is missing: the next stored entry is 2"));
  EXPECT_THAT(TryOpen(), StatusIs(absl::StatusCode::kDataLoss,
                                  HasSubstr("entry 1 is missing")));
}

// Deleting the newest entries (and leaving the checkpoint) is caught.
TEST_F(MerkleAuditLogTest, DetectsTruncatedTail) {
  AppendMany(5);
  CloseLogKeepDatabase();
  Remove(EntryKey(4));
  EXPECT_THAT(VerifyOffline(),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("covers more entries than the 4 stored")));
}

// Swapping two entries is caught.
TEST_F(MerkleAuditLogTest, DetectsSwappedEntries) {
  AppendMany(5);
  CloseLogKeepDatabase();
  ASSERT_OK_AND_ASSIGN(std::string one,
                       database_->Get(kAuditFamily, EntryKey(1)));
  ASSERT_OK_AND_ASSIGN(std::string three,
                       database_->Get(kAuditFamily, EntryKey(3)));
  Tamper(EntryKey(1), three);
  Tamper(EntryKey(3), one);
  EXPECT_THAT(VerifyOffline(),
              StatusIs(absl::StatusCode::kDataLoss,
                       "entry 1: stored bytes are those of entry 3 (entries "
                       "moved or swapped)"));
  EXPECT_THAT(TryOpen(), StatusIs(absl::StatusCode::kDataLoss,
                                  HasSubstr("entries moved or swapped")));
}

// A checkpoint signed with another key is caught.
TEST_F(MerkleAuditLogTest, DetectsForgedCheckpoint) {
  AppendMany(3);
  const Checkpoint newest = log_->latest_checkpoint().checkpoint;
  CloseLogKeepDatabase();
  ASSERT_OK_AND_ASSIGN(
      Ed25519PrivateKey other,
      Ed25519PrivateKey::LoadOrCreate(dir_.path() + "/other.pem"));
  Tamper(CheckpointKey(newest.size),
         SignCheckpoint(newest, "sentinel/audit", other));
  EXPECT_THAT(VerifyOffline(),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("stored checkpoint 3: checkpoint:")));
  EXPECT_THAT(TryOpen(), StatusIs(absl::StatusCode::kDataLoss,
                                  HasSubstr("refusing to start")));
}

// Tampering with a stored tree node (which proofs are served from) is caught.
TEST_F(MerkleAuditLogTest, DetectsAlteredTreeNode) {
  AppendMany(4);
  CloseLogKeepDatabase();
  Tamper(NodeKey(1, 1), std::string(32, 'x'));
  EXPECT_THAT(VerifyOffline(),
              StatusIs(absl::StatusCode::kDataLoss,
                       "tree node (level 1, index 1) differs from the hash of "
                       "the stored entries"));
  EXPECT_THAT(TryOpen(), StatusIs(absl::StatusCode::kDataLoss,
                                  HasSubstr("tree node (level 1, index 1)")));
}

// Restoring an older copy of the database is caught against the published
// checkpoint, at start-up and by the verifier given that checkpoint.
TEST_F(MerkleAuditLogTest, DetectsRollbackToOlderCopy) {
  AppendMany(3);
  Close();
  const std::string backup = dir_.path() + "/backup";
  std::filesystem::copy(db_path(), backup,
                        std::filesystem::copy_options::recursive);
  Open();
  AppendMany(2);
  const std::string published = log_->latest_checkpoint().note;
  Close();
  std::filesystem::remove_all(db_path());
  std::filesystem::rename(backup, db_path());

  EXPECT_THAT(
      TryOpen(),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr("the log was rolled back: a checkpoint of size "
                         "5 was published, but only 3 entries are stored")));
  ASSERT_OK_AND_ASSIGN(auto database, RocksDatabase::OpenReadOnly(db_path()));
  ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey key,
                       Ed25519PrivateKey::Load(key_path()));
  ASSERT_OK_AND_ASSIGN(Ed25519PublicKey public_key,
                       Ed25519PublicKey::FromRaw(key.PublicKey()));
  StoredLogCheck check;
  check.trusted_checkpoint = published;
  EXPECT_THAT(CheckStoredLog(*database, public_key, "sentinel/audit", check),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("rolled back")));
}

// Query filters are what the indexes hold: an identifier, a principal, an
// action. A subject with a NUL byte and trailing bytes is refused (it used
// to be stored as the subject of the entry recording the query, and its
// index key ended every later scan for the account with no next page).
TEST_F(MerkleAuditLogTest, QueryFiltersMustBeWellFormed) {
  v1::QueryAuditRequest query;
  query.set_subject(std::string("acct-1\0zz", 9));
  EXPECT_THAT(
      reader_->Query(query, log_->size()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("subject: ")));
  query.Clear();
  query.set_actor("nobody");
  EXPECT_THAT(reader_->Query(query, log_->size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("actor: principal must have the form")));
  query.Clear();
  query.set_action(std::string("Freeze\0", 7));
  EXPECT_THAT(reader_->Query(query, log_->size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "action: must have the form <Service>.<Method>, "
                       "letters and dots only"));
}

// A stored key can never cut an index scan short: an entry whose subject
// holds a NUL byte is not indexed under it, and a stray key under an
// account's prefix (written by hand here) is stepped over.
TEST_F(MerkleAuditLogTest, StoredKeysCannotEndAScan) {
  Append(Entry("acct-1", "agent/alice", "Test.Append"));
  Append(Entry(std::string("acct-1\0zz", 9), "agent/mallory", "Test.Append"));
  // Sorts between the keys of entries 1 and 2 and is no "<prefix><seq>".
  Tamper(KeyWithNumber(IndexPrefix(kSubjectIndex, "acct-1"), 1) + "x", "");
  Append(Entry("acct-1", "agent/alice", "Test.Append"));
  ASSERT_OK(log_->AwaitIndexed(log_->size(), absl::Seconds(5)));

  v1::QueryAuditRequest query;
  query.set_subject("acct-1");
  ASSERT_OK_AND_ASSIGN(v1::QueryAuditResponse found,
                       reader_->Query(query, log_->size()));
  ASSERT_EQ(found.entries_size(), 2);
  EXPECT_EQ(found.entries(0).seq(), 0u);
  EXPECT_EQ(found.entries(1).seq(), 2u);
  EXPECT_EQ(found.next_page_token(), "");
}

// An entry about several accounts is found by a search for any of them,
// once each.
TEST_F(MerkleAuditLogTest, AnEntryAboutSeveralAccountsIsFoundUnderEach) {
  v1::AuditEntry several = Entry("acct-1", "security/sam", "Test.Mark");
  several.mutable_subject()->add_other_account_ids("acct-2");
  several.mutable_subject()->add_other_account_ids("acct-1");
  Append(several);
  Append(Entry("acct-3", "agent/alice", "Test.Append"));
  ASSERT_OK(log_->AwaitIndexed(log_->size(), absl::Seconds(5)));

  for (const std::string account : {"acct-1", "acct-2"}) {
    v1::QueryAuditRequest query;
    query.set_subject(account);
    ASSERT_OK_AND_ASSIGN(v1::QueryAuditResponse found,
                         reader_->Query(query, log_->size()));
    ASSERT_EQ(found.entries_size(), 1) << account;
    EXPECT_EQ(found.entries(0).seq(), 0u);
    EXPECT_EQ(found.entries(0).action(), "Test.Mark");
  }
}

}  // namespace
}  // namespace sentinel::audit
