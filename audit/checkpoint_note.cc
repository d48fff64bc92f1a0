// C2SP tlog-checkpoint bodies in C2SP signed notes, signed with Ed25519.
#include "audit/checkpoint_note.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "audit/sha256.h"
#include "common/status_macros.h"

namespace sentinel::audit {
namespace {

// Em dash (U+2014) and a space: the start of every signature line.
constexpr absl::string_view kSignaturePrefix = "\xE2\x80\x94 ";
constexpr size_t kKeyIdBytes = 4;
// Longest excerpt of untrusted text quoted in an error message.
constexpr size_t kMaxQuotedBytes = 80;

// Decodes the code point at text[pos] and advances `pos` past it. Returns -1
// for anything that is not well-formed UTF-8, including overlong forms,
// surrogates and values above U+10FFFF.
int32_t NextCodePoint(absl::string_view text, size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  // Sequence length, payload bits of the lead byte, and the smallest code
  // point that needs this length (anything below is an overlong form).
  struct Form {
    size_t length;
    int32_t payload;
    int32_t minimum;
  };
  Form form;
  if ((lead & 0xE0) == 0xC0) {
    form = {2, lead & 0x1F, 0x80};
  } else if ((lead & 0xF0) == 0xE0) {
    form = {3, lead & 0x0F, 0x800};
  } else if ((lead & 0xF8) == 0xF0) {
    form = {4, lead & 0x07, 0x10000};
  } else {
    return -1;
  }
  const size_t length = form.length;
  int32_t code_point = form.payload;
  if (length > text.size() - pos) return -1;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return -1;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (code_point < form.minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return -1;
  }
  pos += length;
  return code_point;
}

bool IsValidUtf8(absl::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    if (NextCodePoint(text, pos) < 0) return false;
  }
  return true;
}

// Unicode White_Space, which is what Go's unicode.IsSpace (used by
// sumdb/note for key names) tests.
bool IsUnicodeSpace(int32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// `text` quoted and escaped for an error message, shortened if long.
std::string Quote(absl::string_view text) {
  bool shortened = text.size() > kMaxQuotedBytes;
  if (shortened) text = text.substr(0, kMaxQuotedBytes);
  std::string escaped = IsValidUtf8(text) ? absl::Utf8SafeCHexEscape(text)
                                          : absl::CHexEscape(text);
  return absl::StrCat("\"", escaped, shortened ? "\"..." : "\"");
}

std::string HexByte(unsigned char byte) {
  return absl::StrCat("0x", absl::Hex(byte, absl::kZeroPad2));
}

// Standard base64 with padding, accepted only in its canonical form (no
// whitespace, no missing padding, zero trailing bits), so that each value
// has exactly one encoding.
bool DecodeBase64(absl::string_view text, std::string& out) {
  return absl::Base64Unescape(text, &out) && absl::Base64Escape(out) == text;
}

// OK if the note is valid UTF-8 with no control character but newline.
absl::Status CheckNoteCharacters(absl::string_view note) {
  for (size_t pos = 0; pos < note.size();) {
    size_t start = pos;
    int32_t c = NextCodePoint(note, pos);
    if (c < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint: note is not valid UTF-8 at byte ", start));
    }
    if (c < 0x20 && c != '\n') {
      return absl::InvalidArgumentError(absl::StrCat(
          "checkpoint: note contains control character ",
          HexByte(static_cast<unsigned char>(c)), " at byte ", start));
    }
  }
  return absl::OkStatus();
}

// One signature line, decoded.
struct NoteSignature {
  absl::string_view key_name;
  std::string key_id;     // 4 bytes
  std::string signature;  // the rest
};

absl::StatusOr<NoteSignature> ParseSignatureLine(absl::string_view line,
                                                 size_t number) {
  const std::string where = absl::StrCat("checkpoint: signature line ", number);
  if (!absl::ConsumePrefix(&line, kSignaturePrefix)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, " does not start with an em dash and a space: ", Quote(line)));
  }
  size_t space = line.find(' ');
  if (space == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " has no space between key name and signature"));
  }
  NoteSignature result;
  result.key_name = line.substr(0, space);
  absl::Status name = ValidateKeyName(result.key_name);
  if (!name.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": ", name.message()));
  }
  std::string decoded;
  if (!DecodeBase64(line.substr(space + 1), decoded)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": signature is not base64"));
  }
  if (decoded.size() <= kKeyIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": signature is ", decoded.size(),
                     " bytes, too short for a key ID and a signature"));
  }
  result.key_id = decoded.substr(0, kKeyIdBytes);
  result.signature = decoded.substr(kKeyIdBytes);
  return result;
}

absl::StatusOr<uint64_t> ParseTreeSize(absl::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint: tree size ", Quote(text), " is not a number"));
  }
  if (text.size() > 1 && text[0] == '0') {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint: tree size ", Quote(text), " has a leading zero"));
  }
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t value = 0;
  for (char c : text) {
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (kMax - digit) / 10) {
      return absl::InvalidArgumentError(absl::StrCat(
          "checkpoint: tree size ", Quote(text), " does not fit in 64 bits"));
    }
    value = value * 10 + digit;
  }
  return value;
}

