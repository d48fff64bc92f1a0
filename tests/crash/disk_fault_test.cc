// A full disk and a failing device under the freeze and intake domains and
// the audit log, on a real RocksDB through PowerLossEnv's fault switches.
// Whatever the fault: every write call fails with an error naming the
// cause and stores nothing; reads and CheckAccounts keep answering from
// what was stored; everything acknowledged before is there exactly once
// afterwards, with an audit log that verifies.
//
// - A disk nearly full (less than kReservedDiskBytes free) is caught before
//   RocksDB writes, and writing goes on the moment space returns.
// - A write RocksDB itself fails (the disk filled faster than the check, or
//   the device fails) stops RocksDB's writes: until the process restarts
//   for a failing device (fatal to RocksDB 7.8's write path), and for a
//   full disk until RocksDB recovers on its own or the restart.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/rocks_database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/io_status.h"
#include "tests/crash/acknowledged_writes.h"
#include "tests/crash/power_loss_env.h"
#include "tests/crash/sentinel_process.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The workload's first three writes (freeze acct-1 for withdrawals, a P2
// report on acct-2, freeze acct-3 for logins) happen before the fault; the
// next two (an unfreeze request for acct-1, a P0 report on acct-4) are tried
// during it, then the rest after.
constexpr size_t kBeforeFault = 3;
constexpr size_t kDuringFault = 5;

class DiskFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    process_ = Open();
    ASSERT_NE(process_, nullptr);
    ack_ = StartRecord(*process_);
    for (size_t i = 0; i < kBeforeFault; ++i) {
      ASSERT_OK(Run(i)) << workload_[i].name;
    }
    // The audit indexer writes after each commit: let it finish, so that the
    // fault starts between writes rather than under one.
    ASSERT_OK(process_->audit_log().AwaitIndexed(process_->audit_log().size(),
                                                 absl::Seconds(30)));
  }

  std::unique_ptr<SentinelProcess> Open() {
    absl::StatusOr<std::unique_ptr<SentinelProcess>> process =
        SentinelProcess::Open(dir_.path(), disk_.env(), clock_);
    EXPECT_OK(process.status());
    return process.ok() ? *std::move(process) : nullptr;
  }

  absl::Status Run(size_t step) {
    return RunStep(workload_[step], *process_, ack_, clock_);
  }

  // Tries the writes meant for the fault twice each: every attempt must fail
  // with `code` and a message containing `cause`, storing nothing. Then
  // checks that reads still answer from what was stored.
  void ExpectWritesRefusedReadsServed(absl::StatusCode code,
                                      const std::string& cause) {
    const uint64_t audit_size = process_->audit_log().size();
    for (size_t i = kBeforeFault; i < kDuringFault; ++i) {
      for (int attempt = 0; attempt < 2; ++attempt) {
        const absl::Status refused = Run(i);
        EXPECT_EQ(refused.code(), code) << workload_[i].name << ": " << refused;
        EXPECT_THAT(refused.message(), HasSubstr(cause)) << workload_[i].name;
      }
    }
    EXPECT_EQ(process_->audit_log().size(), audit_size);
    EXPECT_FALSE(Allowed("acct-1", v1::FREEZE_SCOPE_WITHDRAW));
    EXPECT_FALSE(Allowed("acct-3", v1::FREEZE_SCOPE_LOGIN));
    EXPECT_TRUE(Allowed("acct-3", v1::FREEZE_SCOPE_WITHDRAW));
    EXPECT_TRUE(Allowed("acct-4", v1::FREEZE_SCOPE_WITHDRAW));
    v1::GetFreezeStateRequest request;
    request.set_account_id("acct-1");
    ASSERT_OK_AND_ASSIGN(v1::AccountFreezeState state,
                         process_->freezes().GetFreezeState(request));
    ASSERT_EQ(state.active_freezes_size(), 1);
    EXPECT_EQ(state.active_freezes(0).unfreeze_request_id(), "");
    v1::GetIncidentRequest incident;
    incident.set_incident_id(ack_.incidents.begin()->first);
    EXPECT_OK(process_->incidents().Get(incident).status());
  }

  // Runs the rest of the workload, then checks that every acknowledged write
  // is there exactly once, before and after a restart.
  void ExpectWritingGoesOn() {
    for (size_t i = kBeforeFault; i < workload_.size(); ++i) {
      ASSERT_OK(Run(i)) << workload_[i].name;
    }
    EXPECT_THAT(LostAcknowledgedWrites(*process_, ack_), IsEmpty());
    Restart();
    EXPECT_THAT(LostAcknowledgedWrites(*process_, ack_), IsEmpty());
  }

  void Restart() {
    process_.reset();
    process_ = Open();
    ASSERT_NE(process_, nullptr) << "reopening failed";
    EXPECT_THAT(LostAcknowledgedWrites(*process_, ack_), IsEmpty());
  }

  bool Allowed(const std::string& account, v1::FreezeScope action) {
    v1::CheckAccountsRequest request;
    request.add_account_ids(account);
    request.set_action(action);
    absl::StatusOr<v1::CheckAccountsResponse> response =
        process_->freezes().CheckAccounts(request);
    EXPECT_OK(response.status());
    return response.ok() && response->results(0).allowed();
  }

  const std::vector<Step> workload_ = Workload();
  FakeClock clock_;
  TempDir dir_;
  PowerLossEnv disk_;
  std::unique_ptr<SentinelProcess> process_;
  Acknowledged ack_;
};

// Less than the reserve free: refused before RocksDB writes anything (the
// injected failure would make any write that got through fail), and writing
// goes on as soon as space returns, without a restart.
TEST_F(DiskFaultTest, NearlyFullDiskRefusesWritesUntilSpaceReturns) {
  disk_.set_free_space(kReservedDiskBytes - 1);
  disk_.set_write_failure(rocksdb::IOStatus::NoSpace("injected: disk full"));
  ExpectWritesRefusedReadsServed(absl::StatusCode::kResourceExhausted,
                                 "is nearly full (255 MiB free; writes need "
                                 "256 MiB): free space and retry");

  disk_.set_write_failure(rocksdb::IOStatus::OK());
  disk_.set_free_space(kReservedDiskBytes);
  ExpectWritingGoesOn();
}

// The disk filled faster than the check: RocksDB's write fails. RocksDB
// then refuses writes until it recovers on its own once space returns (a
// background check) or, when it judged the failure fatal, until the
// restart; either way everything goes on after one.
TEST_F(DiskFaultTest, FullDiskUnderRocksDbRefusesWritesUntilRestart) {
  disk_.set_write_failure(rocksdb::IOStatus::NoSpace("injected: disk full"));
  ExpectWritesRefusedReadsServed(absl::StatusCode::kResourceExhausted,
                                 "injected: disk full");

  disk_.set_write_failure(rocksdb::IOStatus::OK());
  Restart();
  ExpectWritingGoesOn();
}

TEST_F(DiskFaultTest, FailingDeviceRefusesWritesUntilRestart) {
  disk_.set_write_failure(rocksdb::IOStatus::IOError("injected: EIO"));
  ExpectWritesRefusedReadsServed(absl::StatusCode::kUnavailable,
                                 "injected: EIO");

  disk_.set_write_failure(rocksdb::IOStatus::OK());
  const absl::Status still = Run(kBeforeFault);
  EXPECT_EQ(still.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(still.message(),
              HasSubstr("the database refuses writes until the server "
                        "restarts"));
  Restart();
  ExpectWritingGoesOn();
}

}  // namespace
}  // namespace sentinel::testing
