// FreezeGuard against the real server (SentinelServer over mutual TLS with
// the development PKI), with a fake clock for staleness and cooling-off.

#include "client/freeze_guard.h"

#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/test_server.h"
#include "tests/testing/fake_clock.h"

namespace sentinel::client {
namespace {

using ::sentinel::testing::FakeClock;
using ::sentinel::testing::TestContext;
using ::sentinel::testing::TestServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr absl::Duration kWait = absl::Seconds(20);
constexpr absl::Duration kMaxStaleness = absl::Seconds(2);

class FreezeGuardTest : public ::testing::Test {
 protected:
  explicit FreezeGuardTest(absl::Duration cooling_off = absl::Hours(24))
      : server_(cooling_off), clock_(absl::Now()) {}

  // A guard of the withdrawal engine (role internal), reconnecting fast.
  std::unique_ptr<FreezeGuard> StartGuard() {
    FreezeGuardOptions options;
    options.connection = server_.ConnectionAs(v1::ROLE_INTERNAL);
    options.max_staleness = kMaxStaleness;
    options.heartbeat_interval = absl::Milliseconds(100);
    options.reconnect = {.initial = absl::Milliseconds(10),
                         .max = absl::Milliseconds(200)};
    absl::StatusOr<std::unique_ptr<FreezeGuard>> guard =
        FreezeGuard::Start(options, clock_);
    EXPECT_TRUE(guard.ok()) << guard.status();
    return guard.ok() ? *std::move(guard) : nullptr;
  }

  // Freezes `account` as agent/dev-agent.
  v1::FreezeRecord Freeze(const std::string& account,
                          std::initializer_list<v1::FreezeScope> scopes) {
    v1::FreezeAccountRequest request;
    request.set_account_id(account);
    for (v1::FreezeScope scope : scopes) request.add_scopes(scope);
    request.set_reason("account takeover reported");
    v1::FreezeRecord record;
    const grpc::Status status =
        server_.FreezeStubAs(v1::ROLE_AGENT)
            ->FreezeAccount(TestContext().get(), request, &record);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return record;
  }

  TestServer server_;
  FakeClock clock_;
};

// A freeze made through FreezeService reaches the guard; it blocks what it
// covers on that account only.
TEST_F(FreezeGuardTest, SeesFreezeMadeThroughFreezeService) {
  std::unique_ptr<FreezeGuard> guard = StartGuard();
  ASSERT_NE(guard, nullptr);
  ASSERT_TRUE(guard->WaitUntilReady(kWait).ok());
  EXPECT_EQ(guard->version(), 0u);
  EXPECT_TRUE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_WITHDRAW));

  const v1::FreezeRecord record =
      Freeze("acct-1", {v1::FREEZE_SCOPE_WITHDRAW, v1::FREEZE_SCOPE_API_KEYS});
  ASSERT_EQ(record.created_version(), 1u);
  ASSERT_TRUE(guard->WaitForVersion(record.created_version(), kWait).ok());

  EXPECT_FALSE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_WITHDRAW));
  EXPECT_FALSE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_API_KEYS));
  EXPECT_TRUE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_TRADE));
  EXPECT_TRUE(guard->IsAllowed("acct-2", v1::FREEZE_SCOPE_WITHDRAW));

  const FreezeGuard::Decision frozen =
      guard->Check("acct-1", v1::FREEZE_SCOPE_WITHDRAW);
  EXPECT_FALSE(frozen.allowed);
  EXPECT_EQ(frozen.reason, FreezeGuard::Reason::kFrozen);
  EXPECT_THAT(frozen.scopes, ElementsAre(v1::FREEZE_SCOPE_WITHDRAW,
                                         v1::FREEZE_SCOPE_API_KEYS));
  EXPECT_EQ(frozen.version, 1u);
  const FreezeGuard::Decision trade =
      guard->Check("acct-1", v1::FREEZE_SCOPE_TRADE);
  EXPECT_TRUE(trade.allowed);
  EXPECT_EQ(trade.reason, FreezeGuard::Reason::kAllowed);
  EXPECT_EQ(guard->Check("acct-1", v1::FREEZE_SCOPE_UNSPECIFIED).reason,
            FreezeGuard::Reason::kInvalidAction);
  EXPECT_FALSE(guard->IsAllowed("acct-2", v1::FREEZE_SCOPE_UNSPECIFIED));
}

// A guard started after the changes replays them from version 0.
TEST_F(FreezeGuardTest, FreshStartReplaysHistory) {
  Freeze("acct-1", {v1::FREEZE_SCOPE_TRADE});
  Freeze("acct-2", {v1::FREEZE_SCOPE_WITHDRAW});
  std::unique_ptr<FreezeGuard> guard = StartGuard();
  ASSERT_NE(guard, nullptr);
  ASSERT_TRUE(guard->WaitUntilReady(kWait).ok());
  EXPECT_EQ(guard->version(), 2u);
  EXPECT_FALSE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_TRADE));
  EXPECT_TRUE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_WITHDRAW));
  EXPECT_FALSE(guard->IsAllowed("acct-2", v1::FREEZE_SCOPE_WITHDRAW));
}

