// SentinelServer's own checks of its options, and the identity a process
// presents to its peers.
#include "services/sentineld/sentinel_server.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::StatusIs;

// With --insecure the caller's identity is a plain-text header, so a
// process of the four-process form whose peer is off loopback refuses to
// start instead of sending identities across the network.
TEST(SentinelServerTest, InsecurePeersMustBeOnLoopback) {
  sentinel::testing::TempDir dir;
  SentinelServerOptions options;
  options.data_dir = dir.path() + "/var";
  options.listen = "127.0.0.1:0";
  options.health_listen = "";
  options.insecure = true;
  options.services = {
      .audit = false, .freeze = true, .intake = false, .trace = false};
  options.audit_address = "10.1.2.3:7451";
  EXPECT_THAT(SentinelServer::Start(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--insecure: peer 10.1.2.3:7451 is not on a loopback "
                       "address (127.0.0.1, localhost, [::1]); identities "
                       "would cross the network in plain text"));
}

// Each process of the four-process form is its service to its peers; a
// process hosting several is the first of intake, trace, freeze, audit.
TEST(SentinelServerTest, PeerIdentityIsTheHostedService) {
  EXPECT_EQ(
      PeerIdentity(
          {.audit = false, .freeze = true, .intake = false, .trace = false})
          .ToString(),
      "service/freeze");
  EXPECT_EQ(
      PeerIdentity(
          {.audit = false, .freeze = false, .intake = true, .trace = false})
          .ToString(),
      "service/intake");
  EXPECT_EQ(
      PeerIdentity(
          {.audit = false, .freeze = false, .intake = false, .trace = true})
          .ToString(),
      "service/trace");
  EXPECT_EQ(PeerIdentity({}).ToString(), "service/intake");
}

}  // namespace
}  // namespace sentinel::services
