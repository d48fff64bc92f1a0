#include "tests/trace/ledger_fixture.h"

#include <algorithm>
#include <utility>

#include "audit/audit_log_layout.h"
#include "tests/testing/status_matchers.h"
#include "tests/trace/ledger_builders.h"
#include "trace/trace_limits.h"
#include "trace/tracer.h"

namespace sentinel::trace::testing {

void LedgerTest::Open() {
  auto database = RocksDatabase::Open(
      dir_.path() + "/" + database_name_, {audit::kAuditFamily, kLedgerFamily},
      nullptr, {{kLedgerFamily, LedgerFamilyOptions()}});
  ASSERT_OK(database.status());
  database_ = *std::move(database);
  auto key = audit::Ed25519PrivateKey::LoadOrCreate(dir_.path() + "/key.pem");
  ASSERT_OK(key.status());
  auto log = audit::MerkleAuditLog::Open(*database_, *std::move(key), {});
  ASSERT_OK(log.status());
  log_ = *std::move(log);
  store_ = std::make_unique<RocksDbLedgerStore>(*database_, *log_);
  manager_ = std::make_unique<TraceManager>(*store_, clock_);
}

void LedgerTest::Close() {
  manager_.reset();
  store_.reset();
  log_.reset();
  database_.reset();
}

std::vector<IngestOutcome> LedgerTest::Ingest(
    const std::vector<v1::LedgerEvent>& events, size_t batch_size) {
  std::vector<IngestOutcome> outcomes;
  for (size_t start = 0; start < events.size(); start += batch_size) {
    const size_t end = std::min(events.size(), start + batch_size);
    absl::StatusOr<std::vector<IngestOutcome>> batch = manager_->Ingest(
        internal_, absl::MakeConstSpan(events).subspan(start, end - start));
    EXPECT_OK(batch.status());
    if (!batch.ok()) return {};
    outcomes.insert(outcomes.end(), batch->begin(), batch->end());
  }
  return outcomes;
}

void LedgerTest::SetKind(const std::string& account, v1::AccountKind kind) {
  v1::SetAccountKindsRequest request;
  v1::AccountKindEntry& entry = *request.add_accounts();
  entry.set_account_id(account);
  entry.set_kind(kind);
  EXPECT_OK(manager_->SetAccountKinds(analyst_, request).status());
  if (kind == v1::ACCOUNT_KIND_USER) return;
  v1::ApproveAccountKindsRequest approve;
  approve.add_account_ids(account);
  EXPECT_OK(manager_->ApproveAccountKinds(approver_, approve).status());
}

absl::StatusOr<v1::TraceResult> LedgerTest::Trace(const TraceParams& params) {
  std::unique_ptr<LedgerView> view = store_->OpenView();
  return TraceFunds(*view, params);
}

TraceParams LedgerTest::Params(const std::string& victim, int64_t since,
                               int64_t until, v1::TaintModel model,
                               int32_t max_hops) {
  TraceParams params;
  params.account_id = victim;
  params.since = At(since);
  params.until = At(until);
  params.model = model;
  params.max_hops = max_hops;
  params.max_events = kDefaultMaxEvents;
  params.max_edges = kMaxMaxEdges;
  return params;
}

}  // namespace sentinel::trace::testing
