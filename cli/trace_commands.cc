// The trace subcommands over TraceService: trace (follow stolen value, and
// optionally draw its flow graph), trace ingest (stream ledger events from
// JSON lines), trace freeze (freeze what a trace finds), and trace kinds set,
// approve and list (mark accounts as exchange infrastructure, two people).
// Options are checked here (trace_options.h); limits only the server knows come
// back as its one-line failure.
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/atomic_file.h"
#include "cli/command_runners.h"
#include "cli/flags.h"
#include "cli/flow_graph_dot.h"
#include "cli/report.h"
#include "cli/trace_ledger_reader.h"
#include "cli/trace_options.h"
#include "cli/trace_output.h"

extern char** environ;

namespace sentinel::cli {
namespace {

// How often `trace ingest` says how far it got, in events.
constexpr int64_t kIngestProgressEvery = 100000;

// `trace kinds list` follows at most this many pages of 1000 accounts.
constexpr int kMaxKindsPages = 100;

// Prints `text` where it does not get in the way of the result: on stdout
// after a human-readable result, on stderr after JSON (which scripts parse).
int Tell(const CommandEnv& env, const std::string& text) {
  if (!env.json) return WriteOut(text);
  std::fputs(text.c_str(), stderr);
  return kExitOk;
}

// A path as an argument of another program: one starting with '-' would be
// taken for an option.
std::string AsArgument(const std::string& path) {
  return path.rfind('-', 0) == 0 ? "./" + path : path;
}

// Renders `dot_path` to SvgPathFor(dot_path) with Graphviz's dot, run
// directly (no shell sees the paths), through a temporary file so that a
// failed rendering leaves no partial SVG. Returns what to tell the user.
std::string RenderSvg(const std::string& dot_path) {
  const std::string svg_path = SvgPathFor(dot_path);
  const std::string temp_path = svg_path + ".tmp";
  const std::string hint =
      absl::StrCat("render it with: dot -Tsvg -o ", svg_path, " ", dot_path);
  // -o and its file are one argument, so the file cannot be taken for an
  // option.
  std::vector<std::string> args = {
      "dot", "-Tsvg", absl::StrCat("-o", temp_path), AsArgument(dot_path)};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int spawned =
      posix_spawnp(&pid, "dot", nullptr, nullptr, argv.data(), environ);
  if (spawned == ENOENT) {
    return absl::StrCat("Graphviz dot is not installed; ", hint, "\n");
  }
  if (spawned != 0) {
    return absl::StrCat("cannot run dot (", std::strerror(spawned), "); ", hint,
                        "\n");
  }
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0) {
    if (errno != EINTR) {
      return absl::StrCat("lost track of dot (", std::strerror(errno), "); ",
                          hint, "\n");
    }
  }
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    std::remove(temp_path.c_str());
    return absl::StrCat(
        "dot failed (",
        WIFEXITED(wait_status)
            ? absl::StrCat("exit status ", WEXITSTATUS(wait_status))
            : absl::StrCat("signal ", WTERMSIG(wait_status)),
        "); ", hint, "\n");
  }
  if (std::rename(temp_path.c_str(), svg_path.c_str()) != 0) {
    std::remove(temp_path.c_str());
    return absl::StrCat("cannot rename ", temp_path, " to ", svg_path, " (",
                        std::strerror(errno), ")\n");
  }
  return absl::StrCat("rendered it with Graphviz dot to ", svg_path, "\n");
}

// A problem with the ingest input: a malformed or overlong line is the
// user's to fix (exit 2), a read error is not.
int InputFailure(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    return UsageFailure(status.message());
  }
  return Failure(status);
}

}  // namespace

