// A real SentinelServer (what sentineld runs) in a temporary directory on
// 127.0.0.1, serving mutual TLS with the development PKI it creates there,
// that a test can stop and start again on the same port and data.
#ifndef SENTINEL_TESTS_CLIENT_TEST_SERVER_H_
#define SENTINEL_TESTS_CLIENT_TEST_SERVER_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "client/server_connection.h"
#include "sentinel/v1/common.pb.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "services/sentineld/sentinel_server.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::testing {

class TestServer final {
 public:
  // Starts on port 0 (crashes the test on failure).
  explicit TestServer(absl::Duration cooling_off = absl::Hours(24));
  ~TestServer();

  // Shuts the server down; its port stays reserved for Restart() only by
  // convention (nothing else in the test binds it).
  void Stop();
  // Starts again on the port the first start got, on the same data.
  void Restart();

  int port() const { return port_; }
  std::string address() const;
  // How a client of role `role` (principal <role>/dev-<role>) connects.
  client::ServerConnection ConnectionAs(v1::Role role) const;
  // A FreezeService stub calling as `role`.
  std::unique_ptr<v1::FreezeService::Stub> FreezeStubAs(v1::Role role) const;

 private:
  void Start(const std::string& listen);

  TempDir dir_;
  const absl::Duration cooling_off_;
  std::unique_ptr<services::SentinelServer> server_;
  int port_ = 0;
};

// A client context with a 10 s deadline.
std::unique_ptr<grpc::ClientContext> TestContext();

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_CLIENT_TEST_SERVER_H_
