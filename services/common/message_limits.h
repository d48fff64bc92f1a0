// The size of the largest request message a Sentinel server accepts.
#ifndef SENTINEL_SERVICES_COMMON_MESSAGE_LIMITS_H_
#define SENTINEL_SERVICES_COMMON_MESSAGE_LIMITS_H_

namespace sentinel::services {

// Bytes of one request message (one chunk of a stream). The largest valid
// requests are CheckAccounts (10,000 account ids of up to 128 bytes, about
// 1.3 MB) and an evidence chunk (1 MiB of data and its header); anything
// bigger is refused by gRPC with RESOURCE_EXHAUSTED before a handler runs,
// so no handler ever holds more than this per message.
inline constexpr int kMaxRequestBytes = 2 * 1024 * 1024;

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_MESSAGE_LIMITS_H_