class FreezeGuardCoolingOffTest : public FreezeGuardTest {
 protected:
  FreezeGuardCoolingOffTest() : FreezeGuardTest(absl::Hours(1)) {}
};

// The two-person unfreeze lifts the freeze; WITHDRAW stays held for the
// server's cooling-off period, as CheckAccounts decides, and is allowed
// once the hold has passed.
TEST_F(FreezeGuardCoolingOffTest, UnfreezeLiftsWithCoolingOffForWithdraw) {
  std::unique_ptr<FreezeGuard> guard = StartGuard();
  ASSERT_NE(guard, nullptr);
  const v1::FreezeRecord frozen =
      Freeze("acct-1", {v1::FREEZE_SCOPE_WITHDRAW, v1::FREEZE_SCOPE_TRADE});

  v1::RequestUnfreezeRequest request;
  request.set_account_id("acct-1");
  request.set_freeze_id(frozen.freeze_id());
  request.set_reason("owner verified by video call");
  v1::UnfreezeRequest pending;
  grpc::Status status =
      server_.FreezeStubAs(v1::ROLE_AGENT)
          ->RequestUnfreeze(TestContext().get(), request, &pending);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(guard->WaitForVersion(2, kWait).ok());
  EXPECT_FALSE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_TRADE));

  v1::ApproveUnfreezeRequest approve;
  approve.set_request_id(pending.request_id());
  v1::FreezeRecord lifted;
  status = server_.FreezeStubAs(v1::ROLE_SECURITY)
               ->ApproveUnfreeze(TestContext().get(), approve, &lifted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(lifted.state(), v1::FREEZE_STATE_LIFTED);
  ASSERT_TRUE(guard->WaitForVersion(3, kWait).ok());

  EXPECT_TRUE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_TRADE));
  EXPECT_FALSE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_WITHDRAW));
  const FreezeGuard::Decision held =
      guard->Check("acct-1", v1::FREEZE_SCOPE_WITHDRAW);
  EXPECT_FALSE(held.allowed);
  EXPECT_EQ(held.reason, FreezeGuard::Reason::kCoolingOff);
  EXPECT_EQ(held.held_until, FromProtoTime(lifted.withdrawals_held_until()));
  EXPECT_TRUE(held.scopes.empty());

  // Past the hold (the jump makes the view stale until the next message).
  clock_.Advance(absl::Hours(1) + absl::Seconds(1));
  ASSERT_TRUE(guard->WaitUntilReady(kWait).ok());
  EXPECT_TRUE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_WITHDRAW));
  EXPECT_EQ(guard->version(), 3u);
}

// Before the first catch-up every check is denied, known account or not.
TEST_F(FreezeGuardTest, FailsClosedBeforeFirstSync) {
  server_.Stop();  // nothing listens on the port yet
  std::unique_ptr<FreezeGuard> guard = StartGuard();
  ASSERT_NE(guard, nullptr);
  EXPECT_FALSE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_WITHDRAW));
  EXPECT_FALSE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_TRADE));
  const FreezeGuard::Decision decision =
      guard->Check("acct-1", v1::FREEZE_SCOPE_TRADE);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.reason, FreezeGuard::Reason::kNotSynced);
  const absl::Status waited = guard->WaitUntilReady(absl::Milliseconds(300));
  EXPECT_EQ(waited.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(waited.message(), HasSubstr("synced no"));

  // The guard keeps trying and syncs once the server is there.
  server_.Restart();
  ASSERT_TRUE(guard->WaitUntilReady(kWait).ok());
  EXPECT_TRUE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_TRADE));
}

// With the server gone, the replica is trusted for exactly max_staleness
// after the last message, then every check is denied.
TEST_F(FreezeGuardTest, FailsClosedWhenStale) {
  std::unique_ptr<FreezeGuard> guard = StartGuard();
  ASSERT_NE(guard, nullptr);
  Freeze("acct-1", {v1::FREEZE_SCOPE_WITHDRAW});
  ASSERT_TRUE(guard->WaitForVersion(1, kWait).ok());
  ASSERT_TRUE(guard->WaitUntilReady(kWait).ok());
  server_.Stop();

  clock_.Advance(kMaxStaleness);
  EXPECT_TRUE(guard->IsAllowed("acct-2", v1::FREEZE_SCOPE_WITHDRAW));
  EXPECT_FALSE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_WITHDRAW));

  clock_.Advance(absl::Nanoseconds(1));
  EXPECT_FALSE(guard->IsAllowed("acct-2", v1::FREEZE_SCOPE_WITHDRAW));
  EXPECT_FALSE(guard->IsAllowed("acct-2", v1::FREEZE_SCOPE_TRADE));
  const FreezeGuard::Decision decision =
      guard->Check("acct-2", v1::FREEZE_SCOPE_WITHDRAW);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.reason, FreezeGuard::Reason::kStale);
  EXPECT_EQ(decision.version, 1u);
  EXPECT_EQ(guard->WaitUntilReady(absl::Milliseconds(100)).code(),
            absl::StatusCode::kDeadlineExceeded);
}

