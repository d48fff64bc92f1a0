// CRLs read with OpenSSL 3's PEM and X509_CRL API and checked against the
// client CA bundle.
#include "tls/revocation_list.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tls/pem.h"

namespace sentinel::tls {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct CrlDeleter {
  void operator()(X509_CRL* crl) const { X509_CRL_free(crl); }
};
using CrlPtr = std::unique_ptr<X509_CRL, CrlDeleter>;

struct BignumDeleter {
  void operator()(BIGNUM* number) const { BN_free(number); }
};
using BignumPtr = std::unique_ptr<BIGNUM, BignumDeleter>;

struct OpenSslStringDeleter {
  void operator()(char* text) const { OPENSSL_free(text); }
};

BioPtr ReadBio(absl::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// PEM_read_bio_* stopped: true when at the end of the PEM blocks, false
// when a block did not parse. Clears OpenSSL's thread-local errors.
bool EndOfPem() {
  const unsigned long error = ERR_peek_last_error();
  ERR_clear_error();
  return ERR_GET_LIB(error) == ERR_LIB_PEM &&
         ERR_GET_REASON(error) == PEM_R_NO_START_LINE;
}

// PEM blocks in `text`, whatever their type: a block that PEM_read skips
// (a mangled header) must not silently drop a CRL.
size_t CountPemBlocks(absl::string_view text) {
  size_t blocks = 0;
  for (size_t at = text.find("-----BEGIN "); at != absl::string_view::npos;
       at = text.find("-----BEGIN ", at + 1)) {
    ++blocks;
  }
  return blocks;
}

// `time` as absl::Time; nullopt if OpenSSL cannot read it.
std::optional<absl::Time> TimeOf(const ASN1_TIME* time) {
  struct tm parts;
  if (ASN1_TIME_to_tm(time, &parts) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return absl::FromTM(parts, absl::UTCTimeZone());
}

std::string NameText(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    ERR_clear_error();
    return "?";
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : "";
}

std::string DerOf(const X509_NAME* name) {
  const unsigned char* der = nullptr;
  size_t length = 0;
  if (X509_NAME_get0_der(name, &der, &length) != 1) {
    ERR_clear_error();
    return "";
  }
  return std::string(reinterpret_cast<const char*>(der), length);
}

std::string HexOf(const ASN1_INTEGER* serial) {
  BignumPtr number(ASN1_INTEGER_to_BN(serial, nullptr));
  if (number == nullptr) {
    ERR_clear_error();
    return "";
  }
  std::unique_ptr<char, OpenSslStringDeleter> hex(BN_bn2hex(number.get()));
  if (hex == nullptr) {
    ERR_clear_error();
    return "";
  }
  return hex.get();
}

std::string KeyOf(const CertificateSerial& certificate) {
  return absl::StrCat(certificate.issuer_der, absl::string_view("\0", 1),
                      certificate.serial_hex);
}

absl::StatusOr<std::vector<X509Ptr>> ParseCertificates(absl::string_view pem) {
  BioPtr bio = ReadBio(pem);
  if (bio == nullptr) return absl::InternalError("OpenSSL cannot read PEM");
  std::vector<X509Ptr> certificates;
  while (X509* certificate =
             PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certificates.emplace_back(certificate);
  }
  ERR_clear_error();
  if (certificates.empty()) {
    return absl::InvalidArgumentError("no PEM CA certificate");
  }
  return certificates;
}

absl::StatusOr<std::vector<CrlPtr>> ParseCrls(absl::string_view pem) {
  BioPtr bio = ReadBio(pem);
  if (bio == nullptr) return absl::InternalError("OpenSSL cannot read PEM");
  std::vector<CrlPtr> crls;
  while (X509_CRL* crl =
             PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
    crls.emplace_back(crl);
  }
  if (!EndOfPem()) {
    return absl::InvalidArgumentError(
        absl::StrCat("CRL ", crls.size() + 1, " does not parse"));
  }
  if (crls.empty()) return absl::InvalidArgumentError("no PEM CRL");
  const size_t blocks = CountPemBlocks(pem);
  if (blocks != crls.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(blocks, " PEM blocks of which ", crls.size(),
                     " are CRLs; a CRL file holds CRLs only"));
  }
  return crls;
}

// The CA of `cas` that issued `crl` (by name, then by signature).
absl::StatusOr<X509*> CheckedIssuer(X509_CRL* crl,
                                    const std::vector<X509Ptr>& cas,
                                    absl::string_view which, absl::Time now) {
  const X509_NAME* issuer = X509_CRL_get_issuer(crl);
  X509* named = nullptr;
  bool verified = false;
  for (const X509Ptr& ca : cas) {
    if (X509_NAME_cmp(X509_get_subject_name(ca.get()), issuer) != 0) continue;
    named = ca.get();
    EVP_PKEY* key = X509_get0_pubkey(ca.get());
    if (key != nullptr && X509_CRL_verify(crl, key) == 1) {
      verified = true;
      break;
    }
  }
  ERR_clear_error();
  if (named == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(which, ": not issued by a client CA"));
  }
  if (!verified) {
    return absl::InvalidArgumentError(absl::StrCat(
        which, ": the signature does not verify against the client CA"));
  }
  // X509_get_key_usage is UINT32_MAX without a keyUsage extension.
  if ((X509_get_key_usage(named) & KU_CRL_SIGN) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(which,
                     ": the client CA may not sign CRLs (its keyUsage lacks "
                     "cRLSign)"));
  }
  const ASN1_TIME* next_update = X509_CRL_get0_nextUpdate(crl);
  if (next_update != nullptr) {
    const std::optional<absl::Time> when = TimeOf(next_update);
    if (!when.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat(which, ": its nextUpdate does not parse"));
    }
    if (*when < now) {
      return absl::InvalidArgumentError(absl::StrCat(
          which, ": expired: nextUpdate ",
          absl::FormatTime(absl::RFC3339_sec, *when, absl::UTCTimeZone()),
          " is in the past"));
    }
  }
  return named;
}

}  // namespace

