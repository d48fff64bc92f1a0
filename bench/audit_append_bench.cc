// Durable audit appends: group commit against one fsync per entry, side by
// side in the same run, at several numbers of concurrent appenders.
//
// Each appender is a closed loop: append one entry (about 500 bytes, like a
// freeze's before/after record), wait for the durable acknowledgement,
// repeat, for a bounded time. Every measured append is a real
// MerkleAuditLog::CommitWithAudit on a fresh RocksDB in a temporary
// directory: synced WAL, tree nodes, indexes and a signed checkpoint.
//
// Usage: audit_append_bench [--appenders=1,16,64] [--seconds=3] [--dir=/tmp]

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "audit/audit_log_layout.h"
#include "audit/merkle_audit_log.h"
#include "bench/latency_stats.h"
#include "common/rocks_database.h"
#include "common/server_process.h"
#include "common/time_util.h"

ABSL_FLAG(std::string, appenders, "1,16,64", "Concurrent appenders to try.");
ABSL_FLAG(absl::Duration, batch_delay, absl::Milliseconds(1),
          "The group-commit age bound (AuditLogOptions::max_batch_delay).");
ABSL_FLAG(double, seconds, 3, "Measured seconds per case (0.1..600).");
ABSL_FLAG(std::string, dir, "",
          "Where to create the temporary databases "
          "(default $TMPDIR or /tmp): pick the disk to "
          "measure.");

namespace sentinel::bench {
namespace {

struct Result {
  double appends_per_second = 0;
  absl::Duration p50, p99, p999, max;
  uint64_t errors = 0;
};

v1::AuditEntry SampleEntry(int appender) {
  v1::AuditEntry entry;
  entry.set_principal("agent/bench" + std::to_string(appender));
  entry.set_action("FreezeService.FreezeAccount");
  entry.mutable_subject()->set_account_id("acct-" + std::to_string(appender));
  entry.set_after(std::string(420, 'x'));
  *entry.mutable_time() = ToProtoTime(absl::Now());
  return entry;
}

Result RunCase(const std::string& base_dir, int appenders,
               size_t max_batch_entries, absl::Duration duration) {
  const std::string dir = MakeScratchDir(base_dir);
  Result result;
  {
    auto database = RocksDatabase::Open(dir + "/db", {audit::kAuditFamily});
    auto key = audit::Ed25519PrivateKey::LoadOrCreate(dir + "/key.pem");
    if (!database.ok() || !key.ok()) {
      std::fprintf(stderr, "setup failed\n");
      std::exit(1);
    }
    audit::AuditLogOptions options;
    options.max_batch_entries = max_batch_entries;
    options.max_batch_delay = absl::GetFlag(FLAGS_batch_delay);
    auto log =
        audit::MerkleAuditLog::Open(**database, *std::move(key), options);
    if (!log.ok()) {
      std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
      std::exit(1);
    }
    std::vector<std::vector<absl::Duration>> latencies(appenders);
    std::atomic<uint64_t> errors{0};
    const absl::Time end = absl::Now() + duration;
    std::vector<std::thread> threads;
    for (int a = 0; a < appenders; ++a) {
      threads.emplace_back([&, a] {
        const v1::AuditEntry entry = SampleEntry(a);
        while (absl::Now() < end) {
          rocksdb::WriteBatch no_changes;
          const absl::Time start = absl::Now();
          if (!(*log)
                   ->CommitWithAudit(no_changes, entry,
                                     audit::CommitUrgency::kNormal,
                                     audit::AuditRule::kProtective)
                   .ok())
            ++errors;
          latencies[a].push_back(absl::Now() - start);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    std::vector<absl::Duration> all;
    for (auto& per_thread : latencies) {
      all.insert(all.end(), per_thread.begin(), per_thread.end());
    }
    std::sort(all.begin(), all.end());
    result.errors = errors.load();
    result.appends_per_second =
        static_cast<double>(all.size() - result.errors) /
        absl::ToDoubleSeconds(duration);
    result.p50 = Percentile(all, 0.50);
    result.p99 = Percentile(all, 0.99);
    result.p999 = Percentile(all, 0.999);
    result.max = all.empty() ? absl::ZeroDuration() : all.back();
  }
  std::filesystem::remove_all(dir);
  return result;
}

int Run() {
  std::vector<int> appender_counts;
  for (absl::string_view part :
       absl::StrSplit(absl::GetFlag(FLAGS_appenders), ',')) {
    int count = 0;
    if (!absl::SimpleAtoi(part, &count) || count < 1 || count > 1024) {
      std::fprintf(stderr, "--appenders: \"%s\" is not within 1..1024\n",
                   std::string(part).c_str());
      return 2;
    }
    appender_counts.push_back(count);
  }
  const double seconds = absl::GetFlag(FLAGS_seconds);
  if (seconds < 0.1 || seconds > 600) {
    std::fprintf(stderr, "--seconds must be within 0.1..600\n");
    return 2;
  }
  const std::string base_dir = absl::GetFlag(FLAGS_dir);
  const absl::Duration duration = absl::Seconds(seconds);

  std::printf(
      "| appenders | mode | appends/s | p50 µs | p99 µs | p99.9 µs | "
      "max µs | errors | group / per-entry |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (int appenders : appender_counts) {
    const Result per_entry = RunCase(base_dir, appenders, 1, duration);
    const Result group = RunCase(base_dir, appenders, 256, duration);
    for (const auto& [mode, result] :
         {std::pair<const char*, const Result&>{"one fsync per entry",
                                                per_entry},
          std::pair<const char*, const Result&>{"group commit", group}}) {
      const bool is_group = &result == &group;
      std::printf("| %d | %s | %.0f | %s | %s | %s | %s | %llu | %s |\n",
                  appenders, mode, result.appends_per_second,
                  Micros(result.p50).c_str(), Micros(result.p99).c_str(),
                  Micros(result.p999).c_str(), Micros(result.max).c_str(),
                  static_cast<unsigned long long>(result.errors),
                  is_group ? std::to_string(group.appends_per_second /
                                            per_entry.appends_per_second)
                                 .substr(0, 5)
                                 .c_str()
                           : "");
    }
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace sentinel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  sentinel::ConfigureServerProcess();
  return sentinel::bench::Run();
}
