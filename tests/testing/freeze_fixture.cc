#include "tests/testing/freeze_fixture.h"

#include <cstdlib>

#include "audit/log_verifier.h"
#include "gtest/gtest.h"

namespace sentinel::testing {

namespace {

// Protective freezes through the fixture's own freeze manager.
class LocalFreezer final : public incident::ProtectiveFreezer {
 public:
  explicit LocalFreezer(std::unique_ptr<freeze::FreezeManager>& freezes)
      : freezes_(freezes) {}
  absl::StatusOr<std::string> Freeze(const Principal& reporter,
                                     const v1::Incident& incident) override {
    absl::StatusOr<v1::FreezeRecord> record =
        freezes_->FreezeAccount(incident::ProtectiveFreezeCaller(reporter),
                                incident::ProtectiveFreezeRequest(incident));
    if (!record.ok()) return record.status();
    return record->freeze_id();
  }

 private:
  std::unique_ptr<freeze::FreezeManager>& freezes_;
};

}  // namespace

FreezeFixture::FreezeFixture(freeze::FreezeOptions options)
    : FreezeFixture(options, nullptr) {}

FreezeFixture::FreezeFixture(freeze::FreezeOptions options,
                             incident::ProtectiveFreezer* freezer)
    : db_path_(dir_.path() + "/db"),
      options_(options),
      local_freezer_(std::make_unique<LocalFreezer>(manager_)),
      freezer_(freezer != nullptr ? freezer : local_freezer_.get()) {
  Open();
}

FreezeFixture::~FreezeFixture() { Close(); }

void FreezeFixture::Reopen() {
  Close();
  Open();
}

void FreezeFixture::Open() {
  auto database = RocksDatabase::Open(
      db_path_,
      {audit::kAuditFamily, audit::kInboxFamily, freeze::kFreezeFamily,
       incident::kIncidentFamily, trace::kLedgerFamily},
      /*env=*/nullptr, {{trace::kLedgerFamily, trace::LedgerFamilyOptions()}});
  if (!database.ok()) {
    ADD_FAILURE() << database.status();
    std::abort();
  }
  database_ = *std::move(database);
  auto key = audit::Ed25519PrivateKey::LoadOrCreate(dir_.path() + "/audit.pem");
  if (!key.ok()) {
    ADD_FAILURE() << key.status();
    std::abort();
  }
  auto audit_log = audit::MerkleAuditLog::Open(*database_, *std::move(key), {});
  if (!audit_log.ok()) {
    ADD_FAILURE() << audit_log.status();
    std::abort();
  }
  audit_log_ = *std::move(audit_log);
  audit_reader_ = std::make_unique<audit::AuditReader>(*database_);
  audit_inbox_ =
      std::make_unique<audit::AuditInbox>(*database_, *audit_log_, clock_);
  store_ =
      std::make_unique<freeze::RocksDbFreezeStore>(*database_, *audit_log_);
  incident_store_ =
      std::make_unique<incident::RocksDbIncidentStore>(*database_, *audit_log_);
  // As in sentineld, where the freeze service sees the incidents.
  freeze::FreezeOptions options = options_;
  options.incident_exists = incident::IncidentExistence(*incident_store_);
  auto manager = freeze::FreezeManager::Create(*store_, clock_, options);
  if (!manager.ok()) {
    ADD_FAILURE() << manager.status();
    std::abort();
  }
  manager_ = *std::move(manager);
  auto incidents = incident::IncidentManager::Create(
      *incident_store_, *freezer_, clock_, incident::SlaPolicy::Default());
  if (!incidents.ok()) {
    ADD_FAILURE() << incidents.status();
    std::abort();
  }
  incidents_ = *std::move(incidents);
  ledger_store_ =
      std::make_unique<trace::RocksDbLedgerStore>(*database_, *audit_log_);
  traces_ = std::make_unique<trace::TraceManager>(*ledger_store_, clock_);
}

void FreezeFixture::Close() {
  traces_.reset();
  ledger_store_.reset();
  incidents_.reset();
  manager_.reset();
  incident_store_.reset();
  store_.reset();
  audit_inbox_.reset();
  audit_reader_.reset();
  audit_log_.reset();
  database_.reset();
}

std::vector<v1::AuditEntry> FreezeFixture::AuditEntries(size_t max) const {
  auto entries = audit_reader_->ReadEntries(0, max, audit_log_->size());
  EXPECT_TRUE(entries.ok()) << entries.status();
  return entries.ok() ? *entries : std::vector<v1::AuditEntry>();
}

absl::StatusOr<uint64_t> FreezeFixture::VerifyAudit() const {
  auto key = audit::Ed25519PrivateKey::Load(dir_.path() + "/audit.pem");
  if (!key.ok()) return key.status();
  auto public_key = audit::Ed25519PublicKey::FromRaw(key->PublicKey());
  if (!public_key.ok()) return public_key.status();
  audit::StoredLogCheck check;
  check.all_checkpoints = true;
  check.all_nodes = true;
  auto report = audit::CheckStoredLog(*database_, *public_key,
                                      audit_log_->origin(), check);
  if (!report.ok()) return report.status();
  return report->entries;
}

v1::FreezeAccountRequest FreezeRequest(
    const std::string& account_id,
    std::initializer_list<v1::FreezeScope> scopes, const std::string& reason) {
  v1::FreezeAccountRequest request;
  request.set_account_id(account_id);
  for (v1::FreezeScope scope : scopes) request.add_scopes(scope);
  request.set_reason(reason);
  return request;
}

}  // namespace sentinel::testing
