// Checks on the address a server listens on.
#ifndef SENTINEL_COMMON_LISTEN_ADDRESS_H_
#define SENTINEL_COMMON_LISTEN_ADDRESS_H_

#include "absl/strings/string_view.h"

namespace sentinel {

// True when `address` ("host:port") names a loopback host: localhost,
// 127.0.0.0/8 or [::1]. Plain-text serving is allowed only there.
bool IsLoopbackAddress(absl::string_view address);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_LISTEN_ADDRESS_H_
