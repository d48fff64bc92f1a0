// Power loss against the freeze and intake domains and the audit log, on a
// real RocksDB through PowerLossEnv: every write a client saw acknowledged
// must be there after the power comes back, exactly once, and the audit log
// must still verify and contain every checkpoint a client saw. The last test
// turns syncing off to show that this check fails when a sync is missing.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/crash/acknowledged_writes.h"
#include "tests/crash/power_loss_env.h"
#include "tests/crash/sentinel_process.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class PowerLossTest : public ::testing::Test {
 protected:
  // Opens the process on `dir_`, failing the test if it cannot.
  std::unique_ptr<SentinelProcess> Open() {
    absl::StatusOr<std::unique_ptr<SentinelProcess>> process =
        SentinelProcess::Open(dir_->path(), power_->env(), clock_);
    EXPECT_OK(process.status());
    return process.ok() ? *std::move(process) : nullptr;
  }

  // Cuts the power under `process`, lets it die, keeps only what was durable
  // and turns the power back on.
  PowerLossReport PowerLoss(std::unique_ptr<SentinelProcess> process) {
    power_->Crash();
    process.reset();
    absl::StatusOr<PowerLossReport> report = power_->DropUnsyncedData();
    EXPECT_OK(report.status());
    power_->Restart();
    return report.ok() ? *report : PowerLossReport();
  }

  // A new directory and disk, for a new scenario.
  void Reset() {
    power_.reset();
    dir_ = std::make_unique<TempDir>();
    power_ = std::make_unique<PowerLossEnv>();
  }

  FakeClock clock_;
  std::unique_ptr<TempDir> dir_ = std::make_unique<TempDir>();
  std::unique_ptr<PowerLossEnv> power_ = std::make_unique<PowerLossEnv>();
};

// The power fails after each number of acknowledged writes in turn, on a
// fresh database each time.
TEST_F(PowerLossTest, AcknowledgedWritesSurvive) {
  const std::vector<Step> workload = Workload();
  for (size_t crash_after = 0; crash_after <= workload.size(); ++crash_after) {
    SCOPED_TRACE(
        absl::StrCat("power lost after ", crash_after, " acknowledged writes"));
    Reset();
    std::unique_ptr<SentinelProcess> process = Open();
    ASSERT_NE(process, nullptr);
    Acknowledged ack = StartRecord(*process);
    for (size_t i = 0; i < crash_after; ++i) {
      ASSERT_OK(RunStep(workload[i], *process, ack, clock_))
          << workload[i].name;
    }

    PowerLoss(std::move(process));

    process = Open();
    ASSERT_NE(process, nullptr) << "reopening after the power loss failed";
    EXPECT_THAT(LostAcknowledgedWrites(*process, ack), IsEmpty());
  }
}

// The power fails after every acknowledged write, on one database that
// recovers each time and carries on: recovery's own writes (the WAL replayed
// into tables, a new MANIFEST, the re-derived audit indexes) must be durable
// too.
TEST_F(PowerLossTest, AcknowledgedWritesSurviveRepeatedPowerLoss) {
  std::unique_ptr<SentinelProcess> process = Open();
  ASSERT_NE(process, nullptr);
  Acknowledged ack = StartRecord(*process);
  for (const Step& step : Workload()) {
    SCOPED_TRACE(absl::StrCat("power lost after: ", step.name));
    ASSERT_OK(RunStep(step, *process, ack, clock_));

    PowerLoss(std::move(process));

    process = Open();
    ASSERT_NE(process, nullptr) << "reopening after the power loss failed";
    EXPECT_THAT(LostAcknowledgedWrites(*process, ack), IsEmpty());
  }
}

// The same scenario with syncing switched off once the database exists (as if
// WriteDurably forgot WriteOptions::sync, or the disk ignored flushes): the
// writes are still acknowledged, and the power loss takes them. The check
// that passes above must fail here, or it could not catch that bug.
TEST_F(PowerLossTest, MissingSyncIsCaught) {
  std::unique_ptr<SentinelProcess> process = Open();
  ASSERT_NE(process, nullptr);
  power_->set_ignore_syncs(true);
  Acknowledged ack = StartRecord(*process);
  for (const Step& step : Workload()) {
    ASSERT_OK(RunStep(step, *process, ack, clock_)) << step.name;
  }

  const PowerLossReport lost = PowerLoss(std::move(process));
  power_->set_ignore_syncs(false);

  EXPECT_GT(lost.bytes_dropped, 0u);
  process = Open();
  ASSERT_NE(process, nullptr);
  const std::vector<std::string> problems =
      LostAcknowledgedWrites(*process, ack);
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("acknowledged freeze"),
                                       HasSubstr("is missing"))));
  EXPECT_THAT(problems, Contains(HasSubstr("audit log")));
}

}  // namespace
}  // namespace sentinel::testing
