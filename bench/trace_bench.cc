// Fund tracing on a synthetic exchange ledger (bench/synthetic_ledger.h):
//
// - ingest: the feed, in batches of --batch events (what an IngestLedger
//   stream commits at a time), through TraceManager::Ingest into a real
//   RocksDB with the real Merkle audit log, opened as sentineld opens them:
//   every batch is one synced write with its audit entry. Only the Ingest
//   calls are timed, not the making of the events.
// - traces: TraceManager::TraceFunds (the trace and its audit entry) for
//   6 hops over 7 days, under each --model, from --victims victims: half
//   the party of a random event (busy accounts, the expensive traces), half
//   uniform among accounts that ever did anything, each from a random
//   instant. Every model traces the same victims. Traces start once
//   RocksDB's flushes and compactions from the bulk load are done, as on a
//   server whose feed arrives at the exchange's pace.
//
// Besides wall times, the tables give CPU time (all threads for ingest,
// less the making of the events; the tracing thread for traces), which the
// other tenants of a shared machine disturb less.
//
// Sanity, in every mode (exit 1 when broken): every event is accepted, no
// trace fails, and HAIRCUT and FIFO conserve tainted value per asset
// (AssetTotals). --short is the CI mode: a 20k-event ledger and 10 victims.
//
// Usage: trace_bench [--events=1000000] [--seed=1] [--victims=200]
//                    [--batch=1000] [--model=poison,haircut,fifo]
//                    [--late_fraction=0.001] [--hub_contacts]
//                    [--data_dir=/tmp] [--short]

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "audit/audit_log_layout.h"
#include "audit/merkle_audit_log.h"
#include "bench/latency_stats.h"
#include "bench/synthetic_ledger.h"
#include "common/clock.h"
#include "common/principal.h"
#include "common/rocks_database.h"
#include "common/time_util.h"
#include "trace/rocksdb_ledger_store.h"
#include "trace/trace_manager.h"

ABSL_FLAG(int64_t, events, 1000000, "Ledger events to generate and ingest.");
ABSL_FLAG(uint32_t, seed, 1, "Seed of the ledger and of the victims.");
ABSL_FLAG(int, victims, 200, "Traces per model.");
ABSL_FLAG(int, batch, 1000, "Events per Ingest call (1..100000).");
ABSL_FLAG(std::string, model, "poison,haircut,fifo", "Taint models to trace.");
ABSL_FLAG(double, late_fraction, 0.001,
          "Share of events the feed delivers late (1 s to 2 min).");
ABSL_FLAG(bool, hub_contacts, false,
          "Stress case: the busiest accounts are everyone's contacts and pay "
          "each other (see synthetic_ledger.h).");
ABSL_FLAG(std::string, data_dir, "",
          "Where to create the temporary database (default $TMPDIR or "
          "/tmp); it is removed after the run.");
ABSL_FLAG(bool, short, false,
          "CI mode: 20000 events and 10 victims instead of the defaults.");

namespace sentinel::bench {
namespace {

constexpr int32_t kMaxHops = 6;
constexpr absl::Duration kWindow = absl::Hours(24 * 7);

struct IngestFigures {
  int64_t sent = 0;
  int64_t accepted = 0;
  int64_t duplicates = 0;
  int64_t rejected = 0;
  absl::Duration total;
  // CPU time of every thread of the process while ingesting, less what
  // making the events took: the store, the audit log's sequencer and
  // RocksDB's flushes and compactions.
  absl::Duration cpu;
  std::vector<absl::Duration> batches;  // sorted
};

struct TraceFigures {
  v1::TaintModel model = v1::TAINT_MODEL_UNSPECIFIED;
  int traces = 0;
  int partial = 0;
  int seeded = 0;
  int errors = 0;
  std::vector<absl::Duration> latencies;  // sorted
  // CPU time of the tracing thread per trace (not the audit log's fsync):
  // steadier than latencies on a shared machine.
  std::vector<absl::Duration> cpu;  // sorted
  std::vector<int64_t> examined;    // sorted
  std::vector<int64_t> reached;     // sorted
};

[[noreturn]] void Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "trace_bench: %s: %s\n", what.c_str(),
               status.ToString().c_str());
  std::exit(1);
}

