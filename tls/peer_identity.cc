// The URI SAN of a client certificate, read with OpenSSL's X509v3 API.
#include "tls/peer_identity.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "tls/pem.h"

namespace sentinel::tls {
namespace {

struct GeneralNamesDeleter {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter>;

}  // namespace

absl::StatusOr<Principal> PrincipalFromCertificatePem(absl::string_view pem) {
  absl::StatusOr<X509Ptr> certificate = ParseCertificatePem(pem);
  if (!certificate.ok()) {
    return absl::UnauthenticatedError("client certificate is not PEM");
  }
  int critical = 0;
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(
      certificate->get(), NID_subject_alt_name, &critical, nullptr)));
  ERR_clear_error();
  // -2: the extension occurs more than once, which RFC 5280 forbids.
  if (names == nullptr && critical == -2) {
    return absl::UnauthenticatedError(
        "client certificate has more than one subjectAltName extension");
  }

  int uri_count = 0;
  std::optional<absl::string_view> uri;
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names.get());
       ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_URI) continue;
    ++uri_count;
    const ASN1_IA5STRING* value = name->d.uniformResourceIdentifier;
    uri = absl::string_view(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
        static_cast<size_t>(ASN1_STRING_length(value)));
  }
  if (uri_count == 0) {
    return absl::UnauthenticatedError("client certificate has no URI SAN");
  }
  if (uri_count > 1) {
    return absl::UnauthenticatedError(
        absl::StrCat("client certificate has ", uri_count, " URI SANs"));
  }
  absl::StatusOr<Principal> principal = ParsePrincipalUri(*uri);
  if (!principal.ok()) {
    // Escaped: the text comes from the certificate, not from us.
    return absl::UnauthenticatedError(
        absl::StrCat("client certificate URI SAN \"", absl::CHexEscape(*uri),
                     "\": ", principal.status().message()));
  }
  return principal;
}

}  // namespace sentinel::tls
