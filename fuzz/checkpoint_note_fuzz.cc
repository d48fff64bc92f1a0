// Fuzzes the signed-note parsers of audit/checkpoint_note.h with arbitrary
// bytes, read three ways:
// - as a verifier key: one that parses formats back (VerifierKey) to the
//   same text, up to the case of the hex key ID, and parses again to the
//   same name and key;
// - as a whole note, opened with a fixed key: one that opens is a valid
//   checkpoint whose CheckpointBody() is the note's text before its
//   signatures;
// - as a note body, signed here with the fixed key so that body syntax is
//   explored behind a valid signature: the note then opens, or is
//   kInvalidArgument (never kDataLoss: it is authentic and for its origin),
//   and one that opens re-signs (SignCheckpoint, deterministic) to exactly
//   the same note.
// The fixed key is the published test key pair of Go's sumdb/note
// ("PeterNeumann"), so that seeds signed with it open.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "audit/checkpoint_note.h"
#include "audit/ed25519.h"
#include "fuzz/fuzz_check.h"

namespace {

using ::sentinel::audit::Checkpoint;
using ::sentinel::audit::Ed25519PrivateKey;
using ::sentinel::audit::Ed25519PublicKey;

constexpr absl::string_view kKeyName = "PeterNeumann";
// The 32-byte Ed25519 seed of Go's sumdb/note test key, hex.
constexpr absl::string_view kSeedHex =
    "810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173";
constexpr absl::string_view kSignaturePrefix = "\xE2\x80\x94 ";

struct TestKey {
  Ed25519PrivateKey private_key;
  Ed25519PublicKey public_key;
};

// Ed25519PrivateKey loads only from an owner-only PKCS#8 PEM file, so the
// seed goes through one in the temporary directory (RFC 8410: a fixed
// 16-byte DER prefix, then the seed).
TestKey LoadTestKey() {
  const std::string der =
      absl::StrCat(absl::HexStringToBytes("302e020100300506032b657004220420"),
                   absl::HexStringToBytes(kSeedHex));
  std::string path =
      (std::filesystem::temp_directory_path() / "checkpoint_note_fuzz.XXXXXX")
          .string();
  const int fd = ::mkstemp(path.data());  // Mode 0600.
  SENTINEL_FUZZ_CHECK(fd >= 0);
  ::close(fd);
  std::ofstream(path) << "-----BEGIN PRIVATE KEY-----\n"
                      << absl::Base64Escape(der)
                      << "\n-----END PRIVATE KEY-----\n";
  absl::StatusOr<Ed25519PrivateKey> private_key = Ed25519PrivateKey::Load(path);
  std::filesystem::remove(path);
  SENTINEL_FUZZ_CHECK(private_key.ok());
  absl::StatusOr<Ed25519PublicKey> public_key =
      Ed25519PublicKey::FromRaw(private_key->PublicKey());
  SENTINEL_FUZZ_CHECK(public_key.ok());
  return {*std::move(private_key), *std::move(public_key)};
}

const TestKey& Key() {
  static const TestKey* const key = new TestKey(LoadTestKey());
  return *key;
}

// The origin a note states: its first line.
absl::string_view FirstLine(absl::string_view text) {
  return text.substr(0, text.find('\n'));
}

void CheckVerifierKey(absl::string_view input) {
  const auto parsed = sentinel::audit::ParseVerifierKey(input);
  SENTINEL_FUZZ_CHECK(parsed.ok() || absl::IsInvalidArgument(parsed.status()));
  if (!parsed.ok()) return;
  const std::string formatted =
      sentinel::audit::VerifierKey(parsed->first, parsed->second.raw());
  SENTINEL_FUZZ_CHECK(absl::EqualsIgnoreCase(formatted, input));
  const auto again = sentinel::audit::ParseVerifierKey(formatted);
  SENTINEL_FUZZ_CHECK(again.ok() && again->first == parsed->first &&
                      again->second.raw() == parsed->second.raw());
}

void CheckNote(absl::string_view input) {
  const absl::StatusOr<Checkpoint> checkpoint = sentinel::audit::OpenCheckpoint(
      input, kKeyName, Key().public_key, FirstLine(input));
  SENTINEL_FUZZ_CHECK(checkpoint.ok() ||
                      absl::IsInvalidArgument(checkpoint.status()) ||
                      absl::IsDataLoss(checkpoint.status()));
  if (!checkpoint.ok()) return;
  SENTINEL_FUZZ_CHECK(sentinel::audit::ValidateCheckpoint(*checkpoint).ok());
  SENTINEL_FUZZ_CHECK(absl::StartsWith(
      input, absl::StrCat(sentinel::audit::CheckpointBody(*checkpoint), "\n")));
}

void CheckSignedBody(absl::string_view input) {
  std::string body(input);
  if (!absl::EndsWith(body, "\n")) body.push_back('\n');
  const TestKey& key = Key();
  const std::string note = absl::StrCat(
      body, "\n", kSignaturePrefix, kKeyName, " ",
      absl::Base64Escape(absl::StrCat(
          sentinel::audit::KeyId(kKeyName, key.private_key.PublicKey()),
          key.private_key.Sign(body))),
      "\n");
  const absl::StatusOr<Checkpoint> checkpoint = sentinel::audit::OpenCheckpoint(
      note, kKeyName, key.public_key, FirstLine(body));
  SENTINEL_FUZZ_CHECK(checkpoint.ok() ||
                      absl::IsInvalidArgument(checkpoint.status()));
  if (!checkpoint.ok()) return;
  SENTINEL_FUZZ_CHECK(sentinel::audit::ValidateCheckpoint(*checkpoint).ok());
  SENTINEL_FUZZ_CHECK(sentinel::audit::CheckpointBody(*checkpoint) == body);
  SENTINEL_FUZZ_CHECK(sentinel::audit::SignCheckpoint(*checkpoint, kKeyName,
                                                      key.private_key) == note);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  CheckVerifierKey(input);
  CheckNote(input);
  CheckSignedBody(input);
  return 0;
}
