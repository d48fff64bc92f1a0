// The client side of the crash harness (crash_harness.sh): drives a mixed
// load against sentineld, or the four services, until a server dies,
// recording every acknowledged write, and afterwards checks that each
// recorded write is there exactly once.
//
//   crash_load --mode=load --server=HOST:PORT --tls_dir=DIR --record=FILE
//              --tag=CYCLE [--clients=4] [--ops=100000] [--duration=30s]
//   crash_load --mode=verify --server=HOST:PORT --tls_dir=DIR --record=FILE
//              [--clients=4] [--settle_wait=60s]
//
// --server is every service's address (sentineld); --freeze_server,
// --intake_server, --trace_server and --audit_server override it per
// service (the four-process deployment).
//
// Load: each client thread cycles through four writes on accounts of its
// own (unique per tag, thread and step, so "exactly once" can be counted):
// a freeze; a request to lift that freeze; a P0 report (which freezes
// before it replies); a batch of ledger events. A write is appended to the
// record file (one line, flushed) only after its reply; a thread stops at
// its first failed call (the server died), after --ops writes, or after
// --duration.
//
// Verify: every recorded freeze is the account's one active freeze; every
// recorded unfreeze request is pending on its freeze; every recorded
// incident is the account's one incident, with its protective freeze as the
// account's one active freeze (a report acknowledged with a failed freeze:
// the one intake's retry made); every recorded ledger batch, sent again, is
// all duplicates (--clients threads check in parallel). Then the audit log,
// read whole: each recorded freeze and incident (and its protective freeze,
// and the retry that made it) has exactly one successful audit entry, entry
// positions have no gap, and every outbox's records arrived at most once and
// in order. Outbox entries and freeze retries happen after the reply, so
// verify waits up to --settle_wait for them. Exit 0 when everything holds,
// 1 with one line per problem otherwise, 2 for bad flags.
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/crash/audit_log_scan.h"
#include "tests/crash/crash_client.h"

ABSL_FLAG(std::string, mode, "load", "load or verify.");
ABSL_FLAG(std::string, server, "",
          "host:port of sentineld: every service's address unless one of "
          "the flags below overrides it.");
ABSL_FLAG(std::string, freeze_server, "", "host:port of FreezeService.");
ABSL_FLAG(std::string, intake_server, "", "host:port of IncidentService.");
ABSL_FLAG(std::string, trace_server, "", "host:port of TraceService.");
ABSL_FLAG(std::string, audit_server, "", "host:port of AuditService.");
ABSL_FLAG(std::string, tls_dir, "",
          "The servers' development PKI (sentineld's data_dir/tls).");
ABSL_FLAG(std::string, record, "",
          "File of acknowledged writes (appended to by load).");
ABSL_FLAG(std::string, tag, "c0", "Makes this run's account ids unique.");
ABSL_FLAG(int, clients, 4, "Load or verify threads (1..64).");
ABSL_FLAG(int, ops, 100000, "Writes per load thread at most (1..10000000).");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(30),
          "Load for at most this long (1s..1h).");
ABSL_FLAG(absl::Duration, settle_wait, absl::Seconds(60),
          "Verify: how long to wait for what happens after a reply: audit "
          "entries still in an outbox, the retry of a failed protective "
          "freeze (0..10m).");

namespace sentinel::crash {
namespace {

constexpr char kFreezeAction[] = "FreezeService.FreezeAccount";
constexpr char kReportAction[] = "IncidentService.ReportIncident";
constexpr char kRetryAction[] = "IncidentService.RetryProtectiveFreeze";
// Recorded in place of the protective freeze id of an incident whose reply
// said the freeze failed.
constexpr char kFreezeFailed[] = "freeze-failed";

std::unique_ptr<CrashClient> ConnectOrExit() {
  const std::string all = absl::GetFlag(FLAGS_server);
  const auto address = [&](const std::string& own) {
    return own.empty() ? all : own;
  };
  ServiceAddresses addresses;
  addresses.freeze = address(absl::GetFlag(FLAGS_freeze_server));
  addresses.intake = address(absl::GetFlag(FLAGS_intake_server));
  addresses.trace = address(absl::GetFlag(FLAGS_trace_server));
  addresses.audit = address(absl::GetFlag(FLAGS_audit_server));
  absl::StatusOr<std::unique_ptr<CrashClient>> client =
      CrashClient::Connect(addresses, absl::GetFlag(FLAGS_tls_dir));
  if (!client.ok()) {
    std::fprintf(stderr, "crash_load: %s\n",
                 client.status().ToString().c_str());
    std::exit(2);
  }
  return *std::move(client);
}

// Appends acknowledged writes to the record file, one flushed line each.
class Record {
 public:
  explicit Record(const std::string& path)
      : file_(std::fopen(path.c_str(), "a")) {
    if (file_ == nullptr) {
      std::fprintf(stderr, "crash_load: cannot append to %s\n", path.c_str());
      std::exit(2);
    }
  }
  ~Record() { std::fclose(file_); }

