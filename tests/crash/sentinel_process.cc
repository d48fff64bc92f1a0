#include "tests/crash/sentinel_process.h"

#include <utility>

#include "audit/audit_log_layout.h"
#include "audit/ed25519.h"
#include "common/status_macros.h"
#include "incident/sla_policy.h"

namespace sentinel::testing {
namespace {

// Protective freezes through the process's own freeze domain, as sentineld
// wires them.
class InProcessFreezer final : public incident::ProtectiveFreezer {
 public:
  explicit InProcessFreezer(freeze::FreezeManager& freezes)
      : freezes_(freezes) {}

  absl::StatusOr<std::string> Freeze(const Principal& reporter,
                                     const v1::Incident& incident) override {
    SENTINEL_ASSIGN_OR_RETURN(
        v1::FreezeRecord record,
        freezes_.FreezeAccount(incident::ProtectiveFreezeCaller(reporter),
                               incident::ProtectiveFreezeRequest(incident)));
    return record.freeze_id();
  }

 private:
  freeze::FreezeManager& freezes_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SentinelProcess>> SentinelProcess::Open(
    const std::string& dir, rocksdb::Env* env, const Clock& clock) {
  auto process = std::unique_ptr<SentinelProcess>(new SentinelProcess());
  SENTINEL_ASSIGN_OR_RETURN(
      process->database_,
      RocksDatabase::Open(dir + "/db",
                          {audit::kAuditFamily, freeze::kFreezeFamily,
                           incident::kIncidentFamily},
                          env));
  SENTINEL_ASSIGN_OR_RETURN(
      audit::Ed25519PrivateKey key,
      audit::Ed25519PrivateKey::LoadOrCreate(dir + "/audit.pem"));
  SENTINEL_ASSIGN_OR_RETURN(
      process->audit_log_,
      audit::MerkleAuditLog::Open(*process->database_, std::move(key), {}));
  process->freeze_store_ = std::make_unique<freeze::RocksDbFreezeStore>(
      *process->database_, *process->audit_log_);
  SENTINEL_ASSIGN_OR_RETURN(
      process->freezes_,
      freeze::FreezeManager::Create(*process->freeze_store_, clock, {}));
  process->freezer_ = std::make_unique<InProcessFreezer>(*process->freezes_);
  process->incident_store_ = std::make_unique<incident::RocksDbIncidentStore>(
      *process->database_, *process->audit_log_);
  SENTINEL_ASSIGN_OR_RETURN(process->incidents_,
                            incident::IncidentManager::Create(
                                *process->incident_store_, *process->freezer_,
                                clock, incident::SlaPolicy::Default()));
  return process;
}

SentinelProcess::~SentinelProcess() = default;

}  // namespace sentinel::testing
