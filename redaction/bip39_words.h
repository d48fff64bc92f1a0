// The BIP-39 word lists of the Latin-script languages, and the folding that
// lets the redactor compare a word of free text with them.
//
// Folding (one rule for the lists and for text, so that accented and
// unaccented, upper- and lowercase spellings all match): Unicode NFKD, then
// combining marks dropped, then lowercase. "Écrire", "ecrire" and
// "e\u0301crire" all fold to "ecrire". The lists are folded by the build's
// generator (redaction/tools/generate_bip39_tables.py), text by FoldWord,
// whose table the same generator derives from the same rule. Every folded
// list word is 3 to 9 ASCII letters, and no two words of one list fold
// alike.
#ifndef SENTINEL_REDACTION_BIP39_WORDS_H_
#define SENTINEL_REDACTION_BIP39_WORDS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "redaction/bip39_tables.h"

namespace sentinel::redaction {

using internal::kBip39LanguageCount;
using internal::kBip39WordCount;

// The lists, in the order of the bits of Bip39Languages().
enum class Bip39Language : uint8_t {
  kEnglish = 0,
  kFrench = 1,
  kItalian = 2,
  kSpanish = 3,
  kCzech = 4,
  kPortuguese = 5,
};

inline constexpr std::array<Bip39Language, kBip39LanguageCount>
    kBip39Languages = {Bip39Language::kEnglish, Bip39Language::kFrench,
                       Bip39Language::kItalian, Bip39Language::kSpanish,
                       Bip39Language::kCzech,   Bip39Language::kPortuguese};

// "english", "french", ...: the list's file name in bitcoin/bips bip-0039/.
absl::string_view Bip39LanguageName(Bip39Language language);

// The 2048 words of `language`'s official list (bitcoin/bips bip-0039/), in
// file order, folded. Constant-initialized; safe from any thread.
const std::array<absl::string_view, kBip39WordCount>& Bip39Words(
    Bip39Language language);

// The set of lists that hold `folded_word`, one bit (1 << language) each; 0
// when none does. Exact: callers fold first ("Abandon" is on no list).
//
// Example:
//   Bip39ListsOf("abandon");  // bits of English and French
//   Bip39ListsOf("zoology");  // 0
uint8_t Bip39ListsOf(absl::string_view folded_word);

// The bit of `language` in a Bip39ListsOf set.
constexpr uint8_t Bip39Bit(Bip39Language language) {
  return static_cast<uint8_t>(1u << static_cast<unsigned>(language));
}

// How one word character of UTF-8 text folds.
struct FoldedChar {
  // Bytes the character takes in the text: 1 for ASCII, 2 for the rest;
  // 0 when the bytes at the start are no word character.
  size_t bytes = 0;
  // Its folded letter or digit; '\0' for a combining mark (U+0300..U+036F),
  // which folds to nothing; '*' for a letter without an ASCII base letter
  // (U+00DF, U+00E6, U+0142, ...), which no list word contains.
  char folded = '\0';
};

// The word character at the start of `text`: an ASCII letter or digit, a
// letter U+00C0..U+024F, or a combining mark U+0300..U+036F, as well-formed
// UTF-8. Any other byte, including invalid UTF-8, is no word character.
//
// Example:
//   FoldChar("\xC3\x89t\xC3\xA9");  // {2, 'e'}: "É"
//   FoldChar("\xC2\xA0");           // {0, '\0'}: no-break space
FoldedChar FoldChar(absl::string_view text);

}  // namespace sentinel::redaction

#endif  // SENTINEL_REDACTION_BIP39_WORDS_H_
