// The trace service's documented limits and defaults, in one place.
// proto/sentinel/v1/trace.proto states the same numbers to clients.
#ifndef SENTINEL_TRACE_TRACE_LIMITS_H_
#define SENTINEL_TRACE_TRACE_LIMITS_H_

#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"

namespace sentinel::trace {

// Longest asset code ("BTC", "USDT"), in bytes.
inline constexpr size_t kMaxAssetBytes = 32;
// Longest external address, in bytes.
inline constexpr size_t kMaxExternalAddressBytes = 256;
// How far after the server's clock an event's time may be, by default.
inline constexpr absl::Duration kDefaultMaxEventFutureSkew = absl::Minutes(10);

// IngestSummary.rejections lists at most this many rejections.
inline constexpr size_t kMaxReportedRejections = 1000;
// Longest IngestRejection.reason, in bytes.
inline constexpr size_t kMaxRejectionReasonBytes = 1024;

// TraceFundsRequest bounds: 0 in a request means the default.
inline constexpr int32_t kDefaultMaxHops = 6;
inline constexpr int32_t kMaxMaxHops = 32;
inline constexpr int64_t kDefaultMaxEvents = 1000000;
inline constexpr int64_t kMaxMaxEvents = 100000000;
inline constexpr int32_t kDefaultMaxEdges = 10000;
inline constexpr int32_t kMaxMaxEdges = 50000;
inline constexpr size_t kMaxTraceAssets = 100;
// TraceResult.holdings and TraceResult.external hold at most this many
// entries each; the rest are counted as omitted.
inline constexpr size_t kMaxResultEntries = 10000;

// SetAccountKinds and ApproveAccountKinds: accounts per call (each is named
// in the call's audit entry, which must stay well within the audit
// service's 64 KiB), and the longest note in bytes.
inline constexpr size_t kMaxAccountKindEntries = 100;
inline constexpr size_t kMaxAccountKindNoteBytes = 1024;

// ListInfrastructureAccounts: page_size 0 means the default.
inline constexpr int32_t kDefaultInfrastructurePageSize = 100;
inline constexpr int32_t kMaxInfrastructurePageSize = 1000;

// FreezeTraceCandidates: the most accounts listed in account_ids, and the
// most accounts one call freezes.
inline constexpr size_t kMaxCandidateAccountIds = 1000;
inline constexpr size_t kMaxCandidateFreezes = 1000;

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_TRACE_LIMITS_H_