// Marks `accounts` as infrastructure the way an exchange must: proposed by
// one security principal, approved by another, in calls of the largest size.
void MarkInfrastructure(trace::TraceManager& manager,
                        std::vector<v1::AccountKindEntry> accounts) {
  const Principal proposer{v1::ROLE_SECURITY, "bench"};
  const Principal approver{v1::ROLE_SECURITY, "bench-approver"};
  for (size_t start = 0; start < accounts.size();
       start += trace::kMaxAccountKindEntries) {
    const size_t end =
        std::min(accounts.size(), start + trace::kMaxAccountKindEntries);
    v1::SetAccountKindsRequest kinds;
    v1::ApproveAccountKindsRequest approve;
    for (size_t i = start; i < end; ++i) {
      approve.add_account_ids(accounts[i].account_id());
      *kinds.add_accounts() = std::move(accounts[i]);
    }
    absl::Status marked = manager.SetAccountKinds(proposer, kinds).status();
    if (marked.ok()) {
      marked = manager.ApproveAccountKinds(approver, approve).status();
    }
    if (!marked.ok()) Fail("marking infrastructure", marked);
  }
}

absl::Duration CpuTime(clockid_t clock) {
  timespec now;
  clock_gettime(clock, &now);
  return absl::DurationFromTimespec(now);
}

int64_t Quantile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1,
                         static_cast<size_t>(p * sorted.size()))];
}

std::string Millis(absl::Duration duration) {
  return absl::StrFormat("%.1f", absl::ToDoubleMilliseconds(duration));
}