// Parses the three body lines (with the final newline) into a checkpoint.
absl::StatusOr<Checkpoint> ParseBody(absl::string_view body) {
  body.remove_suffix(1);  // The final newline; the caller checked it.
  std::vector<absl::string_view> lines = absl::StrSplit(body, '\n');
  if (lines.size() != 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint: body has ", lines.size(),
                     " lines, expected 3 (origin, tree size, root hash)"));
  }
  Checkpoint checkpoint;
  if (lines[0].empty()) {
    return absl::InvalidArgumentError("checkpoint: origin line is empty");
  }
  checkpoint.origin = std::string(lines[0]);
  SENTINEL_ASSIGN_OR_RETURN(checkpoint.size, ParseTreeSize(lines[1]));
  if (!DecodeBase64(lines[2], checkpoint.root_hash)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint: root hash ", Quote(lines[2]), " is not base64"));
  }
  if (checkpoint.root_hash.size() != kSha256Bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint: root hash is ", checkpoint.root_hash.size(),
                     " bytes, expected ", kSha256Bytes));
  }
  return checkpoint;
}

}  // namespace

absl::Status ValidateKeyName(absl::string_view key_name) {
  if (key_name.empty()) {
    return absl::InvalidArgumentError("key name is empty");
  }
  for (size_t pos = 0; pos < key_name.size();) {
    int32_t c = NextCodePoint(key_name, pos);
    if (c < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("key name ", Quote(key_name), " is not valid UTF-8"));
    }
    if (IsUnicodeSpace(c)) {
      return absl::InvalidArgumentError(
          absl::StrCat("key name ", Quote(key_name), " contains a space"));
    }
    if (c < 0x20) {
      return absl::InvalidArgumentError(absl::StrCat(
          "key name ", Quote(key_name), " contains a control character"));
    }
    if (c == '+') {
      return absl::InvalidArgumentError(
          absl::StrCat("key name ", Quote(key_name), " contains '+'"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCheckpoint(const Checkpoint& checkpoint) {
  if (checkpoint.origin.empty()) {
    return absl::InvalidArgumentError("checkpoint origin is empty");
  }
  for (size_t pos = 0; pos < checkpoint.origin.size();) {
    int32_t c = NextCodePoint(checkpoint.origin, pos);
    if (c < 0) {
      return absl::InvalidArgumentError(absl::StrCat("checkpoint origin ",
                                                     Quote(checkpoint.origin),
                                                     " is not valid UTF-8"));
    }
    if (c < 0x20) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint origin ", Quote(checkpoint.origin),
                       " contains a control character"));
    }
  }
  if (checkpoint.root_hash.size() != kSha256Bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint root hash is ", checkpoint.root_hash.size(),
                     " bytes, expected ", kSha256Bytes));
  }
  return absl::OkStatus();
}

std::string CheckpointBody(const Checkpoint& checkpoint) {
  return absl::StrCat(checkpoint.origin, "\n", checkpoint.size, "\n",
                      absl::Base64Escape(checkpoint.root_hash), "\n");
}

std::string KeyId(absl::string_view key_name, absl::string_view public_key) {
  const absl::string_view type(&kNoteEd25519Type, 1);
  return Sha256({key_name, "\n", type, public_key}).substr(0, kKeyIdBytes);
}

std::string SignCheckpoint(const Checkpoint& checkpoint,
                           absl::string_view key_name,
                           const Ed25519PrivateKey& key) {
  absl::Status valid = ValidateKeyName(key_name);
  if (valid.ok()) valid = ValidateCheckpoint(checkpoint);
  if (!valid.ok()) {
    // A note no verifier can parse must not be signed; see the header.
    std::fprintf(stderr, "SignCheckpoint: %s\n",
                 std::string(valid.message()).c_str());
    std::abort();
  }
  std::string body = CheckpointBody(checkpoint);
  std::string signature = key.Sign(body);
  return absl::StrCat(body, "\n", kSignaturePrefix, key_name, " ",
                      absl::Base64Escape(absl::StrCat(
                          KeyId(key_name, key.PublicKey()), signature)),
                      "\n");
}

std::string VerifierKey(absl::string_view key_name,
                        absl::string_view public_key) {
  const absl::string_view type(&kNoteEd25519Type, 1);
  return absl::StrCat(key_name, "+",
                      absl::BytesToHexString(KeyId(key_name, public_key)), "+",
                      absl::Base64Escape(absl::StrCat(type, public_key)));
}

