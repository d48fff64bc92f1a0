// The watch subcommands: `watch` follows WatchFreezes and `watch incidents`
// follows WatchIncidents, one line (or one JSON object) per event, flushed
// as it arrives.
//
// A watch without --max_events runs until interrupted or until the server
// ends the stream, so it has no call deadline; --timeout bounds the wait for
// the connection instead. With --max_events the whole call has the deadline.
#include <functional>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/command_runners.h"
#include "cli/flags.h"
#include "cli/incident_options.h"
#include "cli/incident_output.h"
#include "cli/output.h"
#include "cli/report.h"
#include "common/proto_json.h"

namespace sentinel::cli {
namespace {

// How one feed's events are shown and recognized.
template <typename Event>
struct FeedFormat {
  std::string header;
  std::function<std::string(const Event&)> line;
  std::function<bool(const Event&)> is_resync;
};

// Prints one event, after the table header if it is the first; JSON events
// are compact so that each is one line. The header waits for the first event
// so that a refused call prints only its failure.
template <typename Event>
int PrintEvent(const Event& event, const FeedFormat<Event>& format, bool json,
               bool first) {
  if (!json) {
    return WriteOut(first ? format.header + format.line(event)
                          : format.line(event));
  }
  absl::StatusOr<std::string> text = ToJson(event, /*pretty=*/false);
  if (!text.ok()) return Failure(text.status());
  return WriteOut(absl::StrCat(*text, "\n"));
}

// Opens the stream with `open` and prints its events until it ends, the
// server asks for a resync, or --max_events have arrived.
template <typename Event>
int Follow(
    const CommandEnv& env, uint64_t from_version,
    const std::function<std::unique_ptr<grpc::ClientReaderInterface<Event>>(
        grpc::ClientContext*)>& open,
    const FeedFormat<Event>& format) {
  const int64_t max_events = absl::GetFlag(FLAGS_max_events);
  if (max_events < 0) return UsageFailure("--max_events must not be negative");

  grpc::ClientContext context;
  if (max_events > 0) {
    env.session.Prepare(&context);
  } else {
    if (grpc::Status status = env.session.WaitForConnection(); !status.ok()) {
      return RpcFailure(status);
    }
    env.session.PrepareOpenEnded(&context);
  }
  std::unique_ptr<grpc::ClientReaderInterface<Event>> reader = open(&context);

  // The version to resume from: the last change processed.
  uint64_t last_version = from_version;
  int64_t received = 0;
  bool resync = false;
  uint64_t resync_version = 0;
  bool first = true;
  Event event;
  while (reader->Read(&event)) {
    const int code = PrintEvent(event, format, env.json, first);
    first = false;
    if (code != kExitOk) {
      context.TryCancel();
      reader->Finish();
      return code;
    }
    if (format.is_resync(event)) {
      // The server ends the stream after this event; Read returns false.
      resync = true;
      resync_version = event.version();
      continue;
    }
    last_version = event.version();
    if (max_events > 0 && ++received == max_events) {
      context.TryCancel();
      reader->Finish();  // CANCELLED, as asked
      return kExitOk;
    }
  }
  const grpc::Status status = reader->Finish();
  if (resync) {
    return Failure(absl::AbortedError(absl::StrCat(
        "watch fell too far behind the server (now at version ", resync_version,
        "); re-run with --from_version=", last_version, " to resume")));
  }
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED &&
      max_events > 0) {
    return RpcFailure(
        grpc::Status(status.error_code(),
                     absl::StrCat("received ", received, " of ", max_events,
                                  " events within --timeout=",
                                  absl::FormatDuration(env.session.timeout()),
                                  "; last version ", last_version)));
  }
  if (!status.ok()) return RpcFailure(status);
  return kExitOk;
}

}  // namespace

// watch [--from_version=N] [--max_events=N]
int RunWatch(const CommandEnv& env) {
  v1::WatchFreezesRequest request;
  request.set_from_version(absl::GetFlag(FLAGS_from_version));
  return Follow<v1::FreezeEvent>(
      env, request.from_version(),
      [&](grpc::ClientContext* context) {
        return env.session.freeze().WatchFreezes(context, request);
      },
      {.header = WatchHeader(),
       .line = WatchLine,
       .is_resync = [](const v1::FreezeEvent& event) {
         return event.kind() == v1::FREEZE_EVENT_KIND_RESYNC_REQUIRED;
       }});
}

// watch incidents [--from_version=N] [--priority=P[,P...]] [--max_events=N]
int RunWatchIncidents(const CommandEnv& env) {
  absl::StatusOr<v1::WatchIncidentsRequest> request =
      WatchIncidentsRequestFromFlags();
  if (!request.ok()) return UsageFailure(request.status().message());
  return Follow<v1::IncidentEvent>(
      env, request->from_version(),
      [&](grpc::ClientContext* context) {
        return env.session.incident().WatchIncidents(context, *request);
      },
      {.header = IncidentWatchHeader(),
       .line = IncidentWatchLine,
       .is_resync = [](const v1::IncidentEvent& event) {
         return event.kind() == v1::INCIDENT_EVENT_KIND_RESYNC_REQUIRED;
       }});
}

}  // namespace sentinel::cli
