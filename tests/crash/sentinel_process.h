// The state one sentineld process keeps on disk, opened the way sentineld
// wires it (without the trace domain): the RocksDB database, the Merkle
// audit log with its key, and the freeze and intake domains, with P0 reports
// frozen through the freeze domain in process. For crash tests: destroying
// a SentinelProcess is the process ending, and opening another on the same
// directory is the restart.
#ifndef SENTINEL_TESTS_CRASH_SENTINEL_PROCESS_H_
#define SENTINEL_TESTS_CRASH_SENTINEL_PROCESS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "audit/merkle_audit_log.h"
#include "common/clock.h"
#include "common/rocks_database.h"
#include "freeze/freeze_manager.h"
#include "freeze/rocksdb_freeze_store.h"
#include "incident/incident_manager.h"
#include "incident/protective_freezer.h"
#include "incident/rocksdb_incident_store.h"
#include "rocksdb/env.h"

namespace sentinel::testing {

// Not thread-safe to open or destroy; the domains it holds are.
class SentinelProcess final {
 public:
  // Opens (creating if missing) the database in `dir`/db through `env` and
  // the audit log with the key `dir`/audit.pem (created if missing). `env`
  // and `clock` must outlive the process. Errors are those of opening the
  // database, the audit log (kDataLoss when its start-up check fails) and
  // the domains.
  static absl::StatusOr<std::unique_ptr<SentinelProcess>> Open(
      const std::string& dir, rocksdb::Env* env, const Clock& clock);

  // Closes everything in the reverse order of opening.
  ~SentinelProcess();
  SentinelProcess(const SentinelProcess&) = delete;
  SentinelProcess& operator=(const SentinelProcess&) = delete;

  RocksDatabase& database() { return *database_; }
  audit::MerkleAuditLog& audit_log() { return *audit_log_; }
  freeze::RocksDbFreezeStore& freeze_store() { return *freeze_store_; }
  freeze::FreezeManager& freezes() { return *freezes_; }
  incident::IncidentManager& incidents() { return *incidents_; }

 private:
  SentinelProcess() = default;

  // Declared in opening order, so destroyed in reverse.
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<audit::MerkleAuditLog> audit_log_;
  std::unique_ptr<freeze::RocksDbFreezeStore> freeze_store_;
  std::unique_ptr<freeze::FreezeManager> freezes_;
  std::unique_ptr<incident::ProtectiveFreezer> freezer_;
  std::unique_ptr<incident::RocksDbIncidentStore> incident_store_;
  std::unique_ptr<incident::IncidentManager> incidents_;
};

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_CRASH_SENTINEL_PROCESS_H_
