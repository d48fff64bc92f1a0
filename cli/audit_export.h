// The body of `sentinelctl audit export`: reading the log page by page up to
// a checkpoint and writing it as an audit bundle (audit/bundle.h), checking
// on the way that the entries are the ones the checkpoint covers. The pages
// come through a callback, so this has no gRPC and is testable on its own.
#ifndef SENTINEL_CLI_AUDIT_EXPORT_H_
#define SENTINEL_CLI_AUDIT_EXPORT_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "audit/bundle.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::cli {

// Entries asked for per GetEntries call: the server's maximum.
inline constexpr int32_t kExportPageEntries = 1000;
// How often WriteBundle reports progress, in entries.
inline constexpr uint64_t kExportProgressInterval = 10000;

// Reads up to `max_entries` entries from `start_seq` (AuditService
// GetEntries, each entry with stored_bytes set).
using FetchEntries = absl::FunctionRef<absl::StatusOr<v1::GetEntriesResponse>(
    uint64_t start_seq, int32_t max_entries)>;

// Writes entries 0 .. checkpoint.tree_size() - 1, fetched with `fetch` in
// pages of at most kExportPageEntries, to `writer` (their stored bytes, in
// order), then checkpoint.note(). Calls `progress` with the number written
// after every kExportProgressInterval entries.
//
// The entries are re-hashed as they stream: the bundle is written only if
// they are gapless, in order, and their Merkle root is checkpoint.root_hash().
// That root is as trustworthy as the checkpoint, so verify the checkpoint's
// signature first when authenticity matters (VerifyCheckpoint).
//
// OK: the whole bundle is written. Errors: those of `fetch`; kDataLoss when
// the server returns no entries before tree_size, an entry out of place, or
// entries whose root differs from the checkpoint's; kUnavailable from the
// writer. On error, part of the bundle may have been written.
absl::Status WriteBundle(const v1::Checkpoint& checkpoint, FetchEntries fetch,
                         audit::BundleWriter& writer,
                         absl::FunctionRef<void(uint64_t written)> progress);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_AUDIT_EXPORT_H_
