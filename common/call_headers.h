// The gRPC metadata headers by which a call names who makes it, shared by
// the servers that read them and the clients (sentinelctl, the services'
// peer clients) that send them.
#ifndef SENTINEL_COMMON_CALL_HEADERS_H_
#define SENTINEL_COMMON_CALL_HEADERS_H_

namespace sentinel {

// The metadata header carrying the principal on --insecure servers.
inline constexpr char kPrincipalHeader[] = "x-sentinel-principal";

// The metadata header by which a delegating Sentinel service names the person
// it acts for, "<role>/<name>" (see services::MayActOnBehalf and CallGate).
inline constexpr char kOnBehalfOfHeader[] = "x-sentinel-on-behalf-of";

}  // namespace sentinel

#endif  // SENTINEL_COMMON_CALL_HEADERS_H_
