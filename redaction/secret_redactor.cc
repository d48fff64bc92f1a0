#include "redaction/secret_redactor.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "redaction/bip39_words.h"

namespace sentinel::redaction {
namespace {

// Character classes, on bytes rather than through <cctype>: no locale, and no
// undefined behaviour for bytes above 0x7F.
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAlnum(unsigned char c) { return IsDigit(c) || IsAsciiLetter(c); }
bool IsHexDigit(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr int64_t kMinMnemonicWords = 12;
constexpr int kMaxStrangers = 2;
constexpr size_t kMinStrangerLetters = 4;
constexpr size_t kLongestListWord = 9;
// Longest word kept folded: enough for every list word and every label.
constexpr size_t kFoldedCapacity = 16;
constexpr size_t kHexKeyDigits = 64;
constexpr size_t kMaxLabelGapBytes = 3;

constexpr absl::string_view kMarkerPrefix = "[REDACTED:";
// Built with explicit lengths: the const char* constructor's null check is
// not a constant expression under -fsanitize.
template <size_t N>
constexpr absl::string_view Kind(const char (&kind)[N]) {
  return absl::string_view(kind, N - 1);
}
constexpr std::array<absl::string_view, 4> kKinds = {
    Kind(kMnemonicKind), Kind(kHexKeyKind), Kind(kWifKind),
    Kind(kExtendedKeyKind)};

// The length of the "[REDACTED:<kind>]" marker at the start of `rest`, or 0.
size_t MarkerLength(absl::string_view rest) {
  if (rest.empty() || rest[0] != '[' ||
      rest.substr(0, kMarkerPrefix.size()) != kMarkerPrefix) {
    return 0;
  }
  rest.remove_prefix(kMarkerPrefix.size());
  for (absl::string_view kind : kKinds) {
    if (rest.size() > kind.size() && rest.substr(0, kind.size()) == kind &&
        rest[kind.size()] == ']') {
      return kMarkerPrefix.size() + kind.size() + 1;
    }
  }
  return 0;
}

// Whether the bytes between a label and the hash it labels keep them
// adjacent.
bool IsLabelGap(absl::string_view gap) {
  if (gap.empty() || gap.size() > kMaxLabelGapBytes) return false;
  for (char c : gap) {
    if (absl::string_view(" \t:=#(\"'`").find(c) == absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

// "tx", "txn", "transaction", "block": the words a label is built on.
bool IsLabelBase(absl::string_view lower) {
  return lower == "tx" || lower == "txn" || lower == "transaction" ||
         lower == "block";
}

// A label in one word: "hash", or a base alone or followed by "id" or
// "hash" ("txid", "blockhash").
bool IsOneWordLabel(absl::string_view lower) {
  if (lower == "hash" || IsLabelBase(lower)) return true;
  constexpr std::array<absl::string_view, 2> kSuffixes = {"id", "hash"};
  for (absl::string_view suffix : kSuffixes) {
    if (lower.size() > suffix.size() &&
        lower.substr(lower.size() - suffix.size()) == suffix &&
        IsLabelBase(lower.substr(0, lower.size() - suffix.size()))) {
      return true;
    }
  }
  return false;
}

bool IsHexKey(absl::string_view token) {
  if (token.size() == kHexKeyDigits + 2 && token[0] == '0' &&
      (token[1] == 'x' || token[1] == 'X')) {
    token.remove_prefix(2);
  }
  if (token.size() != kHexKeyDigits) return false;
  for (unsigned char c : token) {
    if (!IsHexDigit(c)) return false;
  }
  return true;
}

constexpr absl::string_view kBase58Alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// Value of each byte as a base58 digit, or -1.
constexpr std::array<int8_t, 256> MakeBase58Values() {
  std::array<int8_t, 256> values{};
  for (int8_t& v : values) v = -1;
  for (size_t i = 0; i < kBase58Alphabet.size(); ++i) {
    values[static_cast<unsigned char>(kBase58Alphabet[i])] =
        static_cast<int8_t>(i);
  }
  return values;
}
constexpr std::array<int8_t, 256> kBase58Values = MakeBase58Values();

bool IsBase58(absl::string_view token) {
  for (unsigned char c : token) {
    if (kBase58Values[c] < 0) return false;
  }
  return true;
}

// Longest base58 token worth decoding: an extended key is 82 bytes with its
// checksum, 111 or 112 characters.
constexpr size_t kMaxBase58Chars = 120;
constexpr size_t kChecksumBytes = 4;

// Decodes base58check `token` (already known to be base58 and at most
// kMaxBase58Chars long). Returns true, with the payload (the bytes before the
// checksum) in `*payload`, if the checksum verifies and the payload is
// `min_payload`..`max_payload` bytes long.
bool DecodeBase58Check(absl::string_view token, size_t min_payload,
                       size_t max_payload, std::string* payload) {
  // Big-endian base-256 number, filled from the right. 120 base58 digits need
  // at most 88 bytes.
  std::array<unsigned char, kMaxBase58Chars> number{};
  size_t used = 0;  // Significant bytes at the end of `number`.
  for (unsigned char c : token) {
    int carry = kBase58Values[c];
    for (size_t k = 0; k < used; ++k) {
      unsigned char& byte = number[number.size() - 1 - k];
      carry += 58 * byte;
      byte = static_cast<unsigned char>(carry & 0xFF);
      carry >>= 8;
    }
    while (carry > 0) {
      number[number.size() - 1 - used] = static_cast<unsigned char>(carry);
      ++used;
      carry >>= 8;
    }
  }
  size_t leading_zeros = 0;  // Each leading '1' is a leading zero byte.
  while (leading_zeros < token.size() && token[leading_zeros] == '1') {
    ++leading_zeros;
  }
  const size_t total = leading_zeros + used;
  if (total < min_payload + kChecksumBytes ||
      total > max_payload + kChecksumBytes) {
    return false;
  }
  std::string bytes(leading_zeros, '\0');
  bytes.append(
      reinterpret_cast<const char*>(number.data()) + (number.size() - used),
      used);
  const absl::string_view body =
      absl::string_view(bytes).substr(0, total - kChecksumBytes);
  const absl::string_view checksum =
      absl::string_view(bytes).substr(total - kChecksumBytes);
  unsigned char first[SHA256_DIGEST_LENGTH];
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(),
         first);
  SHA256(first, sizeof(first), digest);
  if (absl::string_view(reinterpret_cast<const char*>(digest),
                        kChecksumBytes) != checksum) {
    return false;
  }
  payload->assign(body.data(), body.size());
  return true;
}

bool IsWif(absl::string_view token) {
  if (token.size() != 51 && token.size() != 52) return false;
  const char first = token[0];
  if (first != '5' && first != 'K' && first != 'L' && first != '9' &&
      first != 'c') {
    return false;
  }
  std::string payload;
  if (!IsBase58(token) || !DecodeBase58Check(token, 33, 34, &payload)) {
    return false;
  }
  const unsigned char version = payload[0];
  return version == 0x80 || version == 0xEF;
}

constexpr std::array<absl::string_view, 10> kExtendedPrivatePrefixes = {
    "xprv", "tprv", "yprv", "zprv", "uprv",
    "vprv", "Yprv", "Zprv", "Uprv", "Vprv"};
constexpr size_t kExtendedKeyBytes = 78;

bool IsExtendedPrivateKey(absl::string_view token) {
  if (token.size() > kMaxBase58Chars) return false;
  bool prefixed = false;
  for (absl::string_view prefix : kExtendedPrivatePrefixes) {
    if (token.substr(0, prefix.size()) == prefix) prefixed = true;
  }
  std::string payload;
  return prefixed && IsBase58(token) &&
         DecodeBase58Check(token, kExtendedKeyBytes, kExtendedKeyBytes,
                           &payload);
}

// A word's place in the sequence of words that phrases are made of (list
// numbers, markers and keys have none) and its bytes in the text.
struct WordPos {
  int64_t index = -1;  // -1: none.
  size_t begin = 0;
  size_t end = 0;
};

// Consecutive words to redact as one mnemonic marker.
struct Span {
  WordPos first;
  WordPos last;
};

// Finds the phrases of one list (rule 1) in one pass over the words, and
// reports the union of their words as spans in word order. For a list word
// at index b, the longest phrase ending there starts at the first list word
// after the third-to-last stranger (or of the segment, with fewer
// strangers); it is a phrase if it has at least 12 words. That start never
// moves back, so overlapping or touching phrases extend one open span.
class PhraseScan {
 public:
  explicit PhraseScan(uint8_t bit) : bit_(bit) {}

  void OnWord(const WordPos& pos, uint8_t lists, bool stranger,
              std::vector<Span>& spans) {
    if ((lists & bit_) == 0) {
      if (!stranger) {
        Break(spans);
        return;
      }
      // The list word after each of the last strangers, newest first.
      for (size_t k = after_stranger_.size() - 1; k > 0; --k) {
        after_stranger_[k] = after_stranger_[k - 1];
      }
      after_stranger_[0] = WordPos();
      strangers_ = std::min(strangers_ + 1, kMaxStrangers + 1);
      return;
    }
    if (first_listed_.index < 0) first_listed_ = pos;
    for (int k = 0; k < strangers_; ++k) {
      if (after_stranger_[k].index < 0) after_stranger_[k] = pos;
    }
    const WordPos& start = strangers_ > kMaxStrangers
                               ? after_stranger_[kMaxStrangers]
                               : first_listed_;
    if (pos.index - start.index + 1 < kMinMnemonicWords) return;
    if (open_.has_value() && start.index <= open_->last.index + 1) {
      open_->last = pos;
    } else {
      if (open_.has_value()) spans.push_back(*open_);
      open_ = Span{start, pos};
    }
  }

  // Ends the segment: no phrase reaches across.
  void Break(std::vector<Span>& spans) {
    if (open_.has_value()) spans.push_back(*open_);
    open_.reset();
    first_listed_ = WordPos();
    after_stranger_.fill(WordPos());
    strangers_ = 0;
  }

 private:
  const uint8_t bit_;
  WordPos first_listed_;
  std::array<WordPos, kMaxStrangers + 1> after_stranger_;
  int strangers_ = 0;  // In the segment, at most kMaxStrangers + 1.
  std::optional<Span> open_;
};

struct Replacement {
  size_t begin;
  size_t end;
  absl::string_view kind;
};

// Scans the text once for words, markers and keys; the phrase scans of the
// six lists run alongside. The output is built at the end, when the
// mnemonic spans are known.
class Redactor {
 public:
  explicit Redactor(absl::string_view text) : text_(text) {
    for (Bip39Language language : kBip39Languages) {
      scans_.emplace_back(Bip39Bit(language));
    }
  }

  Redaction Run() && {
    size_t i = 0;
    while (i < text_.size()) {
      if (text_[i] == '[' &&
          text_.substr(i, kMarkerPrefix.size()) == kMarkerPrefix) {
        // A marker, or a stray "[REDACTED:" that must not end up inside a
        // mnemonic's marker either.
        const size_t marker = MarkerLength(text_.substr(i));
        BreakAll();
        previous_ = Previous();
        i += marker > 0 ? marker : kMarkerPrefix.size();
        continue;
      }
      if (FoldChar(text_.substr(i)).bytes == 0) {
        ++i;
        continue;
      }
      i = OnWord(i);
    }
    BreakAll();
    return Finish();
  }

 private:
  // Reads the word at `begin` and returns its end.
  size_t OnWord(size_t begin) {
    char folded[kFoldedCapacity];
    size_t folded_size = 0;
    size_t letters = 0;
    bool digits = false;
    bool ascii = true;
    bool unlisted_letter = false;  // A letter without an ASCII base.
    size_t end = begin;
    while (end < text_.size()) {
      const FoldedChar c = FoldChar(text_.substr(end));
      if (c.bytes == 0) break;
      if (c.bytes > 1) ascii = false;
      end += c.bytes;
      if (c.folded == '\0') continue;  // A combining mark.
      if (IsDigit(c.folded)) {
        digits = true;
      } else {
        ++letters;
        if (c.folded == '*') unlisted_letter = true;
      }
      if (folded_size < kFoldedCapacity) folded[folded_size] = c.folded;
      ++folded_size;
    }
    const absl::string_view word = text_.substr(begin, end - begin);

    if (FindKeys(begin, word, ascii)) {
      BreakAll();
      previous_ = Previous();
      return end;
    }
    if (ascii && digits && letters == 0 && word.size() <= 2) {
      // A list number: skipped by phrases, but it separates a label from
      // what follows.
      previous_ = Previous();
      return end;
    }
    const WordPos pos{next_index_++, begin, end};
    uint8_t lists = 0;
    if (!digits && !unlisted_letter && folded_size <= kLongestListWord) {
      lists = Bip39ListsOf(absl::string_view(folded, folded_size));
    }
    const bool stranger = !digits && letters >= kMinStrangerLetters;
    for (PhraseScan& scan : scans_) scan.OnWord(pos, lists, stranger, spans_);

    const absl::string_view lower = folded_size <= kFoldedCapacity && ascii
                                        ? absl::string_view(folded, folded_size)
                                        : absl::string_view();
    Previous next;
    next.pos = pos;
    next.label = IsOneWordLabel(lower);
    next.label_base = IsLabelBase(lower);
    if ((lower == "id" || lower == "hash") && previous_.label_base &&
        previous_.pos.end + 1 == begin) {
      const char gap = text_[previous_.pos.end];
      next.label = gap == ' ' || gap == '_' || gap == '-';
    }
    previous_ = next;
    return end;
  }

  // Finds the keys in `word` (rules 2 to 4): the word itself when it is
  // ASCII, else each run of ASCII letters and digits in it. Returns whether
  // there was one.
  bool FindKeys(size_t begin, absl::string_view word, bool ascii) {
    if (ascii) return FindKey(begin, word, /*may_be_labelled=*/true);
    bool found = false;
    size_t i = 0;
    while (i < word.size()) {
      if (!IsAlnum(word[i])) {
        ++i;
        continue;
      }
      size_t end = i + 1;
      while (end < word.size() && IsAlnum(word[end])) ++end;
      found |= FindKey(begin + i, word.substr(i, end - i),
                       /*may_be_labelled=*/false);
      i = end;
    }
    return found;
  }

  bool FindKey(size_t begin, absl::string_view run, bool may_be_labelled) {
    if (IsHexKey(run)) {
      const bool labelled = may_be_labelled && previous_.label &&
                            IsLabelGap(text_.substr(previous_.pos.end,
                                                    begin - previous_.pos.end));
      if (!labelled) {
        replacements_.push_back({begin, begin + run.size(), kHexKeyKind});
      }
      return true;
    }
    if (IsWif(run)) {
      replacements_.push_back({begin, begin + run.size(), kWifKind});
      return true;
    }
    if (IsExtendedPrivateKey(run)) {
      replacements_.push_back({begin, begin + run.size(), kExtendedKeyKind});
      return true;
    }
    return false;
  }

  void BreakAll() {
    for (PhraseScan& scan : scans_) scan.Break(spans_);
  }

  // Merges the lists' spans and writes the output. (No label is a word of
  // any list, so a kept hash never loses its label to a mnemonic's marker.)
  Redaction Finish() {
    std::sort(spans_.begin(), spans_.end(), [](const Span& a, const Span& b) {
      return a.first.index < b.first.index;
    });
    std::vector<Span> merged;
    for (const Span& span : spans_) {
      if (!merged.empty() && span.first.index <= merged.back().last.index + 1) {
        if (span.last.index > merged.back().last.index) {
          merged.back().last = span.last;
        }
      } else {
        merged.push_back(span);
      }
    }
    for (const Span& span : merged) {
      replacements_.push_back(
          {span.first.begin, span.last.end, Kind(kMnemonicKind)});
    }
    std::sort(replacements_.begin(), replacements_.end(),
              [](const Replacement& a, const Replacement& b) {
                return a.begin < b.begin;
              });

    Redaction result;
    result.text.reserve(text_.size());
    size_t copied = 0;
    for (const Replacement& r : replacements_) {
      Append(result.text, text_.substr(copied, r.begin - copied));
      Append(result.text, kMarkerPrefix);
      Append(result.text, r.kind);
      result.text.push_back(']');
      copied = r.end;
    }
    Append(result.text, text_.substr(copied));
    result.count = static_cast<int>(replacements_.size());
    return result;
  }

  // absl::string_view is not std::string_view in this Abseil build.
  static void Append(std::string& out, absl::string_view bytes) {
    out.append(bytes.data(), bytes.size());
  }

  // The word before the current one, for hash labels (rule 2). After a
  // marker, key or list number: none.
  struct Previous {
    WordPos pos;
    bool label = false;
    bool label_base = false;
  };

  const absl::string_view text_;
  std::vector<PhraseScan> scans_;
  int64_t next_index_ = 0;
  Previous previous_;
  std::vector<Span> spans_;
  std::vector<Replacement> replacements_;
};

}  // namespace

Redaction RedactSecrets(absl::string_view text) { return Redactor(text).Run(); }

}  // namespace sentinel::redaction
