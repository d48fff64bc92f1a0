// SentinelServer's own checks of its options, and the identity a process
// presents to its peers.
#include "services/sentineld/sentinel_server.h"

#include <chrono>
#include <future>
#include <memory>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::StatusIs;

// A plain-text server on loopback port 0 with its data in `dir`.
SentinelServerOptions PlainTextOptions(const sentinel::testing::TempDir& dir) {
  SentinelServerOptions options;
  options.data_dir = dir.path() + "/var";
  options.listen = "127.0.0.1:0";
  options.health_listen = "";
  options.insecure = true;
  return options;
}

// With --insecure the caller's identity is a plain-text header, so a
// process of the four-process form whose peer is off loopback refuses to
// start instead of sending identities across the network.
TEST(SentinelServerTest, InsecurePeersMustBeOnLoopback) {
  sentinel::testing::TempDir dir;
  SentinelServerOptions options = PlainTextOptions(dir);
  options.services = {
      .audit = false, .freeze = true, .intake = false, .trace = false};
  options.audit_address = "10.1.2.3:7451";
  EXPECT_THAT(SentinelServer::Start(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--insecure: peer 10.1.2.3:7451 is not on a loopback "
                       "address (127.0.0.1, localhost, [::1]); identities "
                       "would cross the network in plain text"));
}

// Opens a reflection stream on `address` (plain text), sends nothing and
// returns how the server ended it.
grpc::Status CallReflection(const std::string& address) {
  class EmptyStream final
      : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    void OnDone(const grpc::Status& status) override { done.set_value(status); }
    std::promise<grpc::Status> done;
  };
  grpc::GenericStub stub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  EmptyStream stream;
  stub.PrepareBidiStreamingCall(
      &context,
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      grpc::StubOptions(), &stream);
  stream.StartWritesDone();
  stream.StartCall();
  return stream.done.get_future().get();
}

// The plain-text health port answers health checks and nothing else: the
// API's description (reflection) is served only where callers authenticate.
TEST(SentinelServerTest, HealthPortServesOnlyHealth) {
  sentinel::testing::TempDir dir;
  SentinelServerOptions options = PlainTextOptions(dir);
  options.health_listen = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<SentinelServer>> server =
      SentinelServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(CallReflection(absl::StrCat("127.0.0.1:", (*server)->health_port()))
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(CallReflection(absl::StrCat("127.0.0.1:", (*server)->port()))
                .error_code(),
            grpc::StatusCode::OK);
  (*server)->Shutdown(absl::Seconds(10));
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
