// gRPC credentials for mutual TLS, built from PEM files: servers require and
// verify a client certificate; clients present one and verify the server.
#ifndef SENTINEL_TLS_CREDENTIALS_H_
#define SENTINEL_TLS_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "sentinel/v1/common.pb.h"
#include "tls/crl_watcher.h"
#include "tls/development_pki.h"

namespace sentinel::tls {

// Server credentials presenting the certificate (chain) at `cert_path` with
// the key at `key_path`, and requiring every client to present a
// certificate that verifies against the CA certificate(s) at
// `client_ca_path`
// (GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY): a client
// without one fails the handshake. Who the client is, is then read from its
// certificate by TlsAuthenticator.
//
// OK: the credentials. Errors, each message starting with the file's path:
//   kNotFound, kPermissionDenied, ...  a file cannot be read;
//   kFailedPrecondition  the key file's permissions allow group or other
//                        access ("permissions 0644 are too open; the TLS
//                        private key must be readable by its owner only
//                        (chmod 600)"), or it is not a regular file;
//   kInvalidArgument     a certificate file holds no PEM certificate, the
//                        key file no unencrypted PEM key, or the key does not
//                        match the certificate;
//   kDataLoss            the key file is larger than any key (64 KiB).
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(
//       std::shared_ptr<grpc::ServerCredentials> credentials,
//       tls::ServerCredentials(flags.tls_cert, flags.tls_key,
//                              flags.tls_client_ca));
//   builder.AddListeningPort(address, credentials, &port);
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const std::string& cert_path, const std::string& key_path,
    const std::string& client_ca_path);

// ServerCredentials(), also refusing in the handshake every client
// certificate that `crl` (started with the same `client_ca_path`) revokes
// at the time of that handshake: the client sees UNAVAILABLE and no call
// reaches a handler. Built on gRPC's TLS credentials
// (grpc::experimental::TlsServerCredentials) with a RevocationVerifier;
// gRPC's own CRL directory is not used, since it is read once. `crl` must
// not be null. Connections opened before a revocation are not closed: the
// authenticator checks each call (TlsAuthenticator). Same errors as
// ServerCredentials().
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(
//       std::shared_ptr<CrlWatcher> crl,
//       CrlWatcher::Start({.crl_path = flags.tls_crl,
//                          .client_ca_path = flags.tls_client_ca}));
//   SENTINEL_ASSIGN_OR_RETURN(
//       auto credentials,
//       tls::ServerCredentials(flags.tls_cert, flags.tls_key,
//                              flags.tls_client_ca, crl));
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const std::string& cert_path, const std::string& key_path,
    const std::string& client_ca_path, std::shared_ptr<CrlWatcher> crl);

// Channel credentials that trust only the CA certificate(s) at `ca_path` for
// the server and present the client certificate at `cert_path` with the key
// at `key_path`. The server's certificate must name the host dialled (DNS or
// IP SAN). Same errors as ServerCredentials().
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(
//       std::shared_ptr<grpc::ChannelCredentials> credentials,
//       tls::ChannelCredentials(pki.ca_cert(), pki.ClientCertFor(role),
//                               pki.ClientKeyFor(role)));
//   auto channel = grpc::CreateChannel("localhost:50051", credentials);
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const std::string& ca_path, const std::string& cert_path,
    const std::string& key_path);

// ChannelCredentials() with `pki`'s CA and the development client
// certificate of `role`: what tests, benchmarks and the crash harness use to
// call a server started with a development PKI.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
DevelopmentChannelCredentials(const DevelopmentPki& pki, v1::Role role);

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_CREDENTIALS_H_
