// sentinelctl: the operators' command line for Sentinel's FreezeService,
// AuditService and IncidentService.
//
// Checks the command line (usage errors exit 2), reads the global flags,
// then runs one subcommand against --server as the --as principal.
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/global_options.h"
#include "cli/report.h"
#include "cli/session.h"

namespace sentinel::cli {
namespace {

// --help lists the flags defined under cli/, not absl's or gRPC's.
bool IsCliFlagFile(absl::string_view filename) {
  return absl::StrContains(filename, "cli/");
}

int Run(const std::vector<std::string>& positional, const GivenFlags& given) {
  absl::StatusOr<Invocation> invocation = ResolveCommand(positional, given);
  if (!invocation.ok()) return UsageFailure(invocation.status().message());
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions();
  if (!options.ok()) return UsageFailure(options.status().message());

  Session session(options->server, options->credentials, options->principal,
                  options->insecure, options->timeout);
  return invocation->command->run(
      CommandEnv{session, options->json, std::move(invocation->args), given});
}

}  // namespace
}  // namespace sentinel::cli

int main(int argc, char** argv) {
  namespace cli = sentinel::cli;
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = cli::IsCliFlagFile;
  usage_config.contains_helpshort_flags = cli::IsCliFlagFile;
  absl::SetFlagsUsageConfig(usage_config);
  absl::SetProgramUsageMessage(cli::UsageText());

  cli::GivenFlags given;
  if (!cli::WantsHelp(argc, argv)) {
    absl::StatusOr<cli::GivenFlags> checked = cli::CheckCommandLine(argc, argv);
    if (!checked.ok()) return cli::UsageFailure(checked.status().message());
    given = *std::move(checked);
  }
  const std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);
  const std::vector<std::string> positional(parsed.begin() + 1, parsed.end());
  return cli::Run(positional, given);
}
