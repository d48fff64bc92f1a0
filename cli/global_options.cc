// Reads and checks sentinelctl's global flags.
#include "cli/global_options.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cli/flags.h"
#include "common/listen_address.h"
#include "tls/credentials.h"
#include "tls/development_clients.h"
#include "tls/development_pki.h"

namespace sentinel::cli {

namespace {

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> Credentials(
    const GlobalOptions& options) {
  if (options.insecure) return grpc::InsecureChannelCredentials();
  const std::string ca = absl::GetFlag(FLAGS_tls_ca);
  const std::string cert = absl::GetFlag(FLAGS_tls_cert);
  const std::string key = absl::GetFlag(FLAGS_tls_key);
  const int given = !ca.empty() + !cert.empty() + !key.empty();
  if (given == 3) return tls::ChannelCredentials(ca, cert, key);
  if (given != 0) {
    return absl::InvalidArgumentError(
        "--tls_ca, --tls_cert and --tls_key go together: give all three, or "
        "none to use the development CA in <data_dir>/tls/");
  }
  const std::string tls_dir = absl::GetFlag(FLAGS_data_dir) + "/tls";
  absl::StatusOr<tls::DevelopmentPki> pki = tls::LoadDevelopmentPki(tls_dir);
  if (absl::IsNotFound(pki.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no development CA in ", tls_dir,
        ": start sentineld (it creates one there), point --data_dir at its "
        "data directory, or pass --tls_ca, --tls_cert and --tls_key"));
  }
  if (!pki.ok()) return pki.status();
  absl::StatusOr<tls::ClientCertificateFiles> client =
      tls::EnsureDevelopmentClient(*pki, options.principal, absl::Now());
  if (!client.ok()) return client.status();
  return tls::ChannelCredentials(pki->ca_cert(), client->certificate,
                                 client->key);
}

}  // namespace

absl::StatusOr<GlobalOptions> ReadGlobalOptions() {
  GlobalOptions options;
  options.server = absl::GetFlag(FLAGS_server);
  options.timeout = absl::GetFlag(FLAGS_timeout);
  options.json = absl::GetFlag(FLAGS_json);

  options.insecure = absl::GetFlag(FLAGS_insecure);
  // Plain text would carry the principal header over the network.
  if (options.insecure && !IsLoopbackAddress(options.server)) {
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
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      Credentials(options);
  if (!credentials.ok()) return credentials.status();
  options.credentials = *std::move(credentials);
  return options;
}

}  // namespace sentinel::cli