  void Add(const std::string& line) {
    std::lock_guard<std::mutex> lock(mu_);
    std::fprintf(file_, "%s\n", line.c_str());
    std::fflush(file_);
  }

 private:
  std::mutex mu_;
  std::FILE* file_;
};

// One load thread: stops at the first failed call, after `ops` writes or at
// `deadline`.
void LoadThread(CrashClient& client, Record& record, const std::string& prefix,
                int ops, absl::Time deadline) {
  std::string last_freeze_account, last_freeze_id;
  for (int step = 0; step < ops && absl::Now() < deadline; ++step) {
    const std::string account = absl::StrCat(prefix, "-", step);
    switch (step % 4) {
      case 0: {
        v1::FreezeAccountRequest request;
        request.set_account_id(account);
        request.add_scopes(v1::FREEZE_SCOPE_WITHDRAW);
        request.set_reason("crash harness");
        v1::FreezeRecord freeze;
        if (!client.freeze_as_agent()
                 .FreezeAccount(CrashClient::Context().get(), request, &freeze)
                 .ok()) {
          return;
        }
        last_freeze_account = account;
        last_freeze_id = freeze.freeze_id();
        record.Add(absl::StrCat("freeze ", account, " ", freeze.freeze_id()));
        break;
      }
      case 1: {
        v1::RequestUnfreezeRequest request;
        request.set_account_id(last_freeze_account);
        request.set_freeze_id(last_freeze_id);
        request.set_reason("crash harness");
        v1::UnfreezeRequest unfreeze;
        if (!client.freeze_as_agent()
                 .RequestUnfreeze(CrashClient::Context().get(), request,
                                  &unfreeze)
                 .ok()) {
          return;
        }
        record.Add(absl::StrCat("unfreeze ", last_freeze_account, " ",
                                last_freeze_id, " ", unfreeze.request_id()));
        break;
      }
      case 2: {
        v1::ReportIncidentRequest request;
        request.set_account_id(account);
        request.set_category(v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER);
        request.set_description("crash harness: 2FA reset");
        request.set_channel(v1::CHANNEL_INTERNAL_DETECTION);
        v1::Incident incident;
        if (!client.incident_as_internal()
                 .ReportIncident(CrashClient::Context().get(), request,
                                 &incident)
                 .ok()) {
          return;
        }
        // A P0 report whose protective freeze failed (the freeze service
        // was down) is still recorded and acknowledged, saying so.
        record.Add(absl::StrCat(
            "incident ", account, " ", incident.incident_id(), " ",
            incident.freeze_failed() ? kFreezeFailed
                                     : incident.protective_freeze_id()));
        break;
      }
      case 3: {
        v1::IngestSummary summary;
        if (!client.Ingest(LedgerBatch(account), &summary).ok() ||
            summary.accepted() + summary.duplicates() != kLedgerBatch) {
          return;
        }
        record.Add(absl::StrCat("ledger ", account));
        break;
      }
    }
  }
}

int Load() {
  std::unique_ptr<CrashClient> client = ConnectOrExit();
  Record record(absl::GetFlag(FLAGS_record));
  const absl::Time deadline = absl::Now() + absl::GetFlag(FLAGS_duration);
  std::vector<std::thread> threads;
  for (int t = 0; t < absl::GetFlag(FLAGS_clients); ++t) {
    threads.emplace_back(LoadThread, std::ref(*client), std::ref(record),
                         absl::StrCat(absl::GetFlag(FLAGS_tag), "-w", t),
                         absl::GetFlag(FLAGS_ops), deadline);
  }
  for (std::thread& thread : threads) thread.join();
  return 0;
}

// One recorded line, split into its words.
struct RecordedWrite {
  explicit RecordedWrite(const std::string& recorded) : line(recorded) {
    std::istringstream words(line);
    words >> kind >> account >> id >> extra;
  }

