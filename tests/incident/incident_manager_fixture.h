// The intake domain on a real RocksDB and audit log in a temporary
// directory, with a fake protective freezer and an injected clock; Open()
// again simulates a restart on the same files.
#ifndef SENTINEL_TESTS_INCIDENT_INCIDENT_MANAGER_FIXTURE_H_
#define SENTINEL_TESTS_INCIDENT_INCIDENT_MANAGER_FIXTURE_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_log_layout.h"
#include "audit/merkle_audit_log.h"
#include "common/rocks_database.h"
#include "gtest/gtest.h"
#include "incident/incident_manager.h"
#include "incident/rocksdb_incident_store.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::incident {

// Records protective freezes, or fails them when told to.
class FakeFreezer final : public ProtectiveFreezer {
 public:
  absl::StatusOr<std::string> Freeze(const Principal& reporter,
                                     const v1::Incident& incident) override {
    ++calls;
    {
      absl::MutexLock lock(&mu);
      last_reporter = reporter.ToString();
    }
    if (fail) return absl::UnavailableError("freeze service unreachable");
    {
      absl::MutexLock lock(&mu);
      if (incident.account_id() == failing_account) {
        return absl::AlreadyExistsError("idempotency_key: already used");
      }
    }
    return absl::StrCat("frz-for-", incident.incident_id());
  }
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  absl::Mutex mu;
  // On whose behalf the last freeze was asked for.
  std::string last_reporter ABSL_GUARDED_BY(mu);
  // Freezes of this account fail (when not empty), whatever `fail` says.
  std::string failing_account ABSL_GUARDED_BY(mu);
};

class IncidentManagerTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { Close(); }

  void Open(std::string sla = "", EvidenceLimits evidence = {}) {
    Close();
    auto database = RocksDatabase::Open(dir_.path() + "/db",
                                        {audit::kAuditFamily, kIncidentFamily});
    ASSERT_OK(database.status());
    database_ = *std::move(database);
    auto key = audit::Ed25519PrivateKey::LoadOrCreate(dir_.path() + "/key.pem");
    ASSERT_OK(key.status());
    auto log = audit::MerkleAuditLog::Open(*database_, *std::move(key), {});
    ASSERT_OK(log.status());
    log_ = *std::move(log);
    store_ = std::make_unique<RocksDbIncidentStore>(*database_, *log_);
    auto policy = SlaPolicy::Parse(sla);
    ASSERT_OK(policy.status());
    auto manager = IncidentManager::Create(*store_, freezer_, clock_, *policy,
                                           std::move(evidence));
    ASSERT_OK(manager.status());
    manager_ = *std::move(manager);
  }

  void Close() {
    manager_.reset();
    store_.reset();
    log_.reset();
    database_.reset();
  }

  static v1::ReportIncidentRequest Request(
      const std::string& account, v1::IncidentCategory category,
      const std::string& description = "cannot log in, 2FA changed") {
    v1::ReportIncidentRequest request;
    request.set_account_id(account);
    request.set_category(category);
    request.set_description(description);
    request.set_channel(v1::CHANNEL_LIVE_CHAT);
    return request;
  }

  v1::Incident Report(const v1::ReportIncidentRequest& request) {
    absl::StatusOr<v1::Incident> incident = manager_->Report(agent_, request);
    EXPECT_TRUE(incident.ok()) << incident.status();
    return incident.ok() ? *incident : v1::Incident();
  }

  absl::StatusOr<v1::Incident> Move(const std::string& id,
                                    v1::IncidentStatus status,
                                    const std::string& note = "") {
    v1::UpdateIncidentStatusRequest request;
    request.set_incident_id(id);
    request.set_status(status);
    request.set_note(note);
    return manager_->UpdateStatus(agent_, request);
  }

  sentinel::testing::TempDir dir_;
  sentinel::testing::FakeClock clock_;
  FakeFreezer freezer_;
  const Principal agent_{v1::ROLE_AGENT, "alice"};
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<audit::MerkleAuditLog> log_;
  std::unique_ptr<RocksDbIncidentStore> store_;
  std::unique_ptr<IncidentManager> manager_;
};

}  // namespace sentinel::incident

#endif  // SENTINEL_TESTS_INCIDENT_INCIDENT_MANAGER_FIXTURE_H_
