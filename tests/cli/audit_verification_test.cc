// Tests of sentinelctl's local checks: reading --vkey, verifying checkpoints
// and building and verifying receipts, against a signed in-memory log.
#include "cli/audit_verification.h"

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/audit_test_log.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kName[] = "sentinel/audit";

class AuditVerificationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        log_, testing::AuditTestLog::Create(dir_.path() + "/log.pem", kName));
    ASSERT_OK_AND_ASSIGN(other_log_, testing::AuditTestLog::Create(
                                         dir_.path() + "/other.pem", kName));
    log_->Append(5);
    other_log_->Append(5);
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = absl::StrCat(dir_.path(), "/", name);
    std::ofstream(path) << text;
    return path;
  }

  VerifierKey Key(const testing::AuditTestLog& log) {
    absl::StatusOr<VerifierKey> key = ReadVerifierKey(log.VerifierKeyText());
    EXPECT_TRUE(key.ok()) << key.status();
    return *std::move(key);
  }

  sentinel::testing::TempDir dir_;
  std::unique_ptr<testing::AuditTestLog> log_;
  // Same name, another key: what a forged or wrong vkey looks like.
  std::unique_ptr<testing::AuditTestLog> other_log_;
};

TEST_F(AuditVerificationTest, ReadsKeyText) {
  ASSERT_OK_AND_ASSIGN(VerifierKey key,
                       ReadVerifierKey(log_->VerifierKeyText()));
  EXPECT_EQ(key.name, kName);
}

TEST_F(AuditVerificationTest, ReadsFirstLineOfKeyFile) {
  const std::string path = WriteFile(
      "audit.vkey", absl::StrCat(log_->VerifierKeyText(), "\nignored\n"));
  ASSERT_OK_AND_ASSIGN(VerifierKey key, ReadVerifierKey(path));
  EXPECT_EQ(key.name, kName);
  EXPECT_EQ(key.key.raw(), Key(*log_).key.raw());
}

TEST_F(AuditVerificationTest, IgnoresSpacesAroundKey) {
  const std::string path = WriteFile(
      "spaced.vkey", absl::StrCat("  ", log_->VerifierKeyText(), " \r\n"));
  EXPECT_OK(ReadVerifierKey(path));
}

TEST_F(AuditVerificationTest, MissingFileThatIsNotAKeyNamesBoth) {
  EXPECT_THAT(
      ReadVerifierKey(dir_.path() + "/no-such.vkey"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no file named")));
}

TEST_F(AuditVerificationTest, RefusesFileThatIsNotAKey) {
  const std::string path = WriteFile("bad.vkey", "not a key\n");
  EXPECT_THAT(ReadVerifierKey(path),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(path)));
}

TEST_F(AuditVerificationTest, RefusesEmptyFileEmptyValueAndDirectory) {
  EXPECT_THAT(
      ReadVerifierKey(WriteFile("empty.vkey", "")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--vkey")));
  EXPECT_THAT(ReadVerifierKey(""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(
      ReadVerifierKey(dir_.path()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("directory")));
}

TEST_F(AuditVerificationTest, VerifiesCheckpoint) {
  ASSERT_OK_AND_ASSIGN(audit::Checkpoint checkpoint,
                       VerifyCheckpoint(log_->Checkpoint(), Key(*log_)));
  EXPECT_EQ(checkpoint.size, 5u);
  EXPECT_EQ(checkpoint.origin, kName);
}

TEST_F(AuditVerificationTest, RefusesCheckpointSignedByAnotherKey) {
  EXPECT_THAT(VerifyCheckpoint(log_->Checkpoint(), Key(*other_log_)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(kName)));
}

TEST_F(AuditVerificationTest, RefusesMessageThatDiffersFromItsNote) {
  v1::Checkpoint checkpoint = log_->Checkpoint();
  checkpoint.set_tree_size(4);
  EXPECT_THAT(VerifyCheckpoint(checkpoint, Key(*log_)),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("its signed note says size 5")));
  checkpoint = log_->Checkpoint();
  checkpoint.set_root_hash(std::string(32, 'x'));
  EXPECT_THAT(VerifyCheckpoint(checkpoint, Key(*log_)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("root")));
}

TEST_F(AuditVerificationTest, ProvesEveryEntry) {
  const v1::Checkpoint checkpoint = log_->Checkpoint();
  for (uint64_t seq = 0; seq < log_->size(); ++seq) {
    ASSERT_OK_AND_ASSIGN(ProvenEntry proven,
                         ProveEntry(seq, checkpoint, log_->entry(seq),
                                    log_->Proof(seq, 5), Key(*log_)));
    EXPECT_EQ(proven.verified.seq, seq);
    EXPECT_EQ(proven.verified.entry.subject().account_id(),
              absl::StrCat("acct-", seq));
    EXPECT_EQ(proven.verified.checkpoint.size, 5u);
    EXPECT_THAT(proven.receipt, HasSubstr(checkpoint.note()));
    EXPECT_THAT(proven.receipt, HasSubstr(absl::StrCat("index ", seq, "\n")));
  }
}

TEST_F(AuditVerificationTest, ProofFailsWithAnotherKey) {
  EXPECT_THAT(
      ProveEntry(0, log_->Checkpoint(), log_->entry(0), log_->Proof(0, 5),
                 Key(*other_log_)),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("no signature by")));
}

TEST_F(AuditVerificationTest, ProofFailsForTamperedEntry) {
  v1::AuditEntry entry = log_->entry(2);
  std::string bytes = entry.stored_bytes();
  bytes.back() ^= 1;
  entry.set_stored_bytes(bytes);
  EXPECT_THAT(
      ProveEntry(2, log_->Checkpoint(), entry, log_->Proof(2, 5), Key(*log_)),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr("not proven by this checkpoint")));
}

TEST_F(AuditVerificationTest, ProofFailsForAnotherEntrysProof) {
  EXPECT_THAT(ProveEntry(
                  2, log_->Checkpoint(), log_->entry(2),
                  [&] {
                    v1::InclusionProof proof = log_->Proof(3, 5);
                    proof.set_seq(2);
                    return proof;
                  }(),
                  Key(*log_)),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("not proven by this checkpoint")));
}

TEST_F(AuditVerificationTest, ProofRefusesCheckpointMessageUnlikeItsNote) {
  v1::Checkpoint checkpoint = log_->Checkpoint();
  checkpoint.set_root_hash(std::string(32, 'x'));
  EXPECT_THAT(
      ProveEntry(0, checkpoint, log_->entry(0), log_->Proof(0, 5), Key(*log_)),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr("its signed note says root")));
}

TEST_F(AuditVerificationTest, RefusesAnswersForOtherPositions) {
  const v1::Checkpoint checkpoint = log_->Checkpoint();
  EXPECT_THAT(
      ProveEntry(1, checkpoint, log_->entry(2), log_->Proof(1, 5), Key(*log_)),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr("returned entry 2 when asked for 1")));
  EXPECT_THAT(
      ProveEntry(1, checkpoint, log_->entry(1), log_->Proof(1, 4), Key(*log_)),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("tree of 4")));
}

}  // namespace
}  // namespace sentinel::cli
