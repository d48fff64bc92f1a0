// The data behind redaction/bip39_words.h, defined in bip39_tables.cc, which
// redaction/tools/generate_bip39_tables.py generates at build time. Internal
// to the redaction library: use bip39_words.h.
#ifndef SENTINEL_REDACTION_BIP39_TABLES_H_
#define SENTINEL_REDACTION_BIP39_TABLES_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace sentinel::redaction::internal {

inline constexpr size_t kBip39WordCount = 2048;
inline constexpr size_t kBip39LanguageCount = 6;

// Each list's words, folded, in file order; indexed by Bip39Language.
extern const std::array<std::array<absl::string_view, kBip39WordCount>,
                        kBip39LanguageCount>
    kBip39Lists;

// Every folded word of any list, strictly ascending, with a bit per
// language (1 << Bip39Language) whose list holds it.
struct Bip39IndexEntry {
  absl::string_view word;
  uint8_t languages;
};
extern const Bip39IndexEntry kBip39Index[];
extern const size_t kBip39IndexSize;

// Code points U+00C0..U+024F: kLatinFold[c - 0xC0] is the lowercase ASCII
// base letter of c, '*' for a letter without one, '\0' for a non-letter.
inline constexpr uint32_t kLatinFoldFirst = 0xC0;
inline constexpr size_t kLatinFoldSize = 0x250 - 0xC0;
extern const std::array<char, kLatinFoldSize> kLatinFold;

}  // namespace sentinel::redaction::internal

#endif  // SENTINEL_REDACTION_BIP39_TABLES_H_
