#include "tests/testing/freeze_fixture.h"

#include <cstdlib>

#include "gtest/gtest.h"

namespace sentinel::testing {

FreezeFixture::FreezeFixture(freeze::FreezeOptions options)
    : db_path_(dir_.path() + "/db"), options_(options) {
  Open();
}

FreezeFixture::~FreezeFixture() { Close(); }

void FreezeFixture::Reopen() {
  Close();
  Open();
}

void FreezeFixture::Open() {
  auto database = RocksDatabase::Open(
      db_path_, {audit::kAuditFamily, freeze::kFreezeFamily});
  if (!database.ok()) {
    ADD_FAILURE() << database.status();
    std::abort();
  }
  database_ = *std::move(database);
  auto audit_log = audit::HashChainAuditLog::Open(*database_);
  if (!audit_log.ok()) {
    ADD_FAILURE() << audit_log.status();
    std::abort();
  }
  audit_log_ = *std::move(audit_log);
  store_ =
      std::make_unique<freeze::RocksDbFreezeStore>(*database_, *audit_log_);
  auto manager = freeze::FreezeManager::Create(*store_, clock_, options_);
  if (!manager.ok()) {
    ADD_FAILURE() << manager.status();
    std::abort();
  }
  manager_ = *std::move(manager);
}

void FreezeFixture::Close() {
  manager_.reset();
  store_.reset();
  audit_log_.reset();
  database_.reset();
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
