// WatchFreezes heartbeats (the server side FreezeGuard relies on), through
// a real gRPC server on loopback port 0: FeedWriteReactor's heartbeat and
// FreezeGrpcService's validation of heartbeat_interval.

#include "absl/time/clock.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/server_fixture.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::FreezeRequest;
using ::sentinel::testing::ServerFixture;

constexpr char kWatcher[] = "internal/withdrawal-engine";

class WatchHeartbeatTest : public ::testing::Test {
 protected:
  void Freeze(const std::string& account) {
    v1::FreezeRecord record;
    const grpc::Status status =
        server_.stub().FreezeAccount(ServerFixture::As("agent/alice").get(),
                                     FreezeRequest(account), &record);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  static v1::WatchFreezesRequest Request(uint64_t from_version,
                                         absl::Duration heartbeat_interval) {
    v1::WatchFreezesRequest request;
    request.set_from_version(from_version);
    *request.mutable_heartbeat_interval() = ToProtoDuration(heartbeat_interval);
    return request;
  }

  ServerFixture server_;
};

// Once the replay has caught up the stream sends a heartbeat carrying the
// head version at once, then one per interval while nothing happens; a live
// change moves the version the next heartbeat carries.
TEST_F(WatchHeartbeatTest, HeartbeatsCarryTheCaughtUpVersion) {
  Freeze("acct-1");
  Freeze("acct-2");
  auto context = ServerFixture::As(kWatcher);
  const absl::Time opened = absl::Now();
  auto reader = server_.stub().WatchFreezes(
      context.get(), Request(0, absl::Milliseconds(100)));
  v1::FreezeEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.version(), 1u);
  EXPECT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_FROZEN);
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.version(), 2u);
  EXPECT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_FROZEN);

  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_HEARTBEAT);
  EXPECT_EQ(event.version(), 2u);
  EXPECT_EQ(event.account_id(), "");
  EXPECT_EQ(event.freeze_id(), "");
  EXPECT_EQ(event.actor(), "");
  EXPECT_EQ(event.effective_scopes_size(), 0);
  // The service stamps heartbeats with the real clock.
  EXPECT_GE(FromProtoTime(event.time()), opened);
  EXPECT_LE(FromProtoTime(event.time()), absl::Now());

  // The next one comes after a quiet interval.
  const absl::Time first = FromProtoTime(event.time());
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_HEARTBEAT);
  EXPECT_EQ(event.version(), 2u);
  EXPECT_GE(FromProtoTime(event.time()) - first, absl::Milliseconds(100));

  Freeze("acct-3");
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_FROZEN);
  EXPECT_EQ(event.version(), 3u);
  EXPECT_EQ(event.account_id(), "acct-3");
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_HEARTBEAT);
  EXPECT_EQ(event.version(), 3u);

  // Closing the feed (server shutdown) still ends the stream at once.
  server_.domain().manager().feed().Close();
  while (reader->Read(&event)) {
    ASSERT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_HEARTBEAT);
  }
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(),
            "server shutting down; reconnect with from_version=3");
}

// An empty log is caught up at once: the first message is a heartbeat at
// version 0. Both bounds of the interval are accepted.
TEST_F(WatchHeartbeatTest, EmptyLogHeartbeatsAtVersionZero) {
  for (absl::Duration interval : {absl::Milliseconds(100), absl::Seconds(60)}) {
    auto context = ServerFixture::As(kWatcher);
    auto reader =
        server_.stub().WatchFreezes(context.get(), Request(0, interval));
    v1::FreezeEvent event;
    ASSERT_TRUE(reader->Read(&event)) << interval;
    EXPECT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_HEARTBEAT);
    EXPECT_EQ(event.version(), 0u);
    context->TryCancel();
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
}

// Without heartbeat_interval the stream is as before: nothing but changes.
TEST_F(WatchHeartbeatTest, NoHeartbeatsWithoutInterval) {
  Freeze("acct-1");
  auto context = ServerFixture::As(kWatcher);
  v1::WatchFreezesRequest request;
  auto reader = server_.stub().WatchFreezes(context.get(), request);
  v1::FreezeEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.version(), 1u);
  Freeze("acct-2");
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.kind(), v1::FREEZE_EVENT_KIND_FROZEN);
  EXPECT_EQ(event.version(), 2u);
  context->TryCancel();
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

// An interval outside 100 ms .. 60 s, negative or malformed is refused with
// INVALID_ARGUMENT naming the field, before anything is streamed.
TEST_F(WatchHeartbeatTest, BadHeartbeatIntervalIsInvalidArgument) {
  struct Case {
    int64_t seconds;
    int32_t nanos;
    std::string message;
  };
  const std::vector<Case> cases = {
      {0, 99999999,
       "heartbeat_interval: must be 0 (no heartbeats) or between 100ms and "
       "1m, got 99.999999ms"},
      {60, 1,
       "heartbeat_interval: must be 0 (no heartbeats) or between 100ms and "
       "1m, got 1m0.000000001s"},
      {-1, 0,
       "heartbeat_interval: must be 0 (no heartbeats) or between 100ms and "
       "1m, got -1s"},
      {1, -5, "heartbeat_interval: not a valid duration"},
      {0, 1000000000, "heartbeat_interval: not a valid duration"},
  };
  for (const Case& bad : cases) {
    v1::WatchFreezesRequest request;
    request.mutable_heartbeat_interval()->set_seconds(bad.seconds);
    request.mutable_heartbeat_interval()->set_nanos(bad.nanos);
    auto context = ServerFixture::As(kWatcher);
    auto reader = server_.stub().WatchFreezes(context.get(), request);
    v1::FreezeEvent event;
    EXPECT_FALSE(reader->Read(&event));
    const grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << bad.message;
    EXPECT_EQ(status.error_message(), bad.message);
  }
}

}  // namespace
}  // namespace sentinel::services
