#include "incident/secret_redactor.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "audit/sha256.h"
#include "incident/bip39_english_words.h"

namespace sentinel::incident {
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
bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
         c == '\r';
}
char ToLower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

constexpr int kMinMnemonicWords = 12;
constexpr size_t kLongestListWord = 8;
constexpr size_t kHexKeyDigits = 64;
// The 3 words before a 64-hex token that may label it as a hash.
constexpr int kLabelWindowWords = 3;

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

bool IsListWord(absl::string_view token) {
  if (token.size() > kLongestListWord) return false;
  char lower[kLongestListWord];
  for (size_t i = 0; i < token.size(); ++i) {
    const unsigned char c = token[i];
    if (!IsAsciiLetter(c)) return false;
    lower[i] = ToLower(c);
  }
  return IsBip39EnglishWord(absl::string_view(lower, token.size()));
}

// A list number inside a mnemonic: one or two digits. (Its optional '.', ')'
// or ':' is checked with the rest of the separator.)
bool IsListNumber(absl::string_view token) {
  if (token.empty() || token.size() > 2) return false;
  for (unsigned char c : token) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Whether the bytes between two list words keep them in one run: whitespace,
// commas, and list numbers with an optional '.', ')' or ':'.
bool IsMnemonicSeparator(absl::string_view gap) {
  size_t i = 0;
  while (i < gap.size()) {
    const unsigned char c = gap[i];
    if (IsAsciiSpace(c) || c == ',') {
      ++i;
      continue;
    }
    size_t digits = 0;
    while (i + digits < gap.size() && IsDigit(gap[i + digits])) ++digits;
    if (digits == 0 || digits > 2) return false;
    i += digits;
    if (i < gap.size() && (gap[i] == '.' || gap[i] == ')' || gap[i] == ':')) {
      ++i;
    }
  }
  return true;
}

bool IsHashLabel(absl::string_view token) {
  static constexpr size_t kLongestLabel = 13;  // "transactionid"
  if (token.size() > kLongestLabel) return false;
  char lower[kLongestLabel];
  for (size_t i = 0; i < token.size(); ++i) lower[i] = ToLower(token[i]);
  absl::string_view word(lower, token.size());
  if (word.size() > 2 && word.substr(word.size() - 2) == "id") {
    word.remove_suffix(2);
  }
  return word == "tx" || word == "txid" || word == "txn" ||
         word == "transaction" || word == "hash" || word == "block";
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
  const std::string digest = audit::Sha256({audit::Sha256({body})});
  if (absl::string_view(digest).substr(0, kChecksumBytes) != checksum) {
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

// Builds the output in one left-to-right pass: unchanged bytes are copied up
// to each secret, then its marker. Secrets are found in text order, because
// a pending mnemonic run is closed by any token that is a key.
class Redactor {
 public:
  explicit Redactor(absl::string_view text) : text_(text) {
    result_.text.reserve(text.size());
  }

  Redaction Run() && {
    size_t i = 0;
    while (i < text_.size()) {
      if (const size_t marker = MarkerLength(text_.substr(i)); marker > 0) {
        EndRun();
        CountWord(/*is_label=*/false);
        i += marker;
        continue;
      }
      if (!IsAlnum(text_[i])) {
        ++i;
        continue;
      }
      size_t end = i + 1;
      while (end < text_.size() && IsAlnum(text_[end])) ++end;
      OnToken(i, end);
      i = end;
    }
    EndRun();
    Append(text_.substr(copied_));
    return std::move(result_);
  }

 private:
  void OnToken(size_t begin, size_t end) {
    const absl::string_view token = text_.substr(begin, end - begin);
    if (IsListWord(token)) {
      if (run_words_ > 0 &&
          IsMnemonicSeparator(text_.substr(run_end_, begin - run_end_))) {
        ++run_words_;
      } else {
        EndRun();
        run_begin_ = begin;
        run_words_ = 1;
      }
      run_end_ = end;
      CountWord(/*is_label=*/false);
      return;
    }
    // A list number may sit inside a run; the next list word's separator
    // check decides. Anything else ends the run.
    if (!IsListNumber(token)) EndRun();

    if (IsHexKey(token)) {
      if (words_since_label_ >= kLabelWindowWords) {
        Replace(begin, end, kHexKeyKind);
      }
    } else if (IsWif(token)) {
      Replace(begin, end, kWifKind);
    } else if (IsExtendedPrivateKey(token)) {
      Replace(begin, end, kExtendedKeyKind);
    }
    CountWord(IsHashLabel(token));
  }

  // Tracks how many words have passed since the last hash label.
  void CountWord(bool is_label) {
    if (is_label) {
      words_since_label_ = 0;
    } else if (words_since_label_ < std::numeric_limits<int>::max()) {
      ++words_since_label_;
    }
  }

  void EndRun() {
    if (run_words_ >= kMinMnemonicWords) {
      Replace(run_begin_, run_end_, kMnemonicKind);
    }
    run_words_ = 0;
  }

  void Replace(size_t begin, size_t end, absl::string_view kind) {
    Append(text_.substr(copied_, begin - copied_));
    Append(kMarkerPrefix);
    Append(kind);
    result_.text.push_back(']');
    copied_ = end;
    ++result_.count;
  }

  // absl::string_view is not std::string_view in this Abseil build.
  void Append(absl::string_view bytes) {
    result_.text.append(bytes.data(), bytes.size());
  }

  const absl::string_view text_;
  Redaction result_;
  size_t copied_ = 0;  // Bytes of text_ already accounted for in the output.
  // The pending run of list words: [run_begin_, run_end_) holds run_words_.
  size_t run_begin_ = 0;
  size_t run_end_ = 0;
  int run_words_ = 0;
  // Words after the last hash label; a 64-hex token is labelled when this is
  // below kLabelWindowWords. Starts as if no label was ever seen.
  int words_since_label_ = std::numeric_limits<int>::max();
};

}  // namespace

Redaction RedactSecrets(absl::string_view text) { return Redactor(text).Run(); }

}  // namespace sentinel::incident
