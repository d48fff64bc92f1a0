// The trace domain on a real RocksDB and Merkle audit log in a temporary
// directory, with an injected clock; Reopen() simulates a restart on the
// same files.
#ifndef SENTINEL_TESTS_TRACE_LEDGER_FIXTURE_H_
#define SENTINEL_TESTS_TRACE_LEDGER_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/merkle_audit_log.h"
#include "common/principal.h"
#include "common/rocks_database.h"
#include "gtest/gtest.h"
#include "sentinel/v1/trace.pb.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"
#include "trace/ledger_store.h"
#include "trace/rocksdb_ledger_store.h"
#include "trace/trace_manager.h"
#include "trace/trace_request.h"

namespace sentinel::trace::testing {

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { Close(); }

  void Open();
  void Close();
  void Reopen() {
    Close();
    Open();
  }

  // Ingests `events` in batches of `batch_size` through the manager;
  // returns the outcomes in order (empty, with a test failure, on error).
  std::vector<IngestOutcome> Ingest(const std::vector<v1::LedgerEvent>& events,
                                    size_t batch_size = 100000);
  // Marks `account` as `kind`.
  void SetKind(const std::string& account, v1::AccountKind kind);

  // Traces `params` on a fresh snapshot.
  absl::StatusOr<v1::TraceResult> Trace(const TraceParams& params);
  // Parameters for tracing `victim` from `since` to `until` (seconds after
  // kOrigin) with generous bounds.
  static TraceParams Params(const std::string& victim, int64_t since,
                            int64_t until, v1::TaintModel model,
                            int32_t max_hops = 6);

  // The database's directory under dir_; a test may switch to a fresh one
  // and Reopen().
  std::string database_name_ = "db";
  sentinel::testing::TempDir dir_;
  sentinel::testing::FakeClock clock_;
  const Principal internal_{v1::ROLE_INTERNAL, "ledger-feed"};
  const Principal analyst_{v1::ROLE_SECURITY, "sam"};
  // The second person of the two-person rule for infrastructure marks.
  const Principal approver_{v1::ROLE_SECURITY, "kim"};
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<audit::MerkleAuditLog> log_;
  std::unique_ptr<RocksDbLedgerStore> store_;
  std::unique_ptr<TraceManager> manager_;
};

}  // namespace sentinel::trace::testing

#endif  // SENTINEL_TESTS_TRACE_LEDGER_FIXTURE_H_
