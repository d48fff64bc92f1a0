// Fuzzes QueryAudit (audit/audit_reader.h) against a real audit log in
// RocksDB: every identifier a query names reaches an index key, so this is
// where a crafted filter could cut a scan short or read another value's
// entries. The input is a serialized sentinel.v1.QueryAuditRequest. The log,
// made once, holds entries about several accounts (one naming three), by
// several principals and actions, one with a NUL-bearing subject, and a
// stray key under an account's index prefix.
// Checks:
// - Query returns OK or kInvalidArgument;
// - every entry returned matches every filter of the request, in increasing
//   seq order, at most page_size of them (100 by default);
// - following next_page_token ends within the log's size in pages, never
//   repeats an entry, and finds exactly the entries that match (computed by
//   reading the whole log).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_reader.h"
#include "audit/ed25519.h"
#include "audit/merkle_audit_log.h"
#include "common/key_codec.h"
#include "common/rocks_database.h"
#include "common/rocksdb_status.h"
#include "common/time_util.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_temp_dir.h"
#include "google/protobuf/stubs/logging.h"
#include "rocksdb/write_batch.h"
#include "sentinel/v1/audit.pb.h"

namespace {

namespace audit = ::sentinel::audit;
namespace v1 = ::sentinel::v1;

// The log every input queries, opened once per process.
struct Log {
  std::unique_ptr<sentinel::RocksDatabase> database;
  std::unique_ptr<audit::MerkleAuditLog> log;
  std::unique_ptr<audit::AuditReader> reader;
  std::vector<v1::AuditEntry> entries;
};

void Require(const absl::Status& status) {
  if (status.ok()) return;
  std::fprintf(stderr, "audit_query_fuzz setup: %s\n",
               status.ToString().c_str());
  std::abort();
}

v1::AuditEntry Entry(std::vector<std::string> accounts,
                     const std::string& incident, const std::string& principal,
                     const std::string& action, int64_t unix_seconds) {
  v1::AuditEntry entry;
  entry.set_principal(principal);
  entry.set_action(action);
  if (!accounts.empty()) entry.mutable_subject()->set_account_id(accounts[0]);
  for (size_t i = 1; i < accounts.size(); ++i) {
    entry.mutable_subject()->add_other_account_ids(accounts[i]);
  }
  entry.mutable_subject()->set_incident_id(incident);
  *entry.mutable_time() =
      sentinel::ToProtoTime(absl::FromUnixSeconds(unix_seconds));
  return entry;
}

Log& TheLog() {
  static Log* log = [] {
    auto* made = new Log;
    // Made once and left for the process's lifetime; removed at exit.
    static const std::string dir = MakeFuzzTempDir("audit_query_fuzz");
    std::atexit([] { std::filesystem::remove_all(dir); });
    absl::StatusOr<std::unique_ptr<sentinel::RocksDatabase>> database =
        sentinel::RocksDatabase::Open(absl::StrCat(dir, "/db"),
                                      {audit::kAuditFamily});
    Require(database.status());
    made->database = *std::move(database);
    absl::StatusOr<audit::Ed25519PrivateKey> key =
        audit::Ed25519PrivateKey::LoadOrCreate(absl::StrCat(dir, "/key.pem"));
    Require(key.status());
    audit::AuditLogOptions options;
    options.published_checkpoint_path = absl::StrCat(dir, "/published");
    options.publish_interval = absl::ZeroDuration();
    absl::StatusOr<std::unique_ptr<audit::MerkleAuditLog>> opened =
        audit::MerkleAuditLog::Open(*made->database, *std::move(key), options);
    Require(opened.status());
    made->log = *std::move(opened);
    made->reader = std::make_unique<audit::AuditReader>(*made->database);

    const std::vector<v1::AuditEntry> entries = {
        Entry({"acct-1"}, "inc-1", "agent/alice", "FreezeService.FreezeAccount",
              100),
        Entry({"acct-2", "acct-1", "acct-3"}, "", "security/sam",
              "TraceService.SetAccountKinds", 200),
        Entry({std::string("acct-1\0zz", 9)}, "", "agent/mallory",
              "AuditService.QueryAudit", 300),
        Entry({"acct-3"}, "inc-1", "security/kim",
              "TraceService.ApproveAccountKinds", 400),
        Entry({}, "inc-2", "agent/alice", "IncidentService.ReportIncident",
              500),
        Entry({"acct-1"}, "", "auditor/ann", "AuditService.QueryAudit", 600),
    };
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i == 2) {
        // A stray key sorting among acct-1's index keys, as a hand edit of
        // the files could leave.
        Require(sentinel::FromRocksStatus(
            made->database->db().Put(
                rocksdb::WriteOptions(),
                made->database->Family(audit::kAuditFamily),
                sentinel::KeyWithNumber(
                    audit::IndexPrefix(audit::kSubjectIndex, "acct-1"), 0) +
                    "x",
                ""),
            "stray key"));
      }
      rocksdb::WriteBatch none;
      Require(made->log
                  ->CommitWithAudit(none, entries[i],
                                    audit::CommitUrgency::kUrgent,
                                    audit::AuditRule::kProtective)
                  .status());
    }
    Require(made->log->AwaitIndexed(made->log->size(), absl::Seconds(30)));
    absl::StatusOr<std::vector<v1::AuditEntry>> stored =
        made->reader->ReadEntries(0, entries.size(), made->log->size());
    Require(stored.status());
    made->entries = *std::move(stored);
    return made;
  }();
  return *log;
}

