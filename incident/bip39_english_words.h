// The BIP-39 English word list, with a membership test for the scanners that
// look for seed phrases in free text.
#ifndef SENTINEL_INCIDENT_BIP39_ENGLISH_WORDS_H_
#define SENTINEL_INCIDENT_BIP39_ENGLISH_WORDS_H_

#include <array>
#include <cstddef>

#include "absl/strings/string_view.h"

namespace sentinel::incident {

inline constexpr size_t kBip39WordCount = 2048;

// The 2048 words of bitcoin/bips bip-0039/english.txt, in file order, which is
// strictly ascending: lowercase ASCII, 3 to 8 letters each, the first four
// letters of every word unique. Constant-initialized; safe from any thread.
const std::array<absl::string_view, kBip39WordCount>& Bip39EnglishWords();

// Whether `lowercase_word` is on the list: an exact, case-sensitive binary
// search, so callers lowercase first ("Abandon" is not found).
//
// Example:
//   IsBip39EnglishWord("zoo");      // true
//   IsBip39EnglishWord("zoology");  // false
bool IsBip39EnglishWord(absl::string_view lowercase_word);

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_BIP39_ENGLISH_WORDS_H_
