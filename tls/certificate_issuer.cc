// Certificates built field by field with OpenSSL 3's X509 API.
#include "tls/certificate_issuer.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace sentinel::tls {
namespace {

constexpr int kSerialBytes = 16;

struct GeneralNamesDeleter {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter>;

struct BignumDeleter {
  void operator()(BIGNUM* number) const { BN_free(number); }
};
using BignumPtr = std::unique_ptr<BIGNUM, BignumDeleter>;

// Fails with what OpenSSL could not do, clearing its thread-local errors so
// that they do not surface in an unrelated caller.
absl::Status OpenSslFailure(absl::string_view what) {
  ERR_clear_error();
  return absl::InternalError(absl::StrCat("OpenSSL cannot ", what));
}

absl::Status SetRandomSerial(X509* certificate) {
  unsigned char bytes[kSerialBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return OpenSslFailure("generate a serial number");
  }
  // An unsigned big-endian number: the DER INTEGER stays positive.
  BignumPtr serial(BN_bin2bn(bytes, sizeof(bytes), nullptr));
  if (serial == nullptr ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) ==
          nullptr) {
    return OpenSslFailure("set the serial number");
  }
  return absl::OkStatus();
}

absl::Status SetSubject(X509* certificate, const std::string& common_name) {
  X509_NAME* subject = X509_get_subject_name(certificate);
  if (X509_NAME_add_entry_by_NID(
          subject, NID_commonName, MBSTRING_UTF8,
          reinterpret_cast<const unsigned char*>(common_name.data()),
          static_cast<int>(common_name.size()), -1, 0) != 1) {
    return OpenSslFailure("set the subject name");
  }
  return absl::OkStatus();
}

// Adds the extension `nid` written in OpenSSL's configuration syntax; only
// constant values are passed here, never caller text.
absl::Status AddExtension(X509* certificate, X509V3_CTX* context, int nid,
                          const char* value) {
  X509_EXTENSION* extension =
      X509V3_EXT_nconf_nid(nullptr, context, nid, value);
  bool added = extension != nullptr &&
               X509_add_ext(certificate, extension, /*loc=*/-1) == 1;
  X509_EXTENSION_free(extension);
  if (!added) return OpenSslFailure(absl::StrCat("add ", OBJ_nid2sn(nid)));
  return absl::OkStatus();
}

absl::Status AddUsageExtensions(X509* certificate, X509V3_CTX* context,
                                CertificateUsage usage) {
  const bool ca = usage == CertificateUsage::kCertificateAuthority;
  SENTINEL_RETURN_IF_ERROR(
      AddExtension(certificate, context, NID_basic_constraints,
                   ca ? "critical,CA:TRUE" : "critical,CA:FALSE"));
  SENTINEL_RETURN_IF_ERROR(AddExtension(
      certificate, context, NID_key_usage,
      ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature"));
  if (ca) return absl::OkStatus();
  return AddExtension(
      certificate, context, NID_ext_key_usage,
      usage == CertificateUsage::kServer ? "serverAuth" : "clientAuth");
}

// Appends a name of `type` (GEN_URI or GEN_DNS) holding `text` as given.
absl::Status PushStringName(GENERAL_NAMES* names, int type,
                            const std::string& text) {
  ASN1_IA5STRING* value = ASN1_IA5STRING_new();
  if (value == nullptr ||
      ASN1_STRING_set(value, text.data(), static_cast<int>(text.size())) != 1) {
    ASN1_IA5STRING_free(value);
    return OpenSslFailure("encode a subjectAltName");
  }
  GENERAL_NAME* name = GENERAL_NAME_new();
  if (name == nullptr) {
    ASN1_IA5STRING_free(value);
    return OpenSslFailure("encode a subjectAltName");
  }
  GENERAL_NAME_set0_value(name, type, value);
  if (sk_GENERAL_NAME_push(names, name) == 0) {
    GENERAL_NAME_free(name);
    return OpenSslFailure("encode a subjectAltName");
  }
  return absl::OkStatus();
}

absl::Status PushIpAddress(GENERAL_NAMES* names, const std::string& text) {
  ASN1_OCTET_STRING* address = a2i_IPADDRESS(text.c_str());
  if (address == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not an IP address"));
  }
  GENERAL_NAME* name = GENERAL_NAME_new();
  if (name == nullptr) {
    ASN1_OCTET_STRING_free(address);
    return OpenSslFailure("encode a subjectAltName");
  }
  GENERAL_NAME_set0_value(name, GEN_IPADD, address);
  if (sk_GENERAL_NAME_push(names, name) == 0) {
    GENERAL_NAME_free(name);
    return OpenSslFailure("encode a subjectAltName");
  }
  return absl::OkStatus();
}

absl::Status AddSubjectAltNames(X509* certificate,
                                const CertificateSpec& spec) {
  if (spec.uris.empty() && spec.dns_names.empty() &&
      spec.ip_addresses.empty()) {
    return absl::OkStatus();
  }
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (names == nullptr) return OpenSslFailure("encode a subjectAltName");
  for (const std::string& uri : spec.uris) {
    SENTINEL_RETURN_IF_ERROR(PushStringName(names.get(), GEN_URI, uri));
  }
  for (const std::string& dns_name : spec.dns_names) {
    SENTINEL_RETURN_IF_ERROR(PushStringName(names.get(), GEN_DNS, dns_name));
  }
  for (const std::string& address : spec.ip_addresses) {
    SENTINEL_RETURN_IF_ERROR(PushIpAddress(names.get(), address));
  }
  if (X509_add1_ext_i2d(certificate, NID_subject_alt_name, names.get(),
                        /*crit=*/0, X509V3_ADD_DEFAULT) != 1) {
    return OpenSslFailure("add subjectAltName");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CertifiedKey> IssueCertificate(const CertificateSpec& spec,
                                              const CertifiedKey* issuer) {
  if (spec.common_name.empty()) {
    return absl::InvalidArgumentError("the certificate's common name is empty");
  }
  if (spec.not_after < spec.not_before) {
    return absl::InvalidArgumentError(
        "the certificate's not_after is before its not_before");
  }
  std::optional<ParsedCertifiedKey> parsed_issuer;
  if (issuer != nullptr) {
    absl::StatusOr<ParsedCertifiedKey> parsed = ParseCertifiedKey(*issuer);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("issuer: ", parsed.status().message()));
    }
    parsed_issuer = *std::move(parsed);
  }

  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (key == nullptr) return OpenSslFailure("generate an ECDSA P-256 key");
  X509Ptr certificate(X509_new());
  if (certificate == nullptr) return OpenSslFailure("allocate a certificate");
  X509* signer = parsed_issuer.has_value() ? parsed_issuer->certificate.get()
                                           : certificate.get();
  EVP_PKEY* signer_key =
      parsed_issuer.has_value() ? parsed_issuer->key.get() : key.get();

  if (X509_set_version(certificate.get(), X509_VERSION_3) != 1) {
    return OpenSslFailure("set the certificate version");
  }
  SENTINEL_RETURN_IF_ERROR(SetRandomSerial(certificate.get()));
  SENTINEL_RETURN_IF_ERROR(SetSubject(certificate.get(), spec.common_name));
  // After SetSubject, so that a self-signed certificate names itself.
  if (X509_set_issuer_name(certificate.get(), X509_get_subject_name(signer)) !=
          1 ||
      ASN1_TIME_set(X509_getm_notBefore(certificate.get()),
                    absl::ToTimeT(spec.not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(certificate.get()),
                    absl::ToTimeT(spec.not_after)) == nullptr ||
      X509_set_pubkey(certificate.get(), key.get()) != 1) {
    return OpenSslFailure("set the issuer, validity or public key");
  }

  X509V3_CTX context;
  X509V3_set_ctx(&context, signer, certificate.get(), /*req=*/nullptr,
                 /*crl=*/nullptr, /*flags=*/0);
  SENTINEL_RETURN_IF_ERROR(
      AddUsageExtensions(certificate.get(), &context, spec.usage));
  SENTINEL_RETURN_IF_ERROR(AddExtension(certificate.get(), &context,
                                        NID_subject_key_identifier, "hash"));
  if (parsed_issuer.has_value()) {
    SENTINEL_RETURN_IF_ERROR(AddExtension(certificate.get(), &context,
                                          NID_authority_key_identifier,
                                          "keyid:always"));
  }
  SENTINEL_RETURN_IF_ERROR(AddSubjectAltNames(certificate.get(), spec));

  if (X509_sign(certificate.get(), signer_key, EVP_sha256()) <= 0) {
    return OpenSslFailure("sign the certificate");
  }
  SENTINEL_ASSIGN_OR_RETURN(std::string certificate_pem,
                            CertificateToPem(certificate.get()));
  SENTINEL_ASSIGN_OR_RETURN(std::string key_pem, PrivateKeyToPem(key.get()));
  return CertifiedKey(std::move(certificate_pem), std::move(key_pem));
}

}  // namespace sentinel::tls
