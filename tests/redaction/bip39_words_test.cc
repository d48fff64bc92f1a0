// Tests of the generated BIP-39 tables and of the folding that compares text
// with them: the lists are the official files of bitcoin/bips bip-0039/
// (checked by the SHA-256 of each folded list), and lookups find every word
// of every list under its language.

#include "redaction/bip39_words.h"

#include <openssl/sha.h>

#include <algorithm>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace sentinel::redaction {
namespace {

std::string Str(absl::string_view view) {
  return std::string(view.data(), view.size());
}

// The SHA-256 of the folded list as a file: one word per line, each ending
// in LF.
std::string FoldedListSha256(Bip39Language language) {
  std::string file;
  for (absl::string_view word : Bip39Words(language)) {
    file.append(word.data(), word.size());
    file.push_back('\n');
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(file.data()), file.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

// English, Italian, Czech and Portuguese are ASCII, so their folded lists are
// the official files, with the digests published in bip-0039's README; the
// French and Spanish digests are of the official files folded.
TEST(Bip39WordsTest, ListsAreTheOfficialFiles) {
  EXPECT_EQ(FoldedListSha256(Bip39Language::kEnglish),
            "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda");
  EXPECT_EQ(FoldedListSha256(Bip39Language::kItalian),
            "d392c49fdb700a24cd1fceb237c1f65dcc128f6b34a8aacb58b59384b5c648c2");
  EXPECT_EQ(FoldedListSha256(Bip39Language::kCzech),
            "7e80e161c3e93d9554c2efb78d4e3cebf8fc727e9c52e03b83b94406bdcc95fc");
  EXPECT_EQ(FoldedListSha256(Bip39Language::kPortuguese),
            "2685e9c194c82ae67e10ba59d9ea5345a23dc093e92276fc5361f6667d79cd3f");
  EXPECT_EQ(FoldedListSha256(Bip39Language::kFrench),
            "cf8db448ad5ca0b68c3c8f88b51458f20362a5939fef236fac64a303f1485e87");
  EXPECT_EQ(FoldedListSha256(Bip39Language::kSpanish),
            "825b1c91b0084d16640c9ffbb643acfca15971225e3b8d2e2109fac949f34543");

  EXPECT_EQ(Str(Bip39Words(Bip39Language::kEnglish).front()), "abandon");
  EXPECT_EQ(Str(Bip39Words(Bip39Language::kEnglish).back()), "zoo");
  // "ábaco" and "zurdo", "abaisser" and "zoologie", folded.
  EXPECT_EQ(Str(Bip39Words(Bip39Language::kSpanish).front()), "abaco");
  EXPECT_EQ(Str(Bip39Words(Bip39Language::kSpanish).back()), "zurdo");
  EXPECT_EQ(Str(Bip39Words(Bip39Language::kFrench).front()), "abaisser");
  EXPECT_EQ(Str(Bip39Words(Bip39Language::kFrench).back()), "zoologie");
}

// Every word of every list is found, under its own language.
TEST(Bip39WordsTest, FindsEveryWordOfEveryList) {
  for (Bip39Language language : kBip39Languages) {
    const auto& words = Bip39Words(language);
    ASSERT_EQ(words.size(), 2048u);
    for (absl::string_view word : words) {
      EXPECT_NE(Bip39ListsOf(word) & Bip39Bit(language), 0)
          << Str(Bip39LanguageName(language)) << " " << Str(word);
    }
  }
}

// Lookup is exact on folded words; a word on two lists has both bits.
TEST(Bip39WordsTest, LookupIsExactOnFoldedWords) {
  EXPECT_EQ(Bip39ListsOf("abandon"), Bip39Bit(Bip39Language::kEnglish) |
                                         Bip39Bit(Bip39Language::kFrench));
  EXPECT_EQ(Bip39ListsOf("zoo"), Bip39Bit(Bip39Language::kEnglish));
  EXPECT_EQ(Bip39ListsOf("systeme"), Bip39Bit(Bip39Language::kFrench));
  EXPECT_EQ(Bip39ListsOf("ano"), Bip39Bit(Bip39Language::kSpanish));  // año
  EXPECT_EQ(Bip39ListsOf("heslo"), Bip39Bit(Bip39Language::kCzech));
  EXPECT_EQ(Bip39ListsOf("tabuada"), Bip39Bit(Bip39Language::kPortuguese));
  EXPECT_EQ(Bip39ListsOf("tricheco"), Bip39Bit(Bip39Language::kItalian));
  EXPECT_EQ(Bip39ListsOf("Abandon"), 0);
  EXPECT_EQ(Bip39ListsOf("syst\xC3\xA8me"), 0);  // Not folded.
  EXPECT_EQ(Bip39ListsOf("zoology"), 0);
  EXPECT_EQ(Bip39ListsOf(""), 0);
  EXPECT_EQ(Bip39ListsOf("zzzzzzzzzz"), 0);
}

// No hash label of the redactor's rule 2 is a list word, so a label is never
// redacted with a mnemonic (redaction/secret_redactor.h relies on it).
TEST(Bip39WordsTest, NoHashLabelIsAListWord) {
  for (absl::string_view base : {"tx", "txn", "transaction", "block"}) {
    for (absl::string_view suffix : {"", "id", "hash"}) {
      EXPECT_EQ(Bip39ListsOf(Str(base) + Str(suffix)), 0)
          << Str(base) << Str(suffix);
    }
  }
  EXPECT_EQ(Bip39ListsOf("hash"), 0);
  EXPECT_EQ(Bip39ListsOf("id"), 0);
}

// Word characters fold to lowercase ASCII; everything else is no word
// character.
TEST(Bip39WordsTest, FoldsWordCharacters) {
  const auto folds = [](absl::string_view text, size_t bytes, char folded) {
    const FoldedChar c = FoldChar(text);
    EXPECT_EQ(c.bytes, bytes) << Str(text);
    EXPECT_EQ(c.folded, folded) << Str(text);
  };
  folds("A", 1, 'a');
  folds("z", 1, 'z');
  folds("7", 1, '7');
  folds("\xC3\x89", 2, 'e');       // É
  folds("\xC3\xA8", 2, 'e');       // è
  folds("\xC3\xB1", 2, 'n');       // ñ
  folds("\xC4\x8C", 2, 'c');       // Č
  folds("\xC5\xAF", 2, 'u');       // ů
  folds("\xC3\xA7", 2, 'c');       // ç
  folds("\xC3\x9F", 2, '*');       // ß: a letter without an ASCII base
  folds("\xC5\x82", 2, '*');       // ł
  folds("\xCC\x81", 2, '\0');      // U+0301 combining acute accent
  folds("\xC2\xA0", 0, '\0');      // no-break space
  folds("\xC3\x97", 0, '\0');      // ×
  folds("\xC3", 0, '\0');          // truncated UTF-8
  folds("\xC3(", 0, '\0');         // invalid UTF-8
  folds("\xE2\x80\x94", 0, '\0');  // em dash
  folds("-", 0, '\0');
  folds("", 0, '\0');
}

}  // namespace
}  // namespace sentinel::redaction