CertificateSerial SerialOf(const X509* certificate) {
  return CertificateSerial{
      DerOf(X509_get_issuer_name(certificate)),
      HexOf(X509_get0_serialNumber(certificate)),
  };
}

bool RevocationList::IsRevoked(const CertificateSerial& certificate) const {
  if (certificate.serial_hex.empty()) return false;
  return revoked_.contains(KeyOf(certificate));
}

absl::StatusOr<RevocationList> ParseRevocationList(
    absl::string_view crl_pem, absl::string_view client_ca_pem,
    absl::Time now) {
  absl::StatusOr<std::vector<X509Ptr>> cas = ParseCertificates(client_ca_pem);
  if (!cas.ok()) return cas.status();
  absl::StatusOr<std::vector<CrlPtr>> crls = ParseCrls(crl_pem);
  if (!crls.ok()) return crls.status();

  RevocationList list;
  for (size_t i = 0; i < crls->size(); ++i) {
    X509_CRL* crl = (*crls)[i].get();
    const std::string which = absl::StrCat(
        "CRL ", i + 1, " (issuer ", NameText(X509_CRL_get_issuer(crl)), ")");
    absl::StatusOr<X509*> ca = CheckedIssuer(crl, *cas, which, now);
    if (!ca.ok()) return ca.status();

    // Keyed by the CA's subject as well as by the CRL's issuer: the two
    // compare equal (X509_NAME_cmp), but a certificate carries a copy of
    // one of them byte for byte.
    const std::string issuers[] = {DerOf(X509_CRL_get_issuer(crl)),
                                   DerOf(X509_get_subject_name(*ca))};
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
    for (int j = 0; j < sk_X509_REVOKED_num(revoked); ++j) {
      const std::string serial = HexOf(
          X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, j)));
      if (serial.empty()) {
        return absl::InternalError("OpenSSL cannot read a revoked serial");
      }
      for (const std::string& issuer : issuers) {
        list.revoked_.insert(KeyOf(CertificateSerial{issuer, serial}));
      }
      ++list.size_;
    }
    // CheckedIssuer has parsed it.
    const ASN1_TIME* next_update = X509_CRL_get0_nextUpdate(crl);
    if (next_update != nullptr) {
      list.next_update_ = std::min(list.next_update_, *TimeOf(next_update));
    }
  }
  return list;
}

}  // namespace sentinel::tls
