#include "audit/audit_reader.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit/audit_log_layout.h"
#include "audit/merkle.h"
#include "common/identifiers.h"
#include "common/key_codec.h"
#include "common/paging.h"
#include "common/principal.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "common/time_util.h"

namespace sentinel::audit {
namespace {

// Filters name what the indexes hold, in the forms the domains write: an
// identifier for the subject, "<role>/<name>" for the actor, and
// "<Service>.<Method>" for the action. Anything else could never match, and
// a NUL byte (the indexes' separator) could end scans early if it were
// stored as the subject of the entry recording this query.
absl::Status ValidateFilters(const v1::QueryAuditRequest& request) {
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("subject", request.subject(), /*required=*/false));
  if (!request.actor().empty()) {
    if (absl::StatusOr<Principal> actor = ParsePrincipalShort(request.actor());
        !actor.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("actor: ", actor.status().message()));
    }
  }
  const absl::string_view action = request.action();
  if (action.size() > kMaxAuditFilterBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "action: ", action.size(), " bytes, longer than the limit of ",
        kMaxAuditFilterBytes));
  }
  for (char c : action) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c)) && c != '.') {
      return absl::InvalidArgumentError(
          "action: must have the form <Service>.<Method>, letters and dots "
          "only");
    }
  }
  return absl::OkStatus();
}

bool Matches(const v1::AuditEntry& entry,
             const v1::QueryAuditRequest& request) {
  if (!request.subject().empty() &&
      !absl::c_linear_search(SubjectValues(entry.subject()),
                             request.subject())) {
    return false;
  }
  if (!request.actor().empty() && entry.principal() != request.actor()) {
    return false;
  }
  return request.action().empty() || entry.action() == request.action();
}

}  // namespace

AuditReader::AuditReader(const RocksDatabase& database) : database_(database) {}

absl::StatusOr<v1::AuditEntry> AuditReader::ReadEntry(uint64_t seq) const {
  SENTINEL_ASSIGN_OR_RETURN(std::string bytes,
                            database_.Get(kAuditFamily, EntryKey(seq)));
  v1::AuditEntry entry;
  if (!entry.ParseFromString(bytes)) {
    return absl::DataLossError(
        absl::StrCat("audit entry ", seq, " does not parse"));
  }
  entry.set_leaf_hash(LeafHash(bytes));
  entry.set_stored_bytes(std::move(bytes));
  return entry;
}

