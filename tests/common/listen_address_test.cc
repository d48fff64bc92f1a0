// Plain text is allowed only on loopback: the address check that guards it.

#include "common/listen_address.h"

#include "gtest/gtest.h"

namespace sentinel {
namespace {

TEST(ListenAddressTest, AcceptsLoopback) {
  for (const char* address :
       {"127.0.0.1:7443", "127.8.9.10:0", "localhost:1", "[::1]:7443"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
}

TEST(ListenAddressTest, RefusesEverythingElse) {
  for (const char* address :
       {"0.0.0.0:7443", "10.0.0.1:7443", "[::]:7443", "127.0.0.1", "",
        "example.com:7443", "127.0.0.256:1", "128.0.0.1:1", "127.0.0:1",
        "localhost.evil.com:1"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

}  // namespace
}  // namespace sentinel
