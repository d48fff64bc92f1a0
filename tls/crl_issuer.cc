// CRLs built field by field with OpenSSL 3's X509_CRL API.
#include "tls/crl_issuer.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace sentinel::tls {
namespace {

struct CrlDeleter {
  void operator()(X509_CRL* crl) const { X509_CRL_free(crl); }
};
using CrlPtr = std::unique_ptr<X509_CRL, CrlDeleter>;

struct RevokedDeleter {
  void operator()(X509_REVOKED* revoked) const { X509_REVOKED_free(revoked); }
};
using RevokedPtr = std::unique_ptr<X509_REVOKED, RevokedDeleter>;

struct BignumDeleter {
  void operator()(BIGNUM* number) const { BN_free(number); }
};
using BignumPtr = std::unique_ptr<BIGNUM, BignumDeleter>;

struct Asn1TimeDeleter {
  void operator()(ASN1_TIME* time) const { ASN1_TIME_free(time); }
};
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, Asn1TimeDeleter>;

struct Asn1IntegerDeleter {
  void operator()(ASN1_INTEGER* number) const { ASN1_INTEGER_free(number); }
};
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, Asn1IntegerDeleter>;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

absl::Status OpenSslFailure(absl::string_view what) {
  ERR_clear_error();
  return absl::InternalError(absl::StrCat("OpenSSL cannot ", what));
}

// The serial `hex` as an ASN1_INTEGER.
absl::StatusOr<Asn1IntegerPtr> SerialFromHex(const std::string& hex) {
  const bool is_hex =
      !hex.empty() &&
      hex.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
  BIGNUM* parsed = nullptr;
  if (!is_hex ||
      BN_hex2bn(&parsed, hex.c_str()) != static_cast<int>(hex.size())) {
    BN_free(parsed);
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("revoked serial \"", hex, "\" is not hex"));
  }
  BignumPtr number(parsed);
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(number.get(), nullptr));
  if (serial == nullptr) return OpenSslFailure("encode a serial");
  return serial;
}

absl::Status AddRevoked(X509_CRL* crl, const std::string& serial_hex,
                        const ASN1_TIME* date) {
  absl::StatusOr<Asn1IntegerPtr> serial = SerialFromHex(serial_hex);
  if (!serial.ok()) return serial.status();
  RevokedPtr revoked(X509_REVOKED_new());
  if (revoked == nullptr ||
      X509_REVOKED_set_serialNumber(revoked.get(), serial->get()) != 1 ||
      X509_REVOKED_set_revocationDate(revoked.get(),
                                      const_cast<ASN1_TIME*>(date)) != 1) {
    return OpenSslFailure("build a revoked entry");
  }
  // X509_CRL_add0_revoked takes ownership on success.
  if (X509_CRL_add0_revoked(crl, revoked.get()) != 1) {
    return OpenSslFailure("add a revoked entry");
  }
  revoked.release();
  return absl::OkStatus();
}

absl::Status AddExtensions(X509_CRL* crl, X509* issuer, long crl_number) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, /*subject=*/nullptr, /*req=*/nullptr, crl,
                 /*flags=*/0);
  X509_EXTENSION* key_id = X509V3_EXT_nconf_nid(
      nullptr, &context, NID_authority_key_identifier, "keyid:always");
  const bool added =
      key_id != nullptr && X509_CRL_add_ext(crl, key_id, /*loc=*/-1) == 1;
  X509_EXTENSION_free(key_id);
  if (!added) return OpenSslFailure("add authorityKeyIdentifier");
  Asn1IntegerPtr number(ASN1_INTEGER_new());
  if (number == nullptr || ASN1_INTEGER_set(number.get(), crl_number) != 1 ||
      X509_CRL_add1_ext_i2d(crl, NID_crl_number, number.get(), /*crit=*/0,
                            X509V3_ADD_DEFAULT) != 1) {
    return OpenSslFailure("add cRLNumber");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CrlToPem(X509_CRL* crl) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_X509_CRL(bio.get(), crl) != 1) {
    return OpenSslFailure("encode a CRL as PEM");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  if (size <= 0 || data == nullptr) return OpenSslFailure("encode PEM");
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

absl::StatusOr<std::string> IssueCrl(const CrlSpec& spec,
                                     const CertifiedKey& issuer) {
  if (spec.next_update < spec.this_update) {
    return absl::InvalidArgumentError(
        "the CRL's next_update is before its this_update");
  }
  absl::StatusOr<ParsedCertifiedKey> ca = ParseCertifiedKey(issuer);
  if (!ca.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("issuer: ", ca.status().message()));
  }
  CrlPtr crl(X509_CRL_new());
  Asn1TimePtr this_update(
      ASN1_TIME_set(nullptr, absl::ToTimeT(spec.this_update)));
  Asn1TimePtr next_update(
      ASN1_TIME_set(nullptr, absl::ToTimeT(spec.next_update)));
  if (crl == nullptr || this_update == nullptr || next_update == nullptr) {
    return OpenSslFailure("allocate a CRL");
  }
  if (X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(
          crl.get(), X509_get_subject_name(ca->certificate.get())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), this_update.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next_update.get()) != 1) {
    return OpenSslFailure("set the CRL's issuer and validity");
  }
  for (const std::string& serial : spec.revoked_serials) {
    absl::Status added = AddRevoked(crl.get(), serial, this_update.get());
    if (!added.ok()) return added;
  }
  absl::Status extended =
      AddExtensions(crl.get(), ca->certificate.get(), spec.crl_number);
  if (!extended.ok()) return extended;
  if (X509_CRL_sort(crl.get()) != 1 ||
      X509_CRL_sign(crl.get(), ca->key.get(), EVP_sha256()) <= 0) {
    return OpenSslFailure("sign the CRL");
  }
  return CrlToPem(crl.get());
}

}  // namespace sentinel::tls