// trace ACCOUNT --since=TIME [--until=TIME] [--model=MODEL] [--max_hops=N]
// [--max_events=N] [--max_edges=N] [--assets=A,B] [--incident=ID]
// [--dot=FILE]. The DOT file is opened before the call, so a path that
// cannot be written fails before the server does the (audited) trace.
int RunTrace(const CommandEnv& env) {
  absl::StatusOr<v1::TraceFundsRequest> request =
      TraceFundsRequestFromFlags(env.args[0]);
  if (!request.ok()) return UsageFailure(request.status().message());
  const std::string dot_path = absl::GetFlag(FLAGS_dot);
  if (env.given.count("dot") != 0 && dot_path.empty()) {
    return UsageFailure("--dot needs a file name, e.g. --dot=flow.dot");
  }
  std::unique_ptr<AtomicFileWriter> dot_file;
  if (!dot_path.empty()) {
    absl::StatusOr<std::unique_ptr<AtomicFileWriter>> created =
        AtomicFileWriter::Create(dot_path);
    if (!created.ok()) return Failure(created.status());
    dot_file = *std::move(created);
  }

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::TraceResult result;
  const grpc::Status status =
      env.session.trace().TraceFunds(&context, *request, &result);
  if (!status.ok()) return RpcFailure(status);
  const int printed = PrintResult(
      result, env.json, [&] { return TraceText(result, env.args[0]); });
  if (dot_file == nullptr) return printed;

  dot_file->stream() << FlowGraphDot(result, env.args[0]);
  if (absl::Status committed = dot_file->Commit(); !committed.ok()) {
    return Failure(committed);
  }
  const int told =
      Tell(env, absl::StrCat(env.json ? "" : "\n", "wrote the flow graph to ",
                             dot_path, "\n", RenderSvg(dot_path)));
  return printed != kExitOk ? printed : told;
}

// RpcFailure for an ingest stream that failed after `sent` events: how far
// it got, and that resending is safe.
int IngestFailure(const grpc::Status& status, int64_t sent) {
  if (sent == 0) return RpcFailure(status);
  return RpcFailure(grpc::Status(
      status.error_code(),
      absl::StrCat(status.error_message(), " (after sending ", sent,
                   " events; some may be stored, and sending them all again is "
                   "safe)")));
}

// Reads `in` to its end as ledger events without keeping them: the number of
// events, or the first problem (as LedgerEventReader::Next).
absl::StatusOr<int64_t> CheckEvents(std::istream& in, const std::string& name) {
  LedgerEventReader reader(in, name);
  v1::LedgerEvent event;
  while (true) {
    absl::StatusOr<bool> read = reader.Next(&event);
    if (!read.ok()) return read.status();
    if (!*read) return reader.events();
  }
}

// trace ingest FILE, or "-" for stdin. A regular file is checked whole
// before anything is sent, so a bad line costs nothing but the extra read
// (parsing dominates: about 40% more time); stdin (or a pipe) can be read
// only once, so it is checked as it streams, and a bad line stops the
// stream there: what was sent before it is still committed and reported
// (ingest is idempotent, so the whole input can be sent again once the line
// is fixed). The stream has no deadline (a large file takes as long as it
// takes); --timeout bounds connecting.
int RunTraceIngest(const CommandEnv& env) {
  const std::string& path = env.args[0];
  const std::string name = path == "-" ? "stdin" : path;
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return UsageFailure(absl::StrCat(path, ": cannot open"));
    std::error_code error;
    if (std::filesystem::is_regular_file(path, error)) {
      absl::StatusOr<int64_t> events = CheckEvents(file, name);
      if (!events.ok()) return InputFailure(events.status());
      if (*events == 0) {
        return UsageFailure(absl::StrCat(name, ": holds no ledger events"));
      }
      file.clear();
      file.seekg(0);
      if (!file) {
        return Failure(absl::DataLossError(
            absl::StrCat(name, ": cannot read it again after checking it")));
      }
    }
  }
  LedgerEventReader reader(path == "-" ? std::cin : file, name);
  v1::LedgerEvent event;
  absl::StatusOr<bool> read = reader.Next(&event);
  if (!read.ok()) return InputFailure(read.status());
  if (!*read)
    return UsageFailure(absl::StrCat(name, ": holds no ledger events"));

  if (grpc::Status connected = env.session.WaitForConnection();
      !connected.ok()) {
    return RpcFailure(connected);
  }
  grpc::ClientContext context;
  env.session.PrepareOpenEnded(&context);
  v1::IngestSummary summary;
  std::unique_ptr<grpc::ClientWriterInterface<v1::LedgerEvent>> writer =
      env.session.trace().IngestLedger(&context, &summary);
  int64_t sent = 0;
  absl::Status stopped;
  // A refused stream stops taking writes; Finish() says why.
  while (writer->Write(event)) {
    ++sent;
    if (sent % kIngestProgressEvery == 0) {
      std::fprintf(stderr, "sentinelctl: sent %lld events\n",
                   static_cast<long long>(sent));
    }
    read = reader.Next(&event);
    if (!read.ok()) stopped = read.status();
    if (!read.ok() || !*read) break;
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (!status.ok()) return IngestFailure(status, sent);
  const int printed = PrintResult(summary, env.json, [&] {
    return IngestedText(summary, sent, [&](int64_t position) {
      return reader.LineOf(position);
    });
  });
  if (stopped.ok()) return printed;
  return InputFailure(absl::Status(
      stopped.code(),
      absl::StrCat(stopped.message(), "; stopped there after sending the ",
                   sent,
                   " events before it; fix it and send everything again "
                   "(events already stored count as duplicates)")));
}