absl::StatusOr<std::vector<v1::AuditEntry>> AuditReader::ReadEntries(
    uint64_t from_seq, size_t max_entries, uint64_t tree_size) const {
  std::vector<v1::AuditEntry> entries;
  for (uint64_t seq = from_seq; seq < tree_size && entries.size() < max_entries;
       ++seq) {
    SENTINEL_ASSIGN_OR_RETURN(v1::AuditEntry entry, ReadEntry(seq));
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<uint64_t> AuditReader::FirstAtOrAfter(absl::Time time,
                                                     uint64_t tree_size) const {
  uint64_t low = 0;
  uint64_t high = tree_size;
  while (low < high) {
    const uint64_t middle = low + (high - low) / 2;
    SENTINEL_ASSIGN_OR_RETURN(v1::AuditEntry entry, ReadEntry(middle));
    if (FromProtoTime(entry.time()) < time) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

absl::StatusOr<v1::QueryAuditResponse> AuditReader::Query(
    const v1::QueryAuditRequest& request, uint64_t tree_size) const {
  SENTINEL_RETURN_IF_ERROR(ValidateFilters(request));
  SENTINEL_ASSIGN_OR_RETURN(const size_t page_size,
                            PageSize("page_size", request.page_size(),
                                     kDefaultAuditPageSize, kMaxAuditPageSize));
  if (request.has_since() && request.has_until() &&
      FromProtoTime(request.until()) < FromProtoTime(request.since())) {
    return absl::InvalidArgumentError("until: earlier than since");
  }
  SENTINEL_ASSIGN_OR_RETURN(uint64_t start,
                            ParseNumberPageToken("seq", request.page_token()));

  uint64_t end = tree_size;
  if (request.has_since()) {
    SENTINEL_ASSIGN_OR_RETURN(
        uint64_t first,
        FirstAtOrAfter(FromProtoTime(request.since()), tree_size));
    start = std::max(start, first);
  }
  if (request.has_until()) {
    SENTINEL_ASSIGN_OR_RETURN(
        end, FirstAtOrAfter(FromProtoTime(request.until()), tree_size));
  }

  v1::QueryAuditResponse response;
  std::optional<uint64_t> resume;
  const auto take = [&](uint64_t seq) -> absl::Status {
    SENTINEL_ASSIGN_OR_RETURN(v1::AuditEntry entry, ReadEntry(seq));
    if (Matches(entry, request)) *response.add_entries() = std::move(entry);
    return absl::OkStatus();
  };

  // The most selective index the request names, else the entries in order.
  std::string prefix;
  if (!request.subject().empty()) {
    prefix = IndexPrefix(kSubjectIndex, request.subject());
  } else if (!request.actor().empty()) {
    prefix = IndexPrefix(kActorIndex, request.actor());
  } else if (!request.action().empty()) {
    prefix = IndexPrefix(kActionIndex, request.action());
  }
  size_t scanned = 0;
  if (prefix.empty()) {
    for (uint64_t seq = start; seq < end; ++seq) {
      if (static_cast<size_t>(response.entries_size()) == page_size ||
          scanned == kQueryScanBudget) {
        resume = seq;
        break;
      }
      ++scanned;
      SENTINEL_RETURN_IF_ERROR(take(seq));
    }
  } else {
    std::unique_ptr<rocksdb::Iterator> it = database_.NewIterator(kAuditFamily);
    const std::string first = KeyWithNumber(prefix, start);
    uint64_t last_seen = start == 0 ? 0 : start - 1;
    for (it->Seek(first); it->Valid(); it->Next()) {
      const absl::string_view key = ToView(it->key());
      if (!absl::StartsWith(key, prefix)) break;
      // A key under the prefix that is not "<prefix><seq>" belongs to a
      // longer value ("acct-1\0..." under "acct-1"): skipped, never the end
      // of the scan. It counts against the budget, so the scan stays bounded.
      std::optional<uint64_t> seq = SeqFromIndexKey(prefix, key);
      if (seq.has_value() && *seq >= end) break;
      if (static_cast<size_t>(response.entries_size()) == page_size ||
          scanned == kQueryScanBudget) {
        resume = seq.value_or(last_seen + 1);
        break;
      }
      ++scanned;
      if (!seq.has_value()) continue;
      last_seen = *seq;
      SENTINEL_RETURN_IF_ERROR(take(*seq));
    }
    SENTINEL_RETURN_IF_ERROR(FromRocksStatus(it->status(), "audit query"));
  }
  if (resume.has_value())
    response.set_next_page_token(NumberPageToken("seq", *resume));
  return response;
}

absl::StatusOr<v1::InclusionProof> AuditReader::InclusionProof(
    uint64_t seq, uint64_t proof_size, uint64_t tree_size) const {
  if (proof_size == 0 || proof_size > tree_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree_size: ", proof_size, " is outside 1..", tree_size,
                     " (the newest checkpoint's size)"));
  }
  if (seq >= proof_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "seq: ", seq, " is not in a tree of ", proof_size, " entries"));
  }
  SENTINEL_ASSIGN_OR_RETURN(
      std::vector<std::string> hashes,
      audit::InclusionProof(StoredNodes(database_), seq, proof_size));
  v1::InclusionProof proof;
  proof.set_seq(seq);
  proof.set_tree_size(proof_size);
  for (std::string& hash : hashes) proof.add_hashes(std::move(hash));
  return proof;
}

absl::StatusOr<v1::ConsistencyProof> AuditReader::ConsistencyProof(
    uint64_t old_size, uint64_t new_size, uint64_t tree_size) const {
  if (new_size > tree_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("new_size: ", new_size,
                     " is beyond the newest checkpoint's size ", tree_size));
  }
  if (old_size == 0 || old_size > new_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "old_size: ", old_size, " is outside 1..new_size (", new_size, ")"));
  }
  SENTINEL_ASSIGN_OR_RETURN(
      std::vector<std::string> hashes,
      audit::ConsistencyProof(StoredNodes(database_), old_size, new_size));
  v1::ConsistencyProof proof;
  proof.set_old_size(old_size);
  proof.set_new_size(new_size);
  for (std::string& hash : hashes) proof.add_hashes(std::move(hash));
  return proof;
}

absl::StatusOr<std::string> AuditReader::CheckpointAt(uint64_t size) const {
  absl::StatusOr<std::string> note =
      database_.Get(kAuditFamily, CheckpointKey(size));
  if (absl::IsNotFound(note.status())) {
    return absl::NotFoundError(
        absl::StrCat("tree_size: no checkpoint was signed at size ", size));
  }
  return note;
}

}  // namespace sentinel::audit