absl::StatusOr<std::pair<std::string, Ed25519PublicKey>> ParseVerifierKey(
    absl::string_view vkey) {
  // The name has no '+' and the key ID is hex, so the first two '+' split
  // the parts; the base64 key may contain '+'.
  size_t first = vkey.find('+');
  size_t second = first == absl::string_view::npos ? absl::string_view::npos
                                                   : vkey.find('+', first + 1);
  if (second == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "verifier key: expected <name>+<key ID>+<key>");
  }
  absl::string_view name = vkey.substr(0, first);
  absl::string_view key_id = vkey.substr(first + 1, second - first - 1);
  absl::string_view key64 = vkey.substr(second + 1);

  absl::Status name_status = ValidateKeyName(name);
  if (!name_status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key: ", name_status.message()));
  }
  if (key_id.size() != 2 * kKeyIdBytes ||
      !std::all_of(key_id.begin(), key_id.end(), [](char c) {
        return absl::ascii_isxdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError(absl::StrCat(
        "verifier key: key ID ", Quote(key_id), " is not 8 hex digits"));
  }
  std::string typed_key;
  if (!DecodeBase64(key64, typed_key)) {
    return absl::InvalidArgumentError("verifier key: key is not base64");
  }
  if (typed_key.empty()) {
    return absl::InvalidArgumentError("verifier key: key is empty");
  }
  if (typed_key[0] != kNoteEd25519Type) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key: algorithm byte is ",
                     HexByte(static_cast<unsigned char>(typed_key[0])),
                     ", expected 0x01 (Ed25519)"));
  }
  absl::string_view raw = absl::string_view(typed_key).substr(1);
  if (raw.size() != kEd25519PublicKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key: Ed25519 key is ", raw.size(),
                     " bytes, expected ", kEd25519PublicKeyBytes));
  }
  std::string expected_id = absl::BytesToHexString(KeyId(name, raw));
  if (absl::AsciiStrToLower(key_id) != expected_id) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key: key ID ", key_id,
                     " does not match the name and key (", expected_id, ")"));
  }
  SENTINEL_ASSIGN_OR_RETURN(Ed25519PublicKey key,
                            Ed25519PublicKey::FromRaw(raw));
  return std::pair<std::string, Ed25519PublicKey>(std::string(name),
                                                  std::move(key));
}

absl::StatusOr<Checkpoint> OpenCheckpoint(absl::string_view note,
                                          absl::string_view key_name,
                                          const Ed25519PublicKey& key,
                                          absl::string_view expected_origin) {
  // Syntax first, of the whole note, as C2SP requires even of lines from
  // unknown keys; then authenticity; then whether it is the expected log.
  if (note.size() > kMaxNoteBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint: note is ", note.size(),
                     " bytes, more than the limit of ", kMaxNoteBytes));
  }
  SENTINEL_RETURN_IF_ERROR(CheckNoteCharacters(note));
  if (note.empty() || note.back() != '\n') {
    return absl::InvalidArgumentError(
        "checkpoint: note does not end with a newline");
  }
  // The text ends at the last blank line (signed-note).
  size_t blank = note.rfind("\n\n");
  if (blank == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "checkpoint: no blank line between the body and the signatures");
  }
  absl::string_view body = note.substr(0, blank + 1);
  absl::string_view signature_block = note.substr(blank + 2);
  if (signature_block.empty()) {
    return absl::InvalidArgumentError(
        "checkpoint: no signature lines after the blank line");
  }
  signature_block.remove_suffix(1);  // The final newline.
  std::vector<absl::string_view> lines = absl::StrSplit(signature_block, '\n');
  if (lines.size() > kMaxNoteSignatures) {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint: ", lines.size(), " signature lines, more than the ",
        kMaxNoteSignatures, " allowed"));
  }
  std::vector<NoteSignature> signatures;
  signatures.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    SENTINEL_ASSIGN_OR_RETURN(NoteSignature signature,
                              ParseSignatureLine(lines[i], i + 1));
    signatures.push_back(std::move(signature));
  }
  SENTINEL_ASSIGN_OR_RETURN(Checkpoint checkpoint, ParseBody(body));

  // Lines from other keys (rotated keys, witnesses) are ignored; every line
  // from this key must verify, and there must be one.
  const std::string key_id = KeyId(key_name, key.raw());
  bool signed_by_key = false;
  for (const NoteSignature& signature : signatures) {
    if (signature.key_name != key_name || signature.key_id != key_id) continue;
    if (!key.Verify(body, signature.signature)) {
      return absl::DataLossError(absl::StrCat("checkpoint: signature by ",
                                              key_name, " does not verify"));
    }
    signed_by_key = true;
  }
  if (!signed_by_key) {
    return absl::DataLossError(absl::StrCat("checkpoint: no signature by ",
                                            key_name, " with key ID ",
                                            absl::BytesToHexString(key_id)));
  }
  if (checkpoint.origin != expected_origin) {
    return absl::DataLossError(
        absl::StrCat("checkpoint: origin is ", Quote(checkpoint.origin),
                     ", expected ", Quote(expected_origin)));
  }
  return checkpoint;
}

}  // namespace sentinel::audit
