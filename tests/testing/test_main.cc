// The main of every GoogleTest binary in tests/.
//
// gRPC finishes work on its own threads after the objects that started it
// are gone: a TLS handshake to a server a test already stopped, a channel's
// reconnect attempt. A process that exits while they run has LeakSanitizer
// report their OpenSSL state as leaked, and the test binary fails after
// every test passed (seen about one run in ten of MutualTlsTest). Holding
// gRPC initialized from before the first test and shutting it down, waiting
// for its threads, after the last lets that work finish before exit.
#include "gmock/gmock.h"
#include "grpc/grpc.h"
#include "gtest/gtest.h"

int main(int argc, char** argv) {
  grpc_init();
  ::testing::InitGoogleMock(&argc, argv);
  const int result = RUN_ALL_TESTS();
  grpc_shutdown_blocking();
  return result;
}