int64_t DirectoryBytes(const std::string& path) {
  int64_t bytes = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

// Whether a HAIRCUT or FIFO result conserves tainted value in every asset.
bool Conserves(const v1::TraceResult& result) {
  for (const v1::AssetTotals& totals : result.totals()) {
    if (totals.seeded() + totals.converted_in() - totals.converted_out() !=
        totals.held() + totals.infrastructure() + totals.external()) {
      return false;
    }
  }
  return true;
}

IngestFigures Ingest(trace::TraceManager& manager, SyntheticLedger& ledger,
                     size_t batch_size) {
  const Principal feed{v1::ROLE_INTERNAL, "ledger-feed"};
  IngestFigures figures;
  std::vector<v1::LedgerEvent> batch;
  const absl::Duration process_start = CpuTime(CLOCK_PROCESS_CPUTIME_ID);
  absl::Duration making;
  while (true) {
    const absl::Duration make_start = CpuTime(CLOCK_THREAD_CPUTIME_ID);
    ledger.NextBatch(batch_size, batch);
    making += CpuTime(CLOCK_THREAD_CPUTIME_ID) - make_start;
    if (batch.empty()) break;
    const absl::Time start = absl::Now();
    absl::StatusOr<std::vector<trace::IngestOutcome>> outcomes =
        manager.Ingest(feed, batch);
    const absl::Duration took = absl::Now() - start;
    if (!outcomes.ok()) Fail("ingest", outcomes.status());
    figures.total += took;
    figures.batches.push_back(took);
    figures.sent += static_cast<int64_t>(batch.size());
    for (const trace::IngestOutcome& outcome : *outcomes) {
      switch (outcome.disposition) {
        case trace::IngestOutcome::Disposition::kAccepted:
          ++figures.accepted;
          break;
        case trace::IngestOutcome::Disposition::kDuplicate:
          ++figures.duplicates;
          break;
        case trace::IngestOutcome::Disposition::kRejected:
          ++figures.rejected;
          break;
      }
    }
  }
  figures.cpu = CpuTime(CLOCK_PROCESS_CPUTIME_ID) - process_start - making;
  std::sort(figures.batches.begin(), figures.batches.end());
  return figures;
}

// Waits until RocksDB has no flush or compaction running or pending: traces
// are measured on a settled database, as on a server whose feed arrives at
// the exchange's pace rather than as a bulk load.
void AwaitSettled(const RocksDatabase& database) {
  rocksdb::ColumnFamilyHandle* family = database.Family(trace::kLedgerFamily);
  for (int i = 0; i < 6000; ++i) {
    uint64_t busy = 0;
    for (const char* property :
         {"rocksdb.num-running-flushes", "rocksdb.num-running-compactions",
          "rocksdb.mem-table-flush-pending", "rocksdb.compaction-pending"}) {
      uint64_t value = 0;
      database.db().GetIntProperty(family, property, &value);
      busy += value;
    }
    if (busy == 0) return;
    absl::SleepFor(absl::Milliseconds(100));
  }
}

TraceFigures Trace(trace::TraceManager& manager, v1::TaintModel model,
                   const std::vector<Victim>& victims) {
  const Principal analyst{v1::ROLE_SECURITY, "bench"};
  TraceFigures figures;
  figures.model = model;
  for (const Victim& victim : victims) {
    v1::TraceFundsRequest request;
    request.set_account_id(victim.account_id);
    *request.mutable_since() = ToProtoTime(victim.since);
    *request.mutable_until() = ToProtoTime(victim.since + kWindow);
    request.set_max_hops(kMaxHops);
    request.set_model(model);
    request.set_incident_id("bench");
    const absl::Duration cpu_start = CpuTime(CLOCK_THREAD_CPUTIME_ID);
    const absl::Time start = absl::Now();
    absl::StatusOr<v1::TraceResult> result =
        manager.TraceFunds(analyst, request);
    figures.latencies.push_back(absl::Now() - start);
    figures.cpu.push_back(CpuTime(CLOCK_THREAD_CPUTIME_ID) - cpu_start);
    ++figures.traces;
    if (!result.ok()) {
      std::fprintf(stderr, "trace_bench: trace of %s failed: %s\n",
                   victim.account_id.c_str(),
                   result.status().ToString().c_str());
      ++figures.errors;
      continue;
    }
    if (result->partial()) ++figures.partial;
    if (std::any_of(result->totals().begin(), result->totals().end(),
                    [](const v1::AssetTotals& t) { return t.seeded() > 0; })) {
      ++figures.seeded;
    }
    if (model != v1::TAINT_MODEL_POISON && !Conserves(*result)) {
      std::fprintf(stderr, "trace_bench: %s from %s does not conserve\n",
                   v1::TaintModel_Name(model).c_str(),
                   victim.account_id.c_str());
      ++figures.errors;
    }
    figures.examined.push_back(result->events_examined());
    figures.reached.push_back(result->accounts_reached());
  }
  std::sort(figures.latencies.begin(), figures.latencies.end());
  std::sort(figures.cpu.begin(), figures.cpu.end());
  std::sort(figures.examined.begin(), figures.examined.end());
  std::sort(figures.reached.begin(), figures.reached.end());
  return figures;
}

std::vector<v1::TaintModel> Models(const std::string& names) {
  std::vector<v1::TaintModel> models;
  for (absl::string_view name : absl::StrSplit(names, ',', absl::SkipEmpty())) {
    v1::TaintModel model;
    if (!v1::TaintModel_Parse(
            absl::StrCat("TAINT_MODEL_", absl::AsciiStrToUpper(name)),
            &model) ||
        model == v1::TAINT_MODEL_UNSPECIFIED) {
      std::fprintf(stderr, "--model: unknown model %s\n",
                   std::string(name).c_str());
      std::exit(2);
    }
    models.push_back(model);
  }
  return models;
}

int Run() {
  const bool short_mode = absl::GetFlag(FLAGS_short);
  SyntheticLedgerOptions options;
  options.events = absl::GetFlag(FLAGS_events);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.late_fraction = absl::GetFlag(FLAGS_late_fraction);
  options.hub_contacts = absl::GetFlag(FLAGS_hub_contacts);
  int victim_count = absl::GetFlag(FLAGS_victims);
  if (short_mode) {
    if (options.events == 1000000) options.events = 20000;
    if (victim_count == 200) victim_count = 10;
  }
  const int batch = absl::GetFlag(FLAGS_batch);
  const std::vector<v1::TaintModel> models = Models(absl::GetFlag(FLAGS_model));
  if (options.events < 1000 || victim_count < 1 || batch < 1 ||
      batch > 100000 || options.late_fraction < 0 ||
      options.late_fraction > 1 || models.empty()) {
    std::fprintf(stderr,
                 "--events must be >= 1000, --victims >= 1, --batch "
                 "1..100000, --late_fraction 0..1, --model non-empty\n");
    return 2;
  }

  const std::string dir = MakeScratchDir(absl::GetFlag(FLAGS_data_dir));
  SyntheticLedger ledger(options);
  IngestFigures ingest;
  std::vector<TraceFigures> traces;
  int64_t database_bytes = 0;
  {
    absl::StatusOr<std::unique_ptr<RocksDatabase>> database =
        RocksDatabase::Open(
            dir + "/db", {audit::kAuditFamily, trace::kLedgerFamily}, nullptr,
            {{trace::kLedgerFamily, trace::LedgerFamilyOptions()}});
    if (!database.ok()) Fail("opening the database", database.status());
    absl::StatusOr<audit::Ed25519PrivateKey> key =
        audit::Ed25519PrivateKey::LoadOrCreate(dir + "/audit-ed25519.pem");
    if (!key.ok()) Fail("audit key", key.status());
    audit::AuditLogOptions audit_options;  // sentineld's defaults
    audit_options.published_checkpoint_path = dir + "/audit-checkpoint";
    absl::StatusOr<std::unique_ptr<audit::MerkleAuditLog>> log =
        audit::MerkleAuditLog::Open(**database, *std::move(key), audit_options);
    if (!log.ok()) Fail("opening the audit log", log.status());
    trace::RocksDbLedgerStore store(**database, **log);
    trace::TraceManager manager(store, SystemClock());

    MarkInfrastructure(manager, ledger.Infrastructure());

    ingest = Ingest(manager, ledger, static_cast<size_t>(batch));
    AwaitSettled(**database);
    const std::vector<Victim> victims = ledger.Victims(victim_count, kWindow);
    for (v1::TaintModel model : models) {
      traces.push_back(Trace(manager, model, victims));
    }
    database_bytes = DirectoryBytes(dir + "/db");
  }
  std::filesystem::remove_all(dir);

  std::printf(
      "ledger: %lld events, %lld accounts (8 infrastructure), %lld days from "
      "%s, %.2f%% late, %s, seed %u\n\n",
      static_cast<long long>(options.events),
      static_cast<long long>(ledger.accounts()),
      static_cast<long long>(options.span / absl::Hours(24)),
      FormatUtc(options.start).c_str(), 100 * options.late_fraction,
      options.hub_contacts ? "hub contacts (stress case)"
                           : "contacts at random",
      options.seed);
  std::printf(
      "| ingest | events | batch | accepted | duplicates | rejected | "
      "events/s | CPU µs/event | batch p50 ms | batch p99 ms | database MiB "
      "|\n|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf(
      "| TraceManager::Ingest, synced | %lld | %d | %lld | %lld | %lld | "
      "%.0f | %.1f | %s | %s | %.0f |\n\n",
      static_cast<long long>(ingest.sent), batch,
      static_cast<long long>(ingest.accepted),
      static_cast<long long>(ingest.duplicates),
      static_cast<long long>(ingest.rejected),
      static_cast<double>(ingest.sent) / absl::ToDoubleSeconds(ingest.total),
      absl::ToDoubleMicroseconds(ingest.cpu) / static_cast<double>(ingest.sent),
      Millis(Percentile(ingest.batches, 0.5)).c_str(),
      Millis(Percentile(ingest.batches, 0.99)).c_str(),
      static_cast<double>(database_bytes) / (1 << 20));
  std::printf(
      "| trace, %d hops over 7 days | traces | seeded | partial | p50 ms | "
      "p99 ms | max ms | p99 CPU ms | events examined p50 | p99 | accounts "
      "reached p50 | p99 | errors "
      "|\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
      kMaxHops);
  bool sane = ingest.accepted == ingest.sent;
  for (const TraceFigures& figures : traces) {
    std::printf(
        "| %s | %d | %d | %d | %s | %s | %s | %s | %lld | %lld | %lld | %lld "
        "| %d |\n",
        v1::TaintModel_Name(figures.model).substr(12).c_str(), figures.traces,
        figures.seeded, figures.partial,
        Millis(Percentile(figures.latencies, 0.5)).c_str(),
        Millis(Percentile(figures.latencies, 0.99)).c_str(),
        Millis(figures.latencies.back()).c_str(),
        Millis(Percentile(figures.cpu, 0.99)).c_str(),
        static_cast<long long>(Quantile(figures.examined, 0.5)),
        static_cast<long long>(Quantile(figures.examined, 0.99)),
        static_cast<long long>(Quantile(figures.reached, 0.5)),
        static_cast<long long>(Quantile(figures.reached, 0.99)),
        figures.errors);
    sane = sane && figures.errors == 0;
  }
  if (!sane) {
    std::fprintf(stderr,
                 "trace_bench: events were not all accepted or traces "
                 "failed\n");
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace sentinel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return sentinel::bench::Run();
}
