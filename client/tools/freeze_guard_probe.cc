// freeze-guard-probe: a FreezeGuard in a process of its own, driven by
// commands on stdin, for end-to-end tests and for operators checking what a
// withdrawal engine's guard would answer.
//
//   freeze-guard-probe --server=HOST:PORT --tls_dir=DIR [--max_staleness=1s]
//
// Commands, one per line; each prints one line:
//   expect ACCOUNT ACTION REASON TIMEOUT
//       waits (at most TIMEOUT, e.g. 5s) until Check(ACCOUNT, ACTION) gives
//       REASON (ALLOWED, FROZEN, COOLING_OFF, STALE, NOT_SYNCED); prints
//       "ok REASON" or "fail REASON (wanted ...)".
//   check ACCOUNT ACTION     prints the reason now.
//   status                   the replica's version and how the last
//                            WatchFreezes stream ended.
//   quit
// Exit: 0 after quit/EOF, 1 when the guard cannot start, 2 for bad flags.
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/freeze_guard.h"
#include "tls/credentials.h"
#include "tls/development_pki.h"

ABSL_FLAG(std::string, server, "", "host:port of the FreezeService.");
ABSL_FLAG(std::string, tls_dir, "",
          "Development PKI directory; the guard presents its internal client "
          "certificate.");
ABSL_FLAG(absl::Duration, max_staleness, absl::Seconds(1),
          "The guard denies everything when it has heard nothing for this "
          "long.");

namespace sentinel::client {
namespace {

// Re-checks an in-memory answer until it changes; the guard's own threads
// move the state.
constexpr absl::Duration kRecheck = absl::Milliseconds(5);

std::string Decide(const FreezeGuard& guard, const std::string& account,
                   const std::string& action) {
  v1::FreezeScope scope = v1::FREEZE_SCOPE_UNSPECIFIED;
  if (!v1::FreezeScope_Parse("FREEZE_SCOPE_" + absl::AsciiStrToUpper(action),
                             &scope)) {
    return "INVALID_ACTION";
  }
  return std::string(ReasonName(guard.Check(account, scope).reason));
}

int Run() {
  const std::string server = absl::GetFlag(FLAGS_server);
  const std::string tls_dir = absl::GetFlag(FLAGS_tls_dir);
  if (server.empty() || tls_dir.empty()) {
    std::fprintf(stderr,
                 "freeze-guard-probe: --server and --tls_dir are "
                 "required (see --help)\n");
    return 2;
  }
  absl::StatusOr<tls::DevelopmentPki> pki = tls::LoadDevelopmentPki(tls_dir);
  if (!pki.ok()) {
    std::fprintf(stderr, "freeze-guard-probe: %s\n",
                 pki.status().ToString().c_str());
    return 1;
  }
  auto credentials =
      tls::DevelopmentChannelCredentials(*pki, v1::ROLE_INTERNAL);
  if (!credentials.ok()) {
    std::fprintf(stderr, "freeze-guard-probe: %s\n",
                 credentials.status().ToString().c_str());
    return 1;
  }
  FreezeGuardOptions options;
  options.connection = {.address = server, .credentials = *credentials};
  options.max_staleness = absl::GetFlag(FLAGS_max_staleness);
  options.reconnect = {.initial = absl::Milliseconds(50),
                       .max = absl::Milliseconds(500)};
  absl::StatusOr<std::unique_ptr<FreezeGuard>> guard =
      FreezeGuard::Start(options);
  if (!guard.ok()) {
    std::fprintf(stderr, "freeze-guard-probe: %s\n",
                 guard.status().ToString().c_str());
    return 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string command, account, action, wanted, timeout_text;
    words >> command;
    if (command == "quit") break;
    if (command == "status") {
      std::printf("version=%llu last_stream=%s\n",
                  static_cast<unsigned long long>((*guard)->version()),
                  (*guard)->last_stream_status().ToString().c_str());
    } else if (command == "check" && words >> account >> action) {
      std::printf("%s\n", Decide(**guard, account, action).c_str());
    } else if (command == "expect" &&
               words >> account >> action >> wanted >> timeout_text) {
      absl::Duration timeout;
      if (!absl::ParseDuration(timeout_text, &timeout)) {
        std::printf("error bad TIMEOUT %s\n", timeout_text.c_str());
      } else {
        const absl::Time end = absl::Now() + timeout;
        std::string got = Decide(**guard, account, action);
        while (got != wanted && absl::Now() < end) {
          absl::SleepFor(kRecheck);
          got = Decide(**guard, account, action);
        }
        std::printf("%s %s%s\n", got == wanted ? "ok" : "fail", got.c_str(),
                    got == wanted ? "" : (" (wanted " + wanted + ")").c_str());
      }
    } else {
      std::printf("error unknown command: %s\n", line.c_str());
    }
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace sentinel::client

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "A FreezeGuard driven by stdin: expect ACCOUNT ACTION REASON TIMEOUT | "
      "check ACCOUNT ACTION | quit");
  absl::ParseCommandLine(argc, argv);
  return sentinel::client::Run();
}
