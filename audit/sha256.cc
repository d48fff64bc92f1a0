#include "audit/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace sentinel::audit {

std::string Sha256(std::initializer_list<absl::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  bool ok = context != nullptr &&
            EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) == 1;
  for (absl::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(context.get(), part.data(), part.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(context.get(), digest, &length) == 1;
  if (!ok || length != kSha256Bytes) {
    // Only allocation failure can get here; hashing cannot be skipped.
    std::fprintf(stderr, "SHA-256 failed in OpenSSL\n");
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace sentinel::audit
