// The client side of the crash harness (crash_harness.sh): drives a mixed
// load against a sentineld until it dies, recording every acknowledged
// write, and afterwards checks that each recorded write is there exactly
// once.
//
//   crash_load --mode=load --server=HOST:PORT --tls_dir=DIR --record=FILE
//              --tag=CYCLE [--clients=4] [--ops=100000]
//   crash_load --mode=verify --server=HOST:PORT --tls_dir=DIR --record=FILE
//              [--clients=4]
//
// Load: each client thread cycles through four writes on accounts of its
// own (unique per tag, thread and step, so "exactly once" can be counted):
// a freeze; a request to lift that freeze; a P0 report (which freezes
// before it replies); a batch of ledger events. A write is appended to the
// record file (one line, flushed) only after its reply; a thread stops at
// its first failed call (the server died). Verify: every recorded freeze is
// the account's one active freeze, with its one audit entry; every recorded
// unfreeze request is pending on its freeze; every recorded incident is the
// account's one incident, with its protective freeze; every recorded ledger
// batch, sent again, is all duplicates (--clients threads check in
// parallel). Exit 0 when everything holds, 1 with one line per problem
// otherwise.
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "sentinel/v1/audit.grpc.pb.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "sentinel/v1/incident.grpc.pb.h"
#include "sentinel/v1/trace.grpc.pb.h"
#include "tls/credentials.h"
#include "tls/development_pki.h"

ABSL_FLAG(std::string, mode, "load", "load or verify.");
ABSL_FLAG(std::string, server, "", "host:port of sentineld.");
ABSL_FLAG(std::string, tls_dir, "",
          "The server's development PKI (data_dir/tls).");
ABSL_FLAG(std::string, record, "",
          "File of acknowledged writes (appended to by load).");
ABSL_FLAG(std::string, tag, "c0", "Makes this run's account ids unique.");
ABSL_FLAG(int, clients, 4, "Load threads (1..64).");
ABSL_FLAG(int, ops, 100000, "Writes per load thread at most (1..10000000).");

namespace sentinel::crash {
namespace {

// Ledger events per recorded batch.
constexpr int kLedgerBatch = 20;
constexpr absl::Duration kDeadline = absl::Seconds(5);

class Client {
 public:
  Client(const std::string& server, const std::string& tls_dir) {
    const tls::DevelopmentPki pki(tls_dir);
    for (v1::Role role :
         {v1::ROLE_AGENT, v1::ROLE_INTERNAL, v1::ROLE_SECURITY}) {
      absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
          tls::DevelopmentChannelCredentials(pki, role);
      if (!credentials.ok()) {
        std::fprintf(stderr, "crash_load: %s\n",
                     credentials.status().ToString().c_str());
        std::exit(2);
      }
      channels_.push_back(grpc::CreateChannel(server, *credentials));
    }
    freeze_as_agent_ = v1::FreezeService::NewStub(channels_[0]);
    incident_as_internal_ = v1::IncidentService::NewStub(channels_[1]);
    trace_as_internal_ = v1::TraceService::NewStub(channels_[1]);
    freeze_as_security_ = v1::FreezeService::NewStub(channels_[2]);
    incident_as_security_ = v1::IncidentService::NewStub(channels_[2]);
    audit_as_security_ = v1::AuditService::NewStub(channels_[2]);
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + kDeadline));
    return context;
  }

  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::unique_ptr<v1::FreezeService::Stub> freeze_as_agent_;
  std::unique_ptr<v1::IncidentService::Stub> incident_as_internal_;
  std::unique_ptr<v1::TraceService::Stub> trace_as_internal_;
  std::unique_ptr<v1::FreezeService::Stub> freeze_as_security_;
  std::unique_ptr<v1::IncidentService::Stub> incident_as_security_;
  std::unique_ptr<v1::AuditService::Stub> audit_as_security_;
};

