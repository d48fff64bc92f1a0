// The freeze, incident and trace domains on a real RocksDB in a temporary
// directory: the database, the Merkle audit log (with a key generated in the
// directory), the stores and the managers, with a fake clock. Incidents get
// their protective freezes from `freezer` (the real freeze domain unless a
// test passes another). Reopen() simulates a restart on the same files.
#ifndef SENTINEL_TESTS_TESTING_FREEZE_FIXTURE_H_
#define SENTINEL_TESTS_TESTING_FREEZE_FIXTURE_H_

#include <memory>

#include "audit/audit_log_layout.h"
#include "audit/audit_inbox.h"
#include "audit/audit_reader.h"
#include "audit/merkle_audit_log.h"
#include "common/principal.h"
#include "common/rocks_database.h"
#include "freeze/freeze_manager.h"
#include "freeze/rocksdb_freeze_store.h"
#include "incident/incident_manager.h"
#include "incident/protective_freezer.h"
#include "incident/rocksdb_incident_store.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"
#include "trace/rocksdb_ledger_store.h"
#include "trace/trace_manager.h"

namespace sentinel::testing {

class FreezeFixture {
 public:
  explicit FreezeFixture(freeze::FreezeOptions options = {});
  FreezeFixture(freeze::FreezeOptions options,
                incident::ProtectiveFreezer* freezer);
  ~FreezeFixture();

  // Closes everything and opens it again from disk.
  void Reopen();

  freeze::FreezeManager& manager() { return *manager_; }
  incident::IncidentManager& incidents() { return *incidents_; }
  trace::TraceManager& traces() { return *traces_; }
  freeze::RocksDbFreezeStore& store() { return *store_; }
  audit::MerkleAuditLog& audit_log() { return *audit_log_; }
  const audit::AuditReader& audit_reader() const { return *audit_reader_; }
  audit::AuditInbox& audit_inbox() { return *audit_inbox_; }
  // Up to `max` committed audit entries from the start.
  std::vector<v1::AuditEntry> AuditEntries(size_t max = 100) const;
  // Fully re-verifies the stored audit log; returns its entry count.
  absl::StatusOr<uint64_t> VerifyAudit() const;
  RocksDatabase& database() { return *database_; }
  FakeClock& clock() { return clock_; }
  const std::string& db_path() const { return db_path_; }
  const std::string& dir() const { return dir_.path(); }

 private:
  void Open();
  void Close();

  TempDir dir_;
  std::string db_path_;
  FakeClock clock_;
  freeze::FreezeOptions options_;
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<audit::MerkleAuditLog> audit_log_;
  std::unique_ptr<audit::AuditReader> audit_reader_;
  std::unique_ptr<audit::AuditInbox> audit_inbox_;
  std::unique_ptr<freeze::RocksDbFreezeStore> store_;
  std::unique_ptr<freeze::FreezeManager> manager_;
  std::unique_ptr<incident::ProtectiveFreezer> local_freezer_;
  incident::ProtectiveFreezer* freezer_;
  std::unique_ptr<incident::RocksDbIncidentStore> incident_store_;
  std::unique_ptr<incident::IncidentManager> incidents_;
  std::unique_ptr<trace::RocksDbLedgerStore> ledger_store_;
  std::unique_ptr<trace::TraceManager> traces_;
};

// Principals used across tests.
inline Principal Agent(std::string name = "alice") {
  return Principal{v1::ROLE_AGENT, std::move(name)};
}
inline Principal Security(std::string name = "bob") {
  return Principal{v1::ROLE_SECURITY, std::move(name)};
}

// A valid FreezeAccountRequest.
v1::FreezeAccountRequest FreezeRequest(
    const std::string& account_id,
    std::initializer_list<v1::FreezeScope> scopes =
        {v1::FREEZE_SCOPE_WITHDRAW, v1::FREEZE_SCOPE_TRANSFER_OUT},
    const std::string& reason = "account takeover reported");

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_TESTING_FREEZE_FIXTURE_H_
