// Fuzzes incident::RedactSecrets (incident/secret_redactor.h) with arbitrary
// bytes and checks what its contract promises:
// - idempotence: redacting the output again changes nothing and counts 0
//   (so no unlabelled 64-hex key, WIF key, extended private key or mnemonic
//   is left in the output);
// - nothing but secrets changes: with a count of 0 the output is the input;
// - the count is honest: the output has exactly `count` more
//   "[REDACTED:" than the input (a secret holds no '[', and a marker starts
//   with its only '[' and ends with ']', so none is made or broken at the
//   edges of a replacement);
// - the output is never longer than the input: every secret is longer than
//   its marker (a 12-word mnemonic has at least 47 bytes, a key at least 51).
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "incident/secret_redactor.h"

namespace {

constexpr absl::string_view kMarkerPrefix = "[REDACTED:";

int CountMarkerPrefixes(absl::string_view text) {
  int count = 0;
  for (size_t pos = text.find(kMarkerPrefix); pos != absl::string_view::npos;
       pos = text.find(kMarkerPrefix, pos + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const sentinel::incident::Redaction once =
      sentinel::incident::RedactSecrets(input);
  SENTINEL_FUZZ_CHECK(once.count >= 0);
  SENTINEL_FUZZ_CHECK(once.count > 0 || once.text == input);
  SENTINEL_FUZZ_CHECK(once.text.size() <= input.size());
  SENTINEL_FUZZ_CHECK(CountMarkerPrefixes(once.text) ==
                      CountMarkerPrefixes(input) + once.count);

  const sentinel::incident::Redaction twice =
      sentinel::incident::RedactSecrets(once.text);
  SENTINEL_FUZZ_CHECK(twice.count == 0);
  SENTINEL_FUZZ_CHECK(twice.text == once.text);
  return 0;
}