// The ledger batch recorded as `first`: deposits to `first` (an account of
// its own), the same content every time it is rebuilt.
std::vector<v1::LedgerEvent> LedgerBatch(const std::string& first) {
  std::vector<v1::LedgerEvent> events;
  for (int i = 0; i < kLedgerBatch; ++i) {
    v1::LedgerEvent& event = events.emplace_back();
    event.set_event_id(absl::StrCat(first, "-", i));
    event.mutable_time()->set_seconds(1795000000 + i);
    event.set_kind(v1::LEDGER_EVENT_KIND_DEPOSIT);
    event.set_to_account(first);
    event.set_asset("BTC");
    event.set_amount(1000 + i);
  }
  return events;
}

grpc::Status Ingest(Client& client, const std::vector<v1::LedgerEvent>& events,
                    v1::IngestSummary* summary) {
  auto context = Client::Context();
  auto writer = client.trace_as_internal_->IngestLedger(context.get(), summary);
  for (const v1::LedgerEvent& event : events) {
    if (!writer->Write(event)) break;
  }
  writer->WritesDone();
  return writer->Finish();
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

// One load thread: stops at the first failed call.
void LoadThread(Client& client, Record& record, const std::string& prefix,
                int ops) {
  std::string last_freeze_account, last_freeze_id;
  for (int step = 0; step < ops; ++step) {
    const std::string account = absl::StrCat(prefix, "-", step);
    switch (step % 4) {
      case 0: {
        v1::FreezeAccountRequest request;
        request.set_account_id(account);
        request.add_scopes(v1::FREEZE_SCOPE_WITHDRAW);
        request.set_reason("crash harness");
        v1::FreezeRecord freeze;
        if (!client.freeze_as_agent_
                 ->FreezeAccount(Client::Context().get(), request, &freeze)
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
        if (!client.freeze_as_agent_
                 ->RequestUnfreeze(Client::Context().get(), request, &unfreeze)
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
        if (!client.incident_as_internal_
                 ->ReportIncident(Client::Context().get(), request, &incident)
                 .ok()) {
          return;
        }
        record.Add(absl::StrCat("incident ", account, " ",
                                incident.incident_id(), " ",
                                incident.protective_freeze_id()));
        break;
      }
      case 3: {
        v1::IngestSummary summary;
        if (!Ingest(client, LedgerBatch(account), &summary).ok() ||
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
  Client client(absl::GetFlag(FLAGS_server), absl::GetFlag(FLAGS_tls_dir));
  Record record(absl::GetFlag(FLAGS_record));
  std::vector<std::thread> threads;
  for (int t = 0; t < absl::GetFlag(FLAGS_clients); ++t) {
    threads.emplace_back(LoadThread, std::ref(client), std::ref(record),
                         absl::StrCat(absl::GetFlag(FLAGS_tag), "-w", t),
                         absl::GetFlag(FLAGS_ops));
  }
  for (std::thread& thread : threads) thread.join();
  return 0;
}

// Checks one recorded line; returns the problems found (empty when it
// holds).
std::vector<std::string> Check(Client& client, const std::string& line) {
  std::istringstream words(line);
  std::string kind, account, id, extra;
  words >> kind >> account >> id >> extra;
  std::vector<std::string> problems;
  const auto problem = [&](const std::string& what) {
    problems.push_back(absl::StrCat(line, ": ", what));
  };
  const auto state = [&](v1::AccountFreezeState* state) {
    v1::GetFreezeStateRequest request;
    request.set_account_id(account);
    return client.freeze_as_security_->GetFreezeState(Client::Context().get(),
                                                      request, state);
  };
  const auto audit_count = [&](const std::string& action) {
    v1::QueryAuditRequest request;
    request.set_subject(account);
    request.set_action(action);
    request.set_page_size(100);
    v1::QueryAuditResponse response;
    const grpc::Status status = client.audit_as_security_->QueryAudit(
        Client::Context().get(), request, &response);
    return status.ok() ? response.entries_size() : -1;
  };
  if (kind == "freeze" || kind == "unfreeze") {
    const std::string& freeze_id = id;
    v1::AccountFreezeState frozen;
    if (!state(&frozen).ok()) return {absl::StrCat(line, ": unreadable")};
    if (frozen.active_freezes_size() != 1 ||
        frozen.active_freezes(0).freeze_id() != freeze_id) {
      problem(absl::StrCat(frozen.active_freezes_size(),
                           " active freezes, expected exactly ", freeze_id));
    } else if (kind == "unfreeze" &&
               frozen.active_freezes(0).unfreeze_request_id() != extra) {
      problem(absl::StrCat("pending unfreeze request is \"",
                           frozen.active_freezes(0).unfreeze_request_id(),
                           "\""));
    }
    if (kind == "freeze" && audit_count("FreezeService.FreezeAccount") != 1) {
      problem("not exactly one FreezeAccount audit entry");
    }
  } else if (kind == "incident") {
    v1::ListIncidentsRequest request;
    request.set_account_id(account);
    v1::ListIncidentsResponse listed;
    if (!client.incident_as_security_
             ->ListIncidents(Client::Context().get(), request, &listed)
             .ok()) {
      return {absl::StrCat(line, ": unreadable")};
    }
    if (listed.incidents_size() != 1 ||
        listed.incidents(0).incident_id() != id) {
      problem(absl::StrCat(listed.incidents_size(),
                           " incidents, expected exactly ", id));
    }
    v1::AccountFreezeState frozen;
    if (extra.empty()) {
      problem("acknowledged without a protective freeze");
    } else if (!state(&frozen).ok() || frozen.active_freezes_size() != 1 ||
               frozen.active_freezes(0).freeze_id() != extra) {
      problem(absl::StrCat("protective freeze ", extra, " is not the one"));
    }
    if (audit_count("IncidentService.ReportIncident") != 1) {
      problem("not exactly one ReportIncident audit entry");
    }
  } else if (kind == "ledger") {
    v1::IngestSummary summary;
    if (!Ingest(client, LedgerBatch(account), &summary).ok()) {
      return {absl::StrCat(line, ": cannot ingest again")};
    }
    if (summary.duplicates() != kLedgerBatch) {
      problem(absl::StrCat("sent again: ", summary.accepted(), " accepted, ",
                           summary.duplicates(), " duplicates, expected ",
                           kLedgerBatch, " duplicates"));
    }
  } else {
    problem("unknown record");
  }
  return problems;
}

int Verify() {
  Client client(absl::GetFlag(FLAGS_server), absl::GetFlag(FLAGS_tls_dir));
  std::ifstream record(absl::GetFlag(FLAGS_record));
  std::vector<std::string> lines;
  for (std::string line; std::getline(record, line);) lines.push_back(line);
  // --clients threads check every clients-th line each.
  const size_t clients = absl::GetFlag(FLAGS_clients);
  std::mutex mu;
  std::vector<std::string> problems;
  std::vector<std::thread> threads;
  for (size_t t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < lines.size(); i += clients) {
        std::vector<std::string> found = Check(client, lines[i]);
        std::lock_guard<std::mutex> lock(mu);
        problems.insert(problems.end(), found.begin(), found.end());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& problem : problems) {
    std::fprintf(stderr, "LOST OR DUPLICATED: %s\n", problem.c_str());
  }
  std::printf("crash_load: %zu acknowledged writes checked, %zu problems\n",
              lines.size(), problems.size());
  return problems.empty() ? 0 : 1;
}

}  // namespace
}  // namespace sentinel::crash

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int ops = absl::GetFlag(FLAGS_ops);
  if (absl::GetFlag(FLAGS_server).empty() ||
      absl::GetFlag(FLAGS_tls_dir).empty() ||
      absl::GetFlag(FLAGS_record).empty() || clients < 1 || clients > 64 ||
      ops < 1 || ops > 10000000) {
    std::fprintf(stderr,
                 "crash_load: --server, --tls_dir and --record are required; "
                 "--clients 1..64, --ops 1..10000000\n");
    return 2;
  }
  if (absl::GetFlag(FLAGS_mode) == "load") return sentinel::crash::Load();
  if (absl::GetFlag(FLAGS_mode) == "verify") return sentinel::crash::Verify();
  std::fprintf(stderr, "crash_load: --mode is load or verify\n");
  return 2;
}
