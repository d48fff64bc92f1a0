#include "redaction/bip39_words.h"

#include <algorithm>
#include <array>

#include "absl/strings/string_view.h"
#include "redaction/bip39_tables.h"

namespace sentinel::redaction {

absl::string_view Bip39LanguageName(Bip39Language language) {
  switch (language) {
    case Bip39Language::kEnglish:
      return "english";
    case Bip39Language::kFrench:
      return "french";
    case Bip39Language::kItalian:
      return "italian";
    case Bip39Language::kSpanish:
      return "spanish";
    case Bip39Language::kCzech:
      return "czech";
    case Bip39Language::kPortuguese:
      return "portuguese";
  }
  return "unknown";
}

const std::array<absl::string_view, kBip39WordCount>& Bip39Words(
    Bip39Language language) {
  return internal::kBip39Lists[static_cast<size_t>(language)];
}

uint8_t Bip39ListsOf(absl::string_view folded_word) {
  const internal::Bip39IndexEntry* begin = internal::kBip39Index;
  const internal::Bip39IndexEntry* end = begin + internal::kBip39IndexSize;
  const internal::Bip39IndexEntry* found = std::lower_bound(
      begin, end, folded_word,
      [](const internal::Bip39IndexEntry& entry, absl::string_view word) {
        return entry.word < word;
      });
  return found != end && found->word == folded_word ? found->languages : 0;
}

FoldedChar FoldChar(absl::string_view text) {
  if (text.empty()) return {};
  const unsigned char first = text[0];
  if (first < 0x80) {
    if (first >= 'A' && first <= 'Z') return {1, static_cast<char>(first + 32)};
    if ((first >= 'a' && first <= 'z') || (first >= '0' && first <= '9')) {
      return {1, static_cast<char>(first)};
    }
    return {};
  }
  // Two-byte UTF-8: 110xxxxx 10xxxxxx, code points U+0080..U+07FF.
  if (text.size() < 2 || (first & 0xE0) != 0xC0) return {};
  const unsigned char second = text[1];
  if ((second & 0xC0) != 0x80) return {};
  const uint32_t code = ((first & 0x1Fu) << 6) | (second & 0x3Fu);
  if (code >= 0x300 && code <= 0x36F) return {2, '\0'};
  if (code < internal::kLatinFoldFirst ||
      code >= internal::kLatinFoldFirst + internal::kLatinFoldSize) {
    return {};
  }
  const char folded = internal::kLatinFold[code - internal::kLatinFoldFirst];
  if (folded == '\0') return {};
  return {2, folded};
}

}  // namespace sentinel::redaction