bool Matches(const v1::AuditEntry& entry, const v1::QueryAuditRequest& query) {
  if (!query.subject().empty() &&
      !absl::c_linear_search(audit::SubjectValues(entry.subject()),
                             query.subject())) {
    return false;
  }
  if (!query.actor().empty() && entry.principal() != query.actor()) {
    return false;
  }
  if (!query.action().empty() && entry.action() != query.action()) {
    return false;
  }
  const absl::Time time = sentinel::FromProtoTime(entry.time());
  if (query.has_since() && time < sentinel::FromProtoTime(query.since())) {
    return false;
  }
  if (query.has_until() && time >= sentinel::FromProtoTime(query.until())) {
    return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  TheLog();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::QueryAuditRequest query;
  if (!query.ParseFromArray(data, static_cast<int>(size))) return 0;
  Log& log = TheLog();
  const uint64_t tree_size = log.log->size();

  const bool from_start = query.page_token().empty();
  std::vector<uint64_t> found;
  const size_t page_limit =
      query.page_size() > 0 ? static_cast<size_t>(query.page_size()) : 100;
  // Each page returns at least one entry or ends the listing, so the
  // log's size bounds the pages (one more for an empty last page).
  for (uint64_t page = 0; page <= tree_size + 1; ++page) {
    const absl::StatusOr<v1::QueryAuditResponse> response =
        log.reader->Query(query, tree_size);
    SENTINEL_FUZZ_CHECK(response.ok() ||
                        absl::IsInvalidArgument(response.status()));
    if (!response.ok()) return 0;
    SENTINEL_FUZZ_CHECK(static_cast<size_t>(response->entries_size()) <=
                        page_limit);
    for (const v1::AuditEntry& entry : response->entries()) {
      SENTINEL_FUZZ_CHECK(Matches(entry, query));
      SENTINEL_FUZZ_CHECK(found.empty() || entry.seq() > found.back());
      found.push_back(entry.seq());
    }
    if (response->next_page_token().empty()) break;
    SENTINEL_FUZZ_CHECK(page < tree_size + 1);
    query.set_page_token(response->next_page_token());
  }

  // From the first page, the pages together are exactly the matching
  // entries. (A crafted page_token may start anywhere.)
  if (!from_start) return 0;
  std::vector<uint64_t> expected;
  for (const v1::AuditEntry& entry : log.entries) {
    if (Matches(entry, query)) expected.push_back(entry.seq());
  }
  SENTINEL_FUZZ_CHECK(found == expected);
  return 0;
}