// trace freeze ACCOUNT --since=TIME --incident=ID --reason=TEXT [trace
// options] [--scopes=S,S] [--accounts=A,B] [--idempotency_key=KEY]. Exits 1
// when any account's freeze failed, and says so on stderr too: those
// accounts are not blocked.
int RunTraceFreeze(const CommandEnv& env) {
  absl::StatusOr<v1::FreezeTraceCandidatesRequest> request =
      FreezeTraceCandidatesRequestFromFlags(env.args[0]);
  if (!request.ok()) return UsageFailure(request.status().message());

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::FreezeTraceCandidatesResponse response;
  const grpc::Status status =
      env.session.trace().FreezeTraceCandidates(&context, *request, &response);
  if (!status.ok()) return RpcFailure(status);
  const int printed = PrintResult(
      response, env.json, [&] { return CandidateFreezesText(response); });
  const std::string failed = FreezesFailedLine(response);
  if (failed.empty()) return printed;
  std::fputs(failed.c_str(), stderr);
  return kExitFailure;
}

// trace kinds set ACCOUNT KIND [--note=TEXT]
int RunTraceKindsSet(const CommandEnv& env) {
  absl::StatusOr<v1::SetAccountKindsRequest> request =
      SetAccountKindsRequestFromFlags(env.args[0], env.args[1]);
  if (!request.ok()) return UsageFailure(request.status().message());

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::SetAccountKindsResponse response;
  const grpc::Status status =
      env.session.trace().SetAccountKinds(&context, *request, &response);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(response, env.json,
                     [&] { return AccountKindsText(response.accounts()); });
}

// trace kinds approve ACCOUNT [ACCOUNT...]
int RunTraceKindsApprove(const CommandEnv& env) {
  v1::ApproveAccountKindsRequest request;
  for (const std::string& account : env.args) request.add_account_ids(account);

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::ApproveAccountKindsResponse response;
  const grpc::Status status =
      env.session.trace().ApproveAccountKinds(&context, request, &response);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(response, env.json,
                     [&] { return AccountKindsText(response.accounts()); });
}

// trace kinds list [--kind=KIND] [--pending]. Follows the pages to the end,
// each its own call with its own deadline, and prints them as one list (--json:
// one response holding every account).
int RunTraceKindsList(const CommandEnv& env) {
  absl::StatusOr<v1::ListInfrastructureAccountsRequest> request =
      ListInfrastructureAccountsRequestFromFlags();
  if (!request.ok()) return UsageFailure(request.status().message());

  v1::ListInfrastructureAccountsResponse all;
  for (int page = 0;; ++page) {
    // A server handing out tokens forever must not keep this running.
    if (page == kMaxKindsPages) {
      all.set_next_page_token(request->page_token());
      break;
    }
    grpc::ClientContext context;
    env.session.Prepare(&context);
    v1::ListInfrastructureAccountsResponse response;
    const grpc::Status status = env.session.trace().ListInfrastructureAccounts(
        &context, *request, &response);
    if (!status.ok()) return RpcFailure(status);
    for (v1::AccountKindEntry& entry : *response.mutable_accounts()) {
      *all.add_accounts() = std::move(entry);
    }
    if (response.next_page_token().empty()) break;
    request->set_page_token(response.next_page_token());
  }
  const int printed = PrintResult(
      all, env.json, [&] { return InfrastructureAccountsText(all); });
  if (all.next_page_token().empty()) return printed;
  return Failure(absl::ResourceExhaustedError(
      absl::StrCat("stopped after ", kMaxKindsPages, " pages (",
                   all.accounts_size(), " accounts); the list goes on")));
}

}  // namespace sentinel::cli