// After a restart on the same port and data the guard resumes from its
// version and sees both old and new freezes.
TEST_F(FreezeGuardTest, CatchesUpAfterServerRestart) {
  std::unique_ptr<FreezeGuard> guard = StartGuard();
  ASSERT_NE(guard, nullptr);
  Freeze("acct-1", {v1::FREEZE_SCOPE_WITHDRAW});
  ASSERT_TRUE(guard->WaitForVersion(1, kWait).ok());

  server_.Stop();
  server_.Restart();
  const v1::FreezeRecord second = Freeze("acct-2", {v1::FREEZE_SCOPE_LOGIN});
  ASSERT_EQ(second.created_version(), 2u);
  ASSERT_TRUE(guard->WaitForVersion(2, kWait).ok());
  ASSERT_TRUE(guard->WaitUntilReady(kWait).ok());

  EXPECT_EQ(guard->version(), 2u);
  EXPECT_FALSE(guard->IsAllowed("acct-1", v1::FREEZE_SCOPE_WITHDRAW));
  EXPECT_FALSE(guard->IsAllowed("acct-2", v1::FREEZE_SCOPE_LOGIN));
  EXPECT_TRUE(guard->IsAllowed("acct-2", v1::FREEZE_SCOPE_WITHDRAW));
}

// A role that may not watch never syncs; the stream's refusal is visible.
TEST_F(FreezeGuardTest, RoleNotAllowedToWatchNeverSyncs) {
  FreezeGuardOptions options;
  options.connection = server_.ConnectionAs(v1::ROLE_AGENT);
  options.reconnect = {.initial = absl::Milliseconds(10),
                       .max = absl::Milliseconds(50)};
  absl::StatusOr<std::unique_ptr<FreezeGuard>> guard =
      FreezeGuard::Start(options, clock_);
  ASSERT_TRUE(guard.ok()) << guard.status();
  EXPECT_EQ((*guard)->WaitUntilReady(absl::Seconds(1)).code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ((*guard)->last_stream_status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE((*guard)->IsAllowed("acct-1", v1::FREEZE_SCOPE_TRADE));
}

// Stop() ends the stream, wakes waiters and denies every check.
TEST_F(FreezeGuardTest, StopDeniesAndCancelsWaits) {
  std::unique_ptr<FreezeGuard> guard = StartGuard();
  ASSERT_NE(guard, nullptr);
  ASSERT_TRUE(guard->WaitUntilReady(kWait).ok());
  guard->Stop();
  guard->Stop();  // idempotent
  EXPECT_EQ(guard->Check("acct-1", v1::FREEZE_SCOPE_TRADE).reason,
            FreezeGuard::Reason::kNotSynced);
  EXPECT_EQ(guard->WaitForVersion(1, kWait).code(),
            absl::StatusCode::kCancelled);
  EXPECT_EQ(guard->WaitUntilReady(kWait).code(), absl::StatusCode::kCancelled);
}

TEST(FreezeGuardOptionsTest, InvalidOptionsAreRefused) {
  FreezeGuardOptions options;
  absl::StatusOr<std::unique_ptr<FreezeGuard>> guard =
      FreezeGuard::Start(options);
  EXPECT_EQ(guard.status(), absl::InvalidArgumentError(
                                "connection.address: required (host:port)"));

  options.connection.address = "127.0.0.1:1";
  guard = FreezeGuard::Start(options);
  EXPECT_EQ(guard.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(guard.status().message(),
              HasSubstr("connection.credentials: required"));

  options.connection.credentials = grpc::InsecureChannelCredentials();
  options.max_staleness = absl::Seconds(1);
  options.heartbeat_interval = absl::Seconds(1);
  guard = FreezeGuard::Start(options);
  EXPECT_EQ(guard.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(guard.status().message(),
              HasSubstr("heartbeat_interval: 1s must be below max_staleness"));

  options.heartbeat_interval = absl::Milliseconds(50);
  guard = FreezeGuard::Start(options);
  EXPECT_EQ(guard.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(guard.status().message(), HasSubstr("within 100ms .. 60s"));

  options.heartbeat_interval = absl::ZeroDuration();
  options.reconnect.initial = absl::ZeroDuration();
  guard = FreezeGuard::Start(options);
  EXPECT_EQ(guard.status(),
            absl::InvalidArgumentError("reconnect.initial: must be > 0"));
}

}  // namespace
}  // namespace sentinel::client
