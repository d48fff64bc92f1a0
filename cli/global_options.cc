// Reads and checks sentinelctl's global flags.
#include "cli/global_options.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cli/flags.h"
#include "services/common/listen_address.h"

namespace sentinel::cli {

absl::StatusOr<GlobalOptions> ReadGlobalOptions() {
  GlobalOptions options;
  options.server = absl::GetFlag(FLAGS_server);
  options.timeout = absl::GetFlag(FLAGS_timeout);
  options.json = absl::GetFlag(FLAGS_json);

  if (!absl::GetFlag(FLAGS_insecure)) {
    return absl::InvalidArgumentError(
        "mutual TLS is not available in this version yet; pass --insecure to "
        "talk plain text to a loopback server started with --insecure");
  }
  // Plain text would carry the principal header over the network.
  if (!services::IsLoopbackAddress(options.server)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--insecure works only with a loopback --server (127.0.0.1, "
        "localhost, [::1]) given as host:port, not ",
        options.server));
  }
  const std::string as = absl::GetFlag(FLAGS_as);
  absl::StatusOr<Principal> principal = ParsePrincipalShort(as);
  if (!principal.ok()) {
    // The default comes from $USER, which the user may not think of.
    const absl::string_view source =
        as == DefaultPrincipal() ? " (the default, from $USER)" : "";
    return absl::InvalidArgumentError(
        absl::StrCat("--as=", as, source, ": ", principal.status().message()));
  }
  options.principal = *std::move(principal);
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--timeout must be positive");
  }
  return options;
}

}  // namespace sentinel::cli
