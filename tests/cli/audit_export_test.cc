// Tests of WriteBundle: the bundle it writes verifies offline, it pages and
// reports progress as promised, and it refuses entries that are not the ones
// the checkpoint covers.
#include "cli/audit_export.h"

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "audit/checkpoint_note.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/audit_test_log.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Le;

constexpr char kName[] = "sentinel/audit";

class AuditExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        log_, testing::AuditTestLog::Create(dir_.path() + "/log.pem", kName));
  }

  // Writes the bundle of `checkpoint` with pages from `fetch` into bundle_.
  absl::Status Export(const v1::Checkpoint& checkpoint, FetchEntries fetch) {
    audit::BundleWriter writer(bundle_);
    return WriteBundle(checkpoint, fetch, writer, [this](uint64_t written) {
      progress_.push_back(written);
    });
  }

  // Pages from the test log, recording what was asked for.
  absl::StatusOr<v1::GetEntriesResponse> FromLog(uint64_t start, int32_t max) {
    asked_.push_back(max);
    return log_->Entries(start, max);
  }

  absl::StatusOr<audit::BundleReport> VerifyWritten() {
    absl::StatusOr<std::pair<std::string, audit::Ed25519PublicKey>> key =
        audit::ParseVerifierKey(log_->VerifierKeyText());
    if (!key.ok()) return key.status();
    std::istringstream in(bundle_.str());
    return audit::VerifyBundle(in, key->first, key->second, kName, nullptr);
  }

  sentinel::testing::TempDir dir_;
  std::unique_ptr<testing::AuditTestLog> log_;
  std::stringstream bundle_;
  std::vector<uint64_t> progress_;
  std::vector<int32_t> asked_;
};

TEST_F(AuditExportTest, WritesABundleThatVerifies) {
  log_->Append(2500);
  const v1::Checkpoint checkpoint = log_->Checkpoint();
  ASSERT_OK(Export(checkpoint, [this](uint64_t start, int32_t max) {
    return FromLog(start, max);
  }));
  ASSERT_OK_AND_ASSIGN(audit::BundleReport report, VerifyWritten());
  EXPECT_EQ(report.entries, 2500u);
  EXPECT_EQ(report.checkpoints, 1u);
  // Full pages, then only what the checkpoint still lacks.
  EXPECT_THAT(asked_, ElementsAre(1000, 1000, 500));
}

TEST_F(AuditExportTest, ReportsProgressEveryTenThousandEntries) {
  log_->Append(20001);
  ASSERT_OK(Export(log_->Checkpoint(), [this](uint64_t start, int32_t max) {
    return FromLog(start, max);
  }));
  EXPECT_THAT(progress_, ElementsAre(10000, 20000));
  EXPECT_THAT(asked_, Each(Le(kExportPageEntries)));
}

TEST_F(AuditExportTest, EmptyLogGivesJustTheCheckpoint) {
  const v1::Checkpoint checkpoint = log_->Checkpoint();
  ASSERT_OK(Export(checkpoint, [this](uint64_t start, int32_t max) {
    return FromLog(start, max);
  }));
  EXPECT_TRUE(asked_.empty());
  ASSERT_OK_AND_ASSIGN(audit::BundleReport report, VerifyWritten());
  EXPECT_EQ(report.entries, 0u);
}

TEST_F(AuditExportTest, StopsAtTheCheckpointWhenTheLogHasGrown) {
  log_->Append(3);
  const v1::Checkpoint checkpoint = log_->Checkpoint();
  log_->Append(4);  // committed after the checkpoint was read
  ASSERT_OK(Export(checkpoint, [this](uint64_t start, int32_t) {
    return FromLog(start, 1000);  // a server that returns more than asked
  }));
  ASSERT_OK_AND_ASSIGN(audit::BundleReport report, VerifyWritten());
  EXPECT_EQ(report.entries, 3u);
}

TEST_F(AuditExportTest, PassesOnFetchErrors) {
  log_->Append(3);
  EXPECT_THAT(
      Export(log_->Checkpoint(),
             [](uint64_t, int32_t) -> absl::StatusOr<v1::GetEntriesResponse> {
               return absl::DeadlineExceededError("too slow");
             }),
      StatusIs(absl::StatusCode::kDeadlineExceeded, "too slow"));
}

TEST_F(AuditExportTest, RefusesAShortLog) {
  log_->Append(3);
  EXPECT_THAT(
      Export(log_->Checkpoint(),
             [this](uint64_t start,
                    int32_t max) -> absl::StatusOr<v1::GetEntriesResponse> {
               if (start >= 2) return v1::GetEntriesResponse();
               return log_->Entries(start, std::min<int32_t>(max, 2 - start));
             }),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("no entries at 2")));
}

TEST_F(AuditExportTest, RefusesAGap) {
  log_->Append(3);
  EXPECT_THAT(Export(log_->Checkpoint(),
                     [this](uint64_t, int32_t) {
                       v1::GetEntriesResponse page = log_->Entries(0, 3);
                       page.mutable_entries()->erase(
                           page.mutable_entries()->begin() + 1);
                       return absl::StatusOr<v1::GetEntriesResponse>(page);
                     }),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("entry 2 where entry 1 belongs")));
}

TEST_F(AuditExportTest, RefusesEntriesThatDoNotHashToTheRoot) {
  log_->Append(3);
  EXPECT_THAT(
      Export(log_->Checkpoint(),
             [this](uint64_t start, int32_t max) {
               v1::GetEntriesResponse page = log_->Entries(start, max);
               page.mutable_entries(1)->mutable_stored_bytes()->append("x");
               return absl::StatusOr<v1::GetEntriesResponse>(page);
             }),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr("not to the checkpoint's root")));
}

}  // namespace
}  // namespace sentinel::cli