  std::string line;
  std::string kind, account, id, extra;
};

// Checks one recorded write against the services' state (not the audit
// log), waiting until `deadline` for what is made after the reply (the
// retry of a failed protective freeze); returns the problems found (empty
// when it holds).
std::vector<std::string> CheckState(CrashClient& client,
                                    const RecordedWrite& write,
                                    absl::Time deadline) {
  std::vector<std::string> problems;
  const auto problem = [&](const std::string& what) {
    problems.push_back(absl::StrCat(write.line, ": ", what));
  };
  const auto state = [&](v1::AccountFreezeState* state) {
    v1::GetFreezeStateRequest request;
    request.set_account_id(write.account);
    return client.freeze_as_security().GetFreezeState(
        CrashClient::Context().get(), request, state);
  };
  if (write.kind == "freeze" || write.kind == "unfreeze") {
    const std::string& freeze_id = write.id;
    v1::AccountFreezeState frozen;
    const grpc::Status read = state(&frozen);
    if (!read.ok()) {
      problem(absl::StrCat("unreadable: ", read.error_message()));
    } else if (frozen.active_freezes_size() != 1 ||
               frozen.active_freezes(0).freeze_id() != freeze_id) {
      problem(absl::StrCat(frozen.active_freezes_size(),
                           " active freezes, expected exactly ", freeze_id));
    } else if (write.kind == "unfreeze" &&
               frozen.active_freezes(0).unfreeze_request_id() != write.extra) {
      problem(absl::StrCat("pending unfreeze request is \"",
                           frozen.active_freezes(0).unfreeze_request_id(),
                           "\""));
    }
  } else if (write.kind == "incident") {
    // A report acknowledged with a failed protective freeze is frozen by
    // intake's own retry once the freeze service is back: wait for it.
    v1::ListIncidentsResponse listed;
    grpc::Status read;
    for (;;) {
      v1::ListIncidentsRequest request;
      request.set_account_id(write.account);
      listed.Clear();
      read = client.incident_as_security().ListIncidents(
          CrashClient::Context().get(), request, &listed);
      const bool waiting = read.ok() && write.extra == kFreezeFailed &&
                           listed.incidents_size() == 1 &&
                           listed.incidents(0).freeze_failed();
      if (!waiting || absl::Now() >= deadline) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    v1::AccountFreezeState frozen;
    if (!read.ok()) {
      problem(absl::StrCat("unreadable: ", read.error_message()));
    } else if (listed.incidents_size() != 1 ||
               listed.incidents(0).incident_id() != write.id) {
      problem(absl::StrCat(listed.incidents_size(),
                           " incidents, expected exactly ", write.id));
    } else if (write.extra.empty()) {
      problem("acknowledged without a protective freeze or its failure");
    } else if (listed.incidents(0).freeze_failed()) {
      problem(absl::StrCat("protective freeze still failing: ",
                           listed.incidents(0).freeze_error()));
    } else if (write.extra != kFreezeFailed &&
               listed.incidents(0).protective_freeze_id() != write.extra) {
      problem(absl::StrCat("stored protective freeze ",
                           listed.incidents(0).protective_freeze_id(),
                           ", acknowledged ", write.extra));
    } else if (!state(&frozen).ok()) {
      problem("freeze state unreadable");
    } else if (frozen.active_freezes_size() != 1 ||
               frozen.active_freezes(0).freeze_id() !=
                   listed.incidents(0).protective_freeze_id()) {
      problem(absl::StrCat(frozen.active_freezes_size(),
                           " active freezes, expected exactly ",
                           listed.incidents(0).protective_freeze_id()));
    }
  } else if (write.kind == "ledger") {
    v1::IngestSummary summary;
    const grpc::Status sent =
        client.Ingest(LedgerBatch(write.account), &summary);
    if (!sent.ok()) {
      problem(absl::StrCat("cannot ingest again: ", sent.error_message()));
    } else if (summary.duplicates() != kLedgerBatch) {
      problem(absl::StrCat("sent again: ", summary.accepted(), " accepted, ",
                           summary.duplicates(), " duplicates, expected ",
                           kLedgerBatch, " duplicates"));
    }
  } else {
    problem("unknown record");
  }
  return problems;
}

// What a recorded write leaves in the audit log: exactly `count` successful
// entries of `action` on `account`.
struct AuditedAction {
  std::string action;
  std::string account;
  int count = 1;
};

std::vector<AuditedAction> AuditedActions(const RecordedWrite& write) {
  if (write.kind == "freeze") return {{kFreezeAction, write.account}};
  // A P0 report and the protective freeze it made, before its reply or (when
  // the reply said the freeze failed) by intake's retry, recorded once more.
  if (write.kind == "incident") {
    return {
        {kReportAction, write.account},
        {kFreezeAction, write.account},
        {kRetryAction, write.account, write.extra == kFreezeFailed ? 1 : 0}};
  }
  return {};
}

// Reads the audit log until every write in `writes` has its entries or
// `wait` has passed; returns the problems (missing or duplicated entries,
// a log out of order).
std::vector<std::string> CheckAuditLog(const std::vector<RecordedWrite>& writes,
                                       absl::Duration wait,
                                       AuditLogScan& scan) {
  const absl::Time deadline = absl::Now() + wait;
  const auto all_present = [&] {
    for (const RecordedWrite& write : writes) {
      for (const AuditedAction& needed : AuditedActions(write)) {
        if (scan.Count(needed.action, needed.account) < needed.count) {
          return false;
        }
      }
    }
    return true;
  };
  std::vector<std::string> problems;
  for (;;) {
    const grpc::Status read = scan.ReadNew();
    if (!read.ok()) {
      return {absl::StrCat("audit log unreadable: ", read.error_message())};
    }
    if (all_present() || absl::Now() >= deadline) break;
    absl::SleepFor(absl::Milliseconds(100));  // Outbox delivery is async.
  }
  for (const RecordedWrite& write : writes) {
    for (const AuditedAction& needed : AuditedActions(write)) {
      const int count = scan.Count(needed.action, needed.account);
      if (count != needed.count) {
        problems.push_back(
            absl::StrCat(write.line, ": ", count, " ", needed.action,
                         " audit entries, expected ", needed.count));
      }
    }
  }
  problems.insert(problems.end(), scan.problems().begin(),
                  scan.problems().end());
  return problems;
}

int Verify() {
  std::unique_ptr<CrashClient> client = ConnectOrExit();
  std::ifstream record(absl::GetFlag(FLAGS_record));
  std::vector<RecordedWrite> writes;
  for (std::string line; std::getline(record, line);) writes.emplace_back(line);
  // --clients threads check every clients-th write each.
  const absl::Time deadline = absl::Now() + absl::GetFlag(FLAGS_settle_wait);
  const size_t clients = absl::GetFlag(FLAGS_clients);
  std::mutex mu;
  std::vector<std::string> problems;
  std::vector<std::thread> threads;
  for (size_t t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < writes.size(); i += clients) {
        std::vector<std::string> found =
            CheckState(*client, writes[i], deadline);
        std::lock_guard<std::mutex> lock(mu);
        problems.insert(problems.end(), found.begin(), found.end());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  AuditLogScan scan(client->audit_as_security());
  std::vector<std::string> audit_problems =
      CheckAuditLog(writes, absl::GetFlag(FLAGS_settle_wait), scan);
  problems.insert(problems.end(), audit_problems.begin(), audit_problems.end());
  for (const std::string& problem : problems) {
    std::fprintf(stderr, "LOST OR DUPLICATED: %s\n", problem.c_str());
  }
  std::vector<std::string> outboxes;
  for (const auto& [origin, records] : scan.records_by_origin()) {
    outboxes.push_back(absl::StrCat(origin, " ", records));
  }
  std::printf(
      "crash_load: %zu acknowledged writes checked, %llu audit entries read "
      "(from outboxes: %s), %zu problems\n",
      writes.size(), static_cast<unsigned long long>(scan.size()),
      outboxes.empty() ? "none" : absl::StrJoin(outboxes, ", ").c_str(),
      problems.size());
  return problems.empty() ? 0 : 1;
}

}  // namespace
}  // namespace sentinel::crash

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int ops = absl::GetFlag(FLAGS_ops);
  const absl::Duration seconds = absl::GetFlag(FLAGS_duration);
  const absl::Duration settle_wait = absl::GetFlag(FLAGS_settle_wait);
  const bool every_address = !absl::GetFlag(FLAGS_server).empty() ||
                             (!absl::GetFlag(FLAGS_freeze_server).empty() &&
                              !absl::GetFlag(FLAGS_intake_server).empty() &&
                              !absl::GetFlag(FLAGS_trace_server).empty() &&
                              !absl::GetFlag(FLAGS_audit_server).empty());
  if (!every_address || absl::GetFlag(FLAGS_tls_dir).empty() ||
      absl::GetFlag(FLAGS_record).empty() || clients < 1 || clients > 64 ||
      ops < 1 || ops > 10000000 || seconds < absl::Seconds(1) ||
      seconds > absl::Hours(1) || settle_wait < absl::ZeroDuration() ||
      settle_wait > absl::Minutes(10)) {
    std::fprintf(
        stderr,
        "crash_load: --server (or all four --<service>_server), "
        "--tls_dir and --record are required; --clients 1..64, "
        "--ops 1..10000000, --duration 1s..1h, --settle_wait 0..10m\n");
    return 2;
  }
  if (absl::GetFlag(FLAGS_mode) == "load") return sentinel::crash::Load();
  if (absl::GetFlag(FLAGS_mode) == "verify") return sentinel::crash::Verify();
  std::fprintf(stderr, "crash_load: --mode is load or verify\n");
  return 2;
}
