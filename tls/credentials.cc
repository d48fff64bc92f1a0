// Mutual-TLS credentials through gRPC's SSL credentials, from checked files.
#include "tls/credentials.h"

#include <openssl/crypto.h>

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/status_macros.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "tls/pem_files.h"
#include "tls/revocation_verifier.h"

namespace sentinel::tls {

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const std::string& cert_path, const std::string& key_path,
    const std::string& client_ca_path) {
  SENTINEL_ASSIGN_OR_RETURN(CertifiedKey identity,
                            ReadCertifiedKey(cert_path, key_path));
  SENTINEL_ASSIGN_OR_RETURN(std::string client_ca,
                            ReadCertificateFile(client_ca_path));
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = std::move(client_ca);
  options.pem_key_cert_pairs.push_back(
      {identity.private_key_pem, identity.certificate_pem});
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::SslServerCredentials(options);
  // gRPC keeps its own copy of the key; wipe this one.
  std::string& key_copy = options.pem_key_cert_pairs.front().private_key;
  OPENSSL_cleanse(key_copy.data(), key_copy.size());
  if (credentials == nullptr) {
    return absl::InternalError("gRPC cannot create TLS server credentials");
  }
  return credentials;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const std::string& cert_path, const std::string& key_path,
    const std::string& client_ca_path, std::shared_ptr<CrlWatcher> crl) {
  SENTINEL_ASSIGN_OR_RETURN(CertifiedKey identity,
                            ReadCertifiedKey(cert_path, key_path));
  SENTINEL_ASSIGN_OR_RETURN(std::string client_ca,
                            ReadCertificateFile(client_ca_path));
  std::vector<grpc::experimental::IdentityKeyCertPair> pairs = {
      {identity.private_key_pem, identity.certificate_pem}};
  auto provider =
      std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
          client_ca, pairs);
  // gRPC keeps its own copy of the key; wipe this one.
  OPENSSL_cleanse(pairs.front().private_key.data(),
                  pairs.front().private_key.size());
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.set_certificate_verifier(
      grpc::experimental::ExternalCertificateVerifier::Create<
          RevocationVerifier>(std::move(crl)));
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::experimental::TlsServerCredentials(options);
  if (credentials == nullptr) {
    return absl::InternalError("gRPC cannot create TLS server credentials");
  }
  return credentials;
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const std::string& ca_path, const std::string& cert_path,
    const std::string& key_path) {
  SENTINEL_ASSIGN_OR_RETURN(std::string server_ca,
                            ReadCertificateFile(ca_path));
  SENTINEL_ASSIGN_OR_RETURN(CertifiedKey identity,
                            ReadCertifiedKey(cert_path, key_path));
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = std::move(server_ca);
  options.pem_private_key = identity.private_key_pem;
  options.pem_cert_chain = identity.certificate_pem;
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::SslCredentials(options);
  // gRPC keeps its own copy of the key; wipe this one.
  OPENSSL_cleanse(options.pem_private_key.data(),
                  options.pem_private_key.size());
  if (credentials == nullptr) {
    return absl::InternalError("gRPC cannot create TLS channel credentials");
  }
  return credentials;
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
DevelopmentChannelCredentials(const DevelopmentPki& pki, v1::Role role) {
  return ChannelCredentials(pki.ca_cert(), pki.ClientCertFor(role),
                            pki.ClientKeyFor(role));
}

}  // namespace sentinel::tls
