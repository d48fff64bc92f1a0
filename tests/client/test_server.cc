#include "tests/client/test_server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tls/credentials.h"
#include "tls/development_pki.h"

namespace sentinel::testing {

TestServer::TestServer(absl::Duration cooling_off) : cooling_off_(cooling_off) {
  Start("127.0.0.1:0");
}

TestServer::~TestServer() { Stop(); }

void TestServer::Start(const std::string& listen) {
  services::SentinelServerOptions options;
  options.data_dir = dir_.path() + "/var";
  options.listen = listen;
  options.cooling_off = cooling_off_;
  absl::StatusOr<std::unique_ptr<services::SentinelServer>> server =
      services::SentinelServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  port_ = server_->port();
}

void TestServer::Stop() {
  if (server_ == nullptr) return;
  server_->Shutdown(absl::Seconds(10));
  server_.reset();
}

void TestServer::Restart() {
  ASSERT_EQ(server_, nullptr);
  const int port = port_;
  Start(absl::StrCat("127.0.0.1:", port));
  ASSERT_EQ(port_, port);
}

std::string TestServer::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

client::ServerConnection TestServer::ConnectionAs(v1::Role role) const {
  const tls::DevelopmentPki pki(dir_.path() + "/var/tls");
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      tls::DevelopmentChannelCredentials(pki, role);
  EXPECT_TRUE(credentials.ok()) << credentials.status();
  return {.address = address(),
          .credentials = credentials.ok() ? *credentials : nullptr};
}

std::unique_ptr<v1::FreezeService::Stub> TestServer::FreezeStubAs(
    v1::Role role) const {
  const client::ServerConnection connection = ConnectionAs(role);
  return v1::FreezeService::NewStub(
      grpc::CreateChannel(connection.address, connection.credentials));
}

std::unique_ptr<grpc::ClientContext> TestContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  return context;
}

}  // namespace sentinel::testing
