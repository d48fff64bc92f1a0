// Fuzzes redaction::RedactSecrets (redaction/secret_redactor.h) with
// arbitrary bytes and checks what its contract promises:
// - idempotence: redacting the output again changes nothing and counts 0
//   (so no unlabelled 64-hex key, WIF key, extended private key or mnemonic
//   is left in the output);
// - no 12 consecutive words of one BIP-39 list survive, checked here by a
//   scan of its own (list numbers skipped, markers ending a run) that does
//   not share the redactor's phrase logic;
// - nothing but secrets changes: with a count of 0 the output is the input;
// - the count is honest: the output has exactly `count` more
//   "[REDACTED:" than the input (a secret holds no "[REDACTED:", and a
//   marker starts with its only '[' and ends with ']', so none is made or
//   broken at the edges of a replacement);
// - the output is never longer than the input: every secret is longer than
//   its marker (a 12-word mnemonic has at least 47 bytes, a key at least 51).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "redaction/bip39_words.h"
#include "redaction/secret_redactor.h"

namespace {

namespace redaction = ::sentinel::redaction;

constexpr absl::string_view kMarkerPrefix = "[REDACTED:";

int CountMarkerPrefixes(absl::string_view text) {
  int count = 0;
  for (size_t pos = text.find(kMarkerPrefix); pos != absl::string_view::npos;
       pos = text.find(kMarkerPrefix, pos + 1)) {
    ++count;
  }
  return count;
}

// The longest run of consecutive words of one list in `text`, skipping list
// numbers; "[REDACTED:" ends runs.
int LongestListRun(absl::string_view text) {
  std::array<int, redaction::kBip39LanguageCount> run{};
  int longest = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, kMarkerPrefix.size()) == kMarkerPrefix) {
      run.fill(0);
      i += kMarkerPrefix.size();
      continue;
    }
    if (redaction::FoldChar(text.substr(i)).bytes == 0) {
      ++i;
      continue;
    }
    std::string folded;
    bool digits_only = true;
    while (i < text.size()) {
      const redaction::FoldedChar c = redaction::FoldChar(text.substr(i));
      if (c.bytes == 0) break;
      i += c.bytes;
      if (c.bytes > 1 || !(c.folded >= '0' && c.folded <= '9')) {
        digits_only = false;
      }
      if (c.folded != '\0') folded.push_back(c.folded);
    }
    if (digits_only && folded.size() <= 2) continue;
    const uint8_t lists = redaction::Bip39ListsOf(folded);
    for (size_t l = 0; l < run.size(); ++l) {
      run[l] = (lists >> l) & 1 ? run[l] + 1 : 0;
      if (run[l] > longest) longest = run[l];
    }
  }
  return longest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const redaction::Redaction once = redaction::RedactSecrets(input);
  SENTINEL_FUZZ_CHECK(once.count >= 0);
  SENTINEL_FUZZ_CHECK(once.count > 0 || once.text == input);
  SENTINEL_FUZZ_CHECK(once.text.size() <= input.size());
  SENTINEL_FUZZ_CHECK(CountMarkerPrefixes(once.text) ==
                      CountMarkerPrefixes(input) + once.count);
  SENTINEL_FUZZ_CHECK(LongestListRun(once.text) < 12);

  const redaction::Redaction twice = redaction::RedactSecrets(once.text);
  SENTINEL_FUZZ_CHECK(twice.count == 0);
  SENTINEL_FUZZ_CHECK(twice.text == once.text);
  return 0;
}
