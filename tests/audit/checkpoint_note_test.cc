// Tests of the Ed25519 signing key (storage, permissions, signatures) and of
// C2SP signed checkpoint notes: formats, published vectors from Go's
// sumdb/note and sum.golang.org, and rejection of tampered, forged and
// malformed notes with the exact status.

#include "audit/checkpoint_note.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "audit/ed25519.h"
#include "audit/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::audit {
namespace {

using ::sentinel::testing::IsOk;
using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr absl::string_view kOrigin = "audit.example.com/sentinel";
constexpr char kDash[] = "\xE2\x80\x94 ";  // U+2014 and a space.
constexpr size_t kDashBytes = sizeof(kDash) - 1;

// The vectors are kept verbatim, one line each.
// clang-format off
// From golang.org/x/mod/sumdb/note's note_test.go (TestSign, TestOpen).
constexpr absl::string_view kPeterName = "PeterNeumann";
constexpr absl::string_view kPeterVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
// The base64 of 0x01 || the 32-byte Ed25519 seed, from the skey
// "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz".
constexpr absl::string_view kPeterSeed64 =
    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr absl::string_view kPeterText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr absl::string_view kPeterSignatureLine =
    "\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

// A real sum.golang.org checkpoint (https://sum.golang.org/latest,
// 2024-09-23, as quoted in sigsum-go's TestGoSumDBCheckpoint) and the key
// the go command pins for it.
constexpr absl::string_view kGoSumKey =
    "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
constexpr absl::string_view kGoSumNote =
    "go.sum database tree\n"
    "30055305\n"
    "mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=\n"
    "\n"
    "\xE2\x80\x94 sum.golang.org Az3grpgEild5qw7+5dtV13Kf1C2Xurm8q4fhdxvcsDHnqNTaxL2AFjBY+2TyGKevucFcAAlWFJJYle3EJlDCrQ+y3A8=\n";
// clang-format on

MATCHER_P(IsOkAndHolds, expected, "is OK and holds the expected value") {
  if (!arg.ok()) {
    *result_listener << "which is " << arg.status();
    return false;
  }
  return *arg == expected;
}

std::string Unbase64(absl::string_view text) {
  std::string out;
  EXPECT_TRUE(absl::Base64Unescape(text, &out)) << text;
  return out;
}

mode_t FileMode(const std::string& path) {
  struct stat info;
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

void WriteFile(const std::string& path, absl::string_view contents,
               mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, contents.data(), contents.size()),
            static_cast<ssize_t>(contents.size()));
  ASSERT_EQ(::close(fd), 0);
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

// The PKCS#8 PEM of an Ed25519 key given by its 32-byte seed (RFC 8410: a
// fixed 16-byte DER prefix, then the seed).
std::string Ed25519SeedPem(absl::string_view seed) {
  std::string der = absl::StrCat(
      absl::HexStringToBytes("302e020100300506032b657004220420"), seed);
  return absl::StrCat("-----BEGIN PRIVATE KEY-----\n", absl::Base64Escape(der),
                      "\n-----END PRIVATE KEY-----\n");
}

// A signed note over an arbitrary `body`, built independently of
// SignCheckpoint so that body syntax can be tested behind a valid signature.
std::string SignNote(absl::string_view body, absl::string_view key_name,
                     const Ed25519PrivateKey& key) {
  return absl::StrCat(body, "\n", kDash, key_name, " ",
                      absl::Base64Escape(absl::StrCat(
                          KeyId(key_name, key.PublicKey()), key.Sign(body))),
                      "\n");
}

std::string Root(char fill) { return std::string(kSha256Bytes, fill); }

class CheckpointNoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey log_key,
                         Ed25519PrivateKey::LoadOrCreate(KeyPath("log")));
    log_key_ = std::make_unique<Ed25519PrivateKey>(std::move(log_key));
    ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey other_key,
                         Ed25519PrivateKey::LoadOrCreate(KeyPath("other")));
    other_key_ = std::make_unique<Ed25519PrivateKey>(std::move(other_key));
    ASSERT_OK_AND_ASSIGN(Ed25519PublicKey public_key,
                         Ed25519PublicKey::FromRaw(log_key_->PublicKey()));
    public_key_ = std::make_unique<Ed25519PublicKey>(std::move(public_key));
    checkpoint_ = {
        .origin = std::string(kOrigin), .size = 1234, .root_hash = Root('r')};
  }

  std::string KeyPath(absl::string_view name) const {
    return absl::StrCat(dir_.path(), "/", name, ".pem");
  }

  std::string Signed(const Checkpoint& checkpoint) const {
    return SignCheckpoint(checkpoint, kOrigin, *log_key_);
  }

  absl::StatusOr<Checkpoint> Open(absl::string_view note) const {
    return OpenCheckpoint(note, kOrigin, *public_key_, kOrigin);
  }

  // The note with the signature line's bytes replaced by `mutate(bytes)`.
  std::string WithSignatureBytes(
      const std::string& note,
      const std::function<void(std::string&)>& mutate) const {
    const std::string prefix = absl::StrCat(kDash, kOrigin, " ");
    size_t start = note.find(prefix) + prefix.size();
    size_t end = note.find('\n', start);
    std::string bytes = Unbase64(note.substr(start, end - start));
    mutate(bytes);
    return absl::StrCat(note.substr(0, start), absl::Base64Escape(bytes),
                        note.substr(end));
  }

  ::sentinel::testing::TempDir dir_;
  std::unique_ptr<Ed25519PrivateKey> log_key_;
  std::unique_ptr<Ed25519PrivateKey> other_key_;
  std::unique_ptr<Ed25519PublicKey> public_key_;
  Checkpoint checkpoint_;
};

// ---------------------------------------------------------------------------
// Ed25519 keys

// A new key file is PKCS#8 PEM with mode 0600; loading it again gives the
// same key.
TEST_F(CheckpointNoteTest, KeyIsCreatedOwnerOnlyAndReloads) {
  const std::string path = KeyPath("new");
  ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey created,
                       Ed25519PrivateKey::LoadOrCreate(path));
  EXPECT_EQ(FileMode(path), 0600);
  std::ifstream file(path);
  std::string first_line;
  std::getline(file, first_line);
  EXPECT_EQ(first_line, "-----BEGIN PRIVATE KEY-----");
  EXPECT_EQ(created.PublicKey().size(), kEd25519PublicKeyBytes);

  ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey reloaded,
                       Ed25519PrivateKey::LoadOrCreate(path));
  EXPECT_EQ(reloaded.PublicKey(), created.PublicKey());
  ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey loaded, Ed25519PrivateKey::Load(path));
  EXPECT_EQ(loaded.PublicKey(), created.PublicKey());
  EXPECT_EQ(loaded.Sign("m"), created.Sign("m"));  // Ed25519 is deterministic.
}

// Two keys generated at different paths differ.
TEST_F(CheckpointNoteTest, GeneratedKeysDiffer) {
  EXPECT_NE(log_key_->PublicKey(), other_key_->PublicKey());
}

// A key file readable by group or others is refused by both loaders, with
// the mode and the fix in the message.
TEST_F(CheckpointNoteTest, GroupReadableKeyIsRefused) {
  const std::string path = KeyPath("log");
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  const std::string message = absl::StrCat(
      path,
      ": permissions 0644 are too open; the signing key must be readable by "
      "its owner only (chmod 600)");
  EXPECT_THAT(Ed25519PrivateKey::LoadOrCreate(path),
              StatusIs(absl::StatusCode::kFailedPrecondition, message));
  EXPECT_THAT(Ed25519PrivateKey::Load(path),
              StatusIs(absl::StatusCode::kFailedPrecondition, message));
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_THAT(Ed25519PrivateKey::Load(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("permissions 0640 are too open")));
}

// Load() of a missing file is kNotFound and creates nothing.
TEST_F(CheckpointNoteTest, LoadOfMissingKeyIsNotFound) {
  const std::string path = KeyPath("missing");
  EXPECT_THAT(Ed25519PrivateKey::Load(path),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
  EXPECT_NE(::access(path.c_str(), F_OK), 0);
}

// A key file that is not PEM is kDataLoss, and its contents are not echoed.
TEST_F(CheckpointNoteTest, GarbageKeyFileIsDataLoss) {
  const std::string path = KeyPath("garbage");
  WriteFile(path, "SECRET-LOOKING-BYTES\n", 0600);
  EXPECT_THAT(Ed25519PrivateKey::LoadOrCreate(path),
              StatusIs(absl::StatusCode::kDataLoss,
                       ::testing::AllOf(HasSubstr("not an unencrypted PEM"),
                                        ::testing::Not(HasSubstr("SECRET")))));
}

// A PEM key of another algorithm is kFailedPrecondition.
TEST_F(CheckpointNoteTest, NonEd25519KeyIsRefused) {
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(ec, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(
      PEM_write_bio_PrivateKey(bio, ec, nullptr, nullptr, 0, nullptr, nullptr),
      1);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  const std::string path = KeyPath("ec");
  WriteFile(path, absl::string_view(data, size), 0600);
  BIO_free(bio);
  EVP_PKEY_free(ec);
  EXPECT_THAT(Ed25519PrivateKey::Load(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not an Ed25519 key")));
}

// Signatures are 64 bytes, verify with the matching public key only, and
// fail on any change to the message or the signature.
TEST_F(CheckpointNoteTest, SignAndVerify) {
  std::string signature = log_key_->Sign("message");
  ASSERT_EQ(signature.size(), kEd25519SignatureBytes);
  EXPECT_TRUE(public_key_->Verify("message", signature));
  EXPECT_FALSE(public_key_->Verify("messagf", signature));
  EXPECT_FALSE(public_key_->Verify("message", signature.substr(1)));
  signature[10] ^= 1;
  EXPECT_FALSE(public_key_->Verify("message", signature));
  ASSERT_OK_AND_ASSIGN(Ed25519PublicKey other,
                       Ed25519PublicKey::FromRaw(other_key_->PublicKey()));
  EXPECT_FALSE(other.Verify("message", log_key_->Sign("message")));
  // The empty message is signable too.
  EXPECT_TRUE(public_key_->Verify("", log_key_->Sign("")));
}

// Copies of a public key share the OpenSSL key and keep verifying after the
// original is gone.
TEST_F(CheckpointNoteTest, PublicKeyCopiesVerify) {
  std::string signature = log_key_->Sign("m");
  Ed25519PublicKey copy = *public_key_;
  public_key_.reset();
  Ed25519PublicKey assigned = copy;
  assigned = copy;
  EXPECT_TRUE(copy.Verify("m", signature));
  EXPECT_TRUE(assigned.Verify("m", signature));
  EXPECT_EQ(assigned.raw(), log_key_->PublicKey());
}

// FromRaw refuses keys that are not 32 bytes.
TEST_F(CheckpointNoteTest, PublicKeyOfWrongLengthIsRefused) {
  EXPECT_THAT(Ed25519PublicKey::FromRaw(std::string(31, 'k')),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "Ed25519 public key is 31 bytes, expected 32"));
}

// ---------------------------------------------------------------------------
// Published vectors

// Go's sumdb/note key: PEM from its seed gives its public key, key ID and
// verifier key, and signs its test note byte for byte.
TEST_F(CheckpointNoteTest, GoSumdbNoteSigningVector) {
  const std::string path = KeyPath("peter");
  WriteFile(path, Ed25519SeedPem(Unbase64(kPeterSeed64).substr(1)), 0600);
  ASSERT_OK_AND_ASSIGN(Ed25519PrivateKey peter, Ed25519PrivateKey::Load(path));

  const std::string public_key = Unbase64(kPeterVkey.substr(22)).substr(1);
  EXPECT_EQ(peter.PublicKey(), public_key);
  EXPECT_EQ(absl::BytesToHexString(KeyId(kPeterName, peter.PublicKey())),
            "c74f20a3");
  EXPECT_EQ(VerifierKey(kPeterName, peter.PublicKey()), kPeterVkey);
  EXPECT_EQ(SignNote(kPeterText, kPeterName, peter),
            absl::StrCat(kPeterText, "\n", kPeterSignatureLine));

  ASSERT_OK_AND_ASSIGN(auto name_and_key, ParseVerifierKey(kPeterVkey));
  EXPECT_EQ(name_and_key.first, kPeterName);
  EXPECT_EQ(name_and_key.second.raw(), public_key);
  // The line is base64(key ID || signature); the signature verifies.
  std::string line_bytes = Unbase64(kPeterSignatureLine.substr(
      kDashBytes + kPeterName.size() + 1,
      kPeterSignatureLine.size() - kDashBytes - kPeterName.size() - 2));
  EXPECT_TRUE(name_and_key.second.Verify(kPeterText, line_bytes.substr(4)));
}

// A real checkpoint from sum.golang.org opens with the go command's pinned
// key; its origin differs from its key name.
TEST_F(CheckpointNoteTest, SumGolangOrgCheckpointVector) {
  ASSERT_OK_AND_ASSIGN(auto name_and_key, ParseVerifierKey(kGoSumKey));
  EXPECT_EQ(name_and_key.first, "sum.golang.org");
  EXPECT_EQ(VerifierKey("sum.golang.org", name_and_key.second.raw()),
            kGoSumKey);
  ASSERT_OK_AND_ASSIGN(
      Checkpoint checkpoint,
      OpenCheckpoint(kGoSumNote, "sum.golang.org", name_and_key.second,
                     "go.sum database tree"));
  EXPECT_EQ(checkpoint.origin, "go.sum database tree");
  EXPECT_EQ(checkpoint.size, 30055305u);
  EXPECT_EQ(checkpoint.root_hash,
            Unbase64("mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM="));
  EXPECT_EQ(absl::StrCat(CheckpointBody(checkpoint), "\n"),
            kGoSumNote.substr(0, kGoSumNote.find(kDash)));

  EXPECT_THAT(OpenCheckpoint(kGoSumNote, "sum.golang.org", name_and_key.second,
                             "sum.golang.org"),
              StatusIs(absl::StatusCode::kDataLoss,
                       "checkpoint: origin is \"go.sum database tree\", "
                       "expected \"sum.golang.org\""));
  std::string tampered =
      absl::StrReplaceAll(kGoSumNote, {{"30055305", "30055306"}});
  EXPECT_THAT(OpenCheckpoint(tampered, "sum.golang.org", name_and_key.second,
                             "go.sum database tree"),
              StatusIs(absl::StatusCode::kDataLoss,
                       "checkpoint: signature by sum.golang.org does not "
                       "verify"));
}

// ---------------------------------------------------------------------------
// Formats

// The body is origin, decimal size and standard base64 root, each ending in
// a newline.
TEST_F(CheckpointNoteTest, CheckpointBodyFormat) {
  EXPECT_EQ(CheckpointBody({.origin = "example.com/log",
                            .size = 20852163,
                            .root_hash = Root('\xff')}),
            "example.com/log\n20852163\n"
            "//////////////////////////////////////////8=\n");
  EXPECT_EQ(CheckpointBody({.origin = "o", .size = 0, .root_hash = Root(0)}),
            "o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
}

// The key ID is the first 4 bytes of SHA-256(name || '\n' || 0x01 || key).
TEST_F(CheckpointNoteTest, KeyIdFormula) {
  const std::string key = log_key_->PublicKey();
  EXPECT_EQ(
      KeyId("n", key),
      Sha256({"n", "\n", absl::string_view("\x01", 1), key}).substr(0, 4));
  EXPECT_NE(KeyId("n", key), KeyId("m", key));
}

// A signed note is the body, a blank line and one em-dash signature line
// carrying the key ID and a signature over the body.
TEST_F(CheckpointNoteTest, SignedNoteFormat) {
  const std::string note = Signed(checkpoint_);
  const std::string body = CheckpointBody(checkpoint_);
  const std::string prefix = absl::StrCat(body, "\n", kDash, kOrigin, " ");
  ASSERT_THAT(note, StartsWith(prefix));
  ASSERT_EQ(note.back(), '\n');
  std::string bytes =
      Unbase64(note.substr(prefix.size(), note.size() - prefix.size() - 1));
  ASSERT_EQ(bytes.size(), 4 + kEd25519SignatureBytes);
  EXPECT_EQ(bytes.substr(0, 4), KeyId(kOrigin, log_key_->PublicKey()));
  EXPECT_TRUE(public_key_->Verify(body, bytes.substr(4)));
}

// ---------------------------------------------------------------------------
// OpenCheckpoint: round trip and authenticity

// A note signed by the log opens to the same checkpoint, including size 0
// and the largest size.
TEST_F(CheckpointNoteTest, SignOpenRoundTrip) {
  EXPECT_THAT(Open(Signed(checkpoint_)), IsOkAndHolds(checkpoint_));
  for (uint64_t size : {uint64_t{0}, ~uint64_t{0}}) {
    Checkpoint checkpoint = checkpoint_;
    checkpoint.size = size;
    ASSERT_OK_AND_ASSIGN(Checkpoint opened, Open(Signed(checkpoint)));
    EXPECT_EQ(opened, checkpoint);
  }
}

// Changing the size, root or origin of a signed note breaks its signature.
TEST_F(CheckpointNoteTest, TamperedBodyDoesNotVerify) {
  const std::string note = Signed(checkpoint_);
  const std::string body = CheckpointBody(checkpoint_);
  const std::string message =
      absl::StrCat("checkpoint: signature by ", kOrigin, " does not verify");
  std::string size = absl::StrReplaceAll(note, {{"\n1234\n", "\n1235\n"}});
  ASSERT_NE(size, note);
  EXPECT_THAT(Open(size), StatusIs(absl::StatusCode::kDataLoss, message));

  Checkpoint other_root = checkpoint_;
  other_root.root_hash = Root('s');
  std::string root =
      absl::StrReplaceAll(note, {{absl::Base64Escape(checkpoint_.root_hash),
                                  absl::Base64Escape(other_root.root_hash)}});
  ASSERT_NE(root, note);
  EXPECT_THAT(Open(root), StatusIs(absl::StatusCode::kDataLoss, message));

  // The origin line only: the signature line keeps the key name.
  std::string origin =
      absl::StrCat("audit.example.com/sentinel2", note.substr(kOrigin.size()));
  EXPECT_THAT(OpenCheckpoint(origin, kOrigin, *public_key_,
                             "audit.example.com/sentinel2"),
              StatusIs(absl::StatusCode::kDataLoss, message));
}

// Flipping one bit of the signature breaks it.
TEST_F(CheckpointNoteTest, TamperedSignatureDoesNotVerify) {
  std::string note = WithSignatureBytes(
      Signed(checkpoint_), [](std::string& bytes) { bytes[20] ^= 0x01; });
  EXPECT_THAT(Open(note), StatusIs(absl::StatusCode::kDataLoss,
                                   absl::StrCat("checkpoint: signature by ",
                                                kOrigin, " does not verify")));
}

// A checkpoint forged with another key is refused: under its own key ID it
// is no signature by the log; claiming the log's key ID it does not verify.
TEST_F(CheckpointNoteTest, ForgedCheckpointIsRefused) {
  Checkpoint forged = checkpoint_;
  forged.size = 99999;
  const std::string note = SignCheckpoint(forged, kOrigin, *other_key_);
  EXPECT_THAT(Open(note),
              StatusIs(absl::StatusCode::kDataLoss,
                       absl::StrCat("checkpoint: no signature by ", kOrigin,
                                    " with key ID ",
                                    absl::BytesToHexString(KeyId(
                                        kOrigin, log_key_->PublicKey())))));

  const std::string log_key_id = KeyId(kOrigin, log_key_->PublicKey());
  std::string claimed = WithSignatureBytes(
      note, [&](std::string& bytes) { bytes.replace(0, 4, log_key_id); });
  EXPECT_THAT(Open(claimed),
              StatusIs(absl::StatusCode::kDataLoss,
                       absl::StrCat("checkpoint: signature by ", kOrigin,
                                    " does not verify")));
}

// A valid log signature next to a bad one from the same key still rejects
// the note (every line from the known key must verify).
TEST_F(CheckpointNoteTest, BadSecondSignatureByLogKeyIsRefused) {
  const std::string note = Signed(checkpoint_);
  const std::string line = note.substr(note.find(kDash));
  std::string bad_line =
      WithSignatureBytes(note, [](std::string& bytes) { bytes[30] ^= 0x80; });
  bad_line = bad_line.substr(bad_line.find(kDash));
  EXPECT_THAT(
      Open(absl::StrCat(note, bad_line)),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not verify")));
  EXPECT_THAT(Open(absl::StrCat(note, line)), IsOk());  // Duplicates are fine.
}

// Signatures by unknown keys are ignored, including ones sharing the log's
// name (rotated key) or the log's key ID (another name).
TEST_F(CheckpointNoteTest, UnknownSignaturesAreIgnored) {
  const std::string body = CheckpointBody(checkpoint_);
  const std::string witness =
      SignNote(body, "witness.example.com", *other_key_);
  const std::string rotated = SignNote(body, kOrigin, *other_key_);
  const std::string witness_line = witness.substr(witness.find(kDash));
  const std::string rotated_line = rotated.substr(rotated.find(kDash));
  // Same key ID as the log's, different name, garbage signature.
  const std::string same_id_line = absl::StrCat(
      kDash, "impostor.example.com ",
      absl::Base64Escape(absl::StrCat(KeyId(kOrigin, log_key_->PublicKey()),
                                      std::string(64, 'x'))),
      "\n");
  const std::string note = Signed(checkpoint_);
  const std::string log_line = note.substr(note.find(kDash));

  EXPECT_THAT(Open(absl::StrCat(body, "\n", witness_line, rotated_line,
                                same_id_line, log_line)),
              IsOkAndHolds(checkpoint_));
  EXPECT_THAT(Open(absl::StrCat(note, witness_line)),
              IsOkAndHolds(checkpoint_));
  // Without the log's own line, the note is refused.
  EXPECT_THAT(Open(absl::StrCat(body, "\n", witness_line, rotated_line)),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("checkpoint: no signature by ",
                                              kOrigin))));
}

// A correctly signed checkpoint for another origin is refused.
TEST_F(CheckpointNoteTest, OtherOriginIsRefused) {
  Checkpoint other = checkpoint_;
  other.origin = "other.example.com/log";
  EXPECT_THAT(Open(Signed(other)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "checkpoint: origin is \"other.example.com/log\", "
                       "expected \"audit.example.com/sentinel\""));
}

// ---------------------------------------------------------------------------
// OpenCheckpoint: syntax

// A note with no signature line, or no blank line, is malformed.
TEST_F(CheckpointNoteTest, MissingSignatureLineIsMalformed) {
  const std::string body = CheckpointBody(checkpoint_);
  EXPECT_THAT(Open(absl::StrCat(body, "\n")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: no signature lines after the blank line"));
  EXPECT_THAT(Open(body),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: no blank line between the body and the "
                       "signatures"));
  EXPECT_THAT(Open(""), StatusIs(absl::StatusCode::kInvalidArgument,
                                 "checkpoint: note does not end with a "
                                 "newline"));
}

// A note whose last line lacks its newline is malformed.
TEST_F(CheckpointNoteTest, MissingFinalNewlineIsMalformed) {
  std::string note = Signed(checkpoint_);
  note.pop_back();
  EXPECT_THAT(Open(note),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: note does not end with a newline"));
}

// Signature lines must be an em dash, a space, a valid name, a space and
// canonical base64 of at least a key ID and one byte.
TEST_F(CheckpointNoteTest, MalformedSignatureLinesAreRefused) {
  const std::string note = Signed(checkpoint_);
  const std::string body = CheckpointBody(checkpoint_);
  const std::string line = note.substr(note.find(kDash));
  const std::string encoded =
      line.substr(kDashBytes + kOrigin.size() + 1,
                  line.size() - kDashBytes - kOrigin.size() - 2);
  auto with_line = [&](absl::string_view bad) {
    return absl::StrCat(body, "\n", line, bad, "\n");
  };
  EXPECT_THAT(Open(with_line(absl::StrCat("-- ", kOrigin, " ", encoded))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("checkpoint: signature line 2 does not start "
                                 "with an em dash and a space")));
  EXPECT_THAT(Open(with_line(absl::StrCat(kDash, kOrigin))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: signature line 2 has no space between key "
                       "name and signature"));
  EXPECT_THAT(Open(with_line(absl::StrCat(kDash, "a+b ", encoded))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: signature line 2: key name \"a+b\" "
                       "contains '+'"));
  EXPECT_THAT(
      Open(with_line(absl::StrCat(kDash, kOrigin, " ", encoded, "!"))),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "checkpoint: signature line 2: signature is not base64"));
  // Missing padding is not canonical base64.
  std::string unpadded = encoded;
  while (unpadded.back() == '=') unpadded.pop_back();
  EXPECT_THAT(
      Open(with_line(absl::StrCat(kDash, kOrigin, " ", unpadded))),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "checkpoint: signature line 2: signature is not base64"));
  EXPECT_THAT(Open(with_line(absl::StrCat(kDash, kOrigin, " AAAAAA=="))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: signature line 2: signature is 4 bytes, "
                       "too short for a key ID and a signature"));
  // Bad base64 in the log's own line is equally malformed.
  std::string bad_own = note;
  bad_own.insert(note.size() - 5, "*");
  EXPECT_THAT(Open(bad_own),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: signature line 1: signature is not "
                       "base64"));
}

// Body syntax is checked even behind a valid signature: line count, origin,
// tree size and root hash.
TEST_F(CheckpointNoteTest, MalformedBodiesAreRefused) {
  const std::string root64 = absl::Base64Escape(Root('r'));
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {absl::StrCat(kOrigin, "\n12a\n", root64, "\n"),
       "checkpoint: tree size \"12a\" is not a number"},
      {absl::StrCat(kOrigin, "\n-1\n", root64, "\n"),
       "checkpoint: tree size \"-1\" is not a number"},
      {absl::StrCat(kOrigin, "\n+1\n", root64, "\n"),
       "checkpoint: tree size \"+1\" is not a number"},
      {absl::StrCat(kOrigin, "\n 1\n", root64, "\n"),
       "checkpoint: tree size \" 1\" is not a number"},
      {absl::StrCat(kOrigin, "\n012\n", root64, "\n"),
       "checkpoint: tree size \"012\" has a leading zero"},
      {absl::StrCat(kOrigin, "\n18446744073709551616\n", root64, "\n"),
       "checkpoint: tree size \"18446744073709551616\" does not fit in 64 "
       "bits"},
      {absl::StrCat("\n12\n", root64, "\n"),
       "checkpoint: origin line is empty"},
      {absl::StrCat(kOrigin, "\n12\n", root64, "\nextension\n"),
       "checkpoint: body has 4 lines, expected 3 (origin, tree size, root "
       "hash)"},
      {absl::StrCat(kOrigin, "\n12\n"),
       "checkpoint: body has 2 lines, expected 3 (origin, tree size, root "
       "hash)"},
      {absl::StrCat(kOrigin, "\n12\nnot-base64!\n"),
       "checkpoint: root hash \"not-base64!\" is not base64"},
      {absl::StrCat(kOrigin, "\n12\n", absl::Base64Escape(std::string(31, 'r')),
                    "\n"),
       "checkpoint: root hash is 31 bytes, expected 32"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(Open(SignNote(c.body, kOrigin, *log_key_)),
                StatusIs(absl::StatusCode::kInvalidArgument, c.message))
        << c.body;
  }
}

// Control characters and invalid UTF-8 anywhere in the note are refused.
TEST_F(CheckpointNoteTest, ControlCharactersAndInvalidUtf8AreRefused) {
  const std::string note = Signed(checkpoint_);
  EXPECT_THAT(Open(absl::StrCat("\x01", note)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: note contains control character 0x01 at "
                       "byte 0"));
  EXPECT_THAT(Open(absl::StrCat("\xff", note)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: note is not valid UTF-8 at byte 0"));
  std::string crlf = absl::StrReplaceAll(note, {{"\n", "\r\n"}});
  EXPECT_THAT(Open(crlf), StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("control character 0x0d")));
}

// Up to 100 signature lines are accepted; 101 are refused, as is a note
// over 64 KiB.
TEST_F(CheckpointNoteTest, SignatureCountAndSizeLimits) {
  const std::string body = CheckpointBody(checkpoint_);
  const std::string witness = SignNote(body, "w.example.com", *other_key_);
  const std::string witness_line = witness.substr(witness.find(kDash));
  const std::string note = Signed(checkpoint_);
  std::string many = note;
  for (int i = 1; i < 100; ++i) many += witness_line;
  EXPECT_THAT(Open(many), IsOkAndHolds(checkpoint_));
  many += witness_line;
  EXPECT_THAT(Open(many),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint: 101 signature lines, more than the 100 "
                       "allowed"));
  std::string huge = absl::StrCat(std::string(kMaxNoteBytes, 'a'), note);
  EXPECT_THAT(Open(huge), StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("more than the limit of 65536")));
}

// ---------------------------------------------------------------------------
// Verifier keys and key names

// VerifierKey output parses back to the same name and key.
TEST_F(CheckpointNoteTest, VerifierKeyRoundTrip) {
  const std::string vkey = VerifierKey(kOrigin, log_key_->PublicKey());
  EXPECT_THAT(vkey,
              StartsWith(absl::StrCat(
                  kOrigin, "+",
                  absl::BytesToHexString(KeyId(kOrigin, log_key_->PublicKey())),
                  "+A")));
  ASSERT_OK_AND_ASSIGN(auto name_and_key, ParseVerifierKey(vkey));
  EXPECT_EQ(name_and_key.first, kOrigin);
  EXPECT_EQ(name_and_key.second.raw(), log_key_->PublicKey());
  EXPECT_THAT(OpenCheckpoint(Signed(checkpoint_), name_and_key.first,
                             name_and_key.second, kOrigin),
              IsOkAndHolds(checkpoint_));
  // Upper-case hex is accepted.
  EXPECT_THAT(ParseVerifierKey(
                  absl::StrReplaceAll(kPeterVkey, {{"c74f20a3", "C74F20A3"}})),
              IsOk());
}

// Verifier keys with a mismatched key ID, wrong algorithm, wrong length,
// bad name or bad encoding are refused, each saying which.
TEST_F(CheckpointNoteTest, BadVerifierKeysAreRefused) {
  EXPECT_THAT(ParseVerifierKey(
                  absl::StrReplaceAll(kPeterVkey, {{"c74f20a3", "c74f20a4"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "verifier key: key ID c74f20a4 does not match the name "
                       "and key (c74f20a3)"));
  // Go's test vectors: unknown algorithm and wrong length, each with a key
  // ID adjusted to match.
  EXPECT_THAT(ParseVerifierKey("PeterNeumann+173116ae+"
                               "ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/"
                               "LDE4izWy10TW"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "verifier key: algorithm byte is 0x65, expected 0x01 "
                       "(Ed25519)"));
  // (Its trailing "EY==" has non-zero padding bits, which Go tolerates and
  // canonical decoding does not.)
  EXPECT_THAT(ParseVerifierKey("PeterNeumann+cc469956+"
                               "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/"
                               "LDE4izWy10TWBADKEY=="),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "verifier key: key is not base64"));
  EXPECT_THAT(ParseVerifierKey(VerifierKey(kPeterName, std::string(31, 'k'))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "verifier key: Ed25519 key is 31 bytes, expected 32"));
  EXPECT_THAT(ParseVerifierKey(absl::StrCat(
                  "Peter Neumann", kPeterVkey.substr(kPeterName.size()))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "verifier key: key name \"Peter Neumann\" contains a "
                       "space"));
  EXPECT_THAT(ParseVerifierKey("PeterNeumann+c74f20a+ARpc"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "verifier key: key ID \"c74f20a\" is not 8 hex digits"));
  EXPECT_THAT(ParseVerifierKey("PeterNeumann+c74f20a3+ARpc!"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "verifier key: key is not base64"));
  EXPECT_THAT(ParseVerifierKey("PeterNeumann"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "verifier key: expected <name>+<key ID>+<key>"));

  // As in Go's TestNewVerifier: every proper substring and every one-byte
  // change is refused.
  std::string vkey(kPeterVkey);
  for (size_t i = 0; i <= vkey.size(); ++i) {
    for (size_t j = i + 1; j <= vkey.size(); ++j) {
      if (i == 0 && j == vkey.size()) continue;
      EXPECT_FALSE(ParseVerifierKey(vkey.substr(i, j - i)).ok())
          << vkey.substr(i, j - i);
    }
  }
  for (size_t i = 0; i < vkey.size(); ++i) {
    ++vkey[i];
    EXPECT_FALSE(ParseVerifierKey(vkey).ok()) << vkey;
    --vkey[i];
  }
}

// Key names are non-empty UTF-8 without spaces (Unicode ones included),
// '+' or control characters.
TEST_F(CheckpointNoteTest, KeyNameRules) {
  EXPECT_THAT(ValidateKeyName("example.com/log"), IsOk());
  EXPECT_THAT(ValidateKeyName("quasimodo.example/salvatore\xC3\xA8"), IsOk());
  EXPECT_THAT(ValidateKeyName(""), StatusIs(absl::StatusCode::kInvalidArgument,
                                            "key name is empty"));
  EXPECT_THAT(ValidateKeyName("a\xC2\xA0"
                              "b"),  // U+00A0 no-break space.
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("contains a space")));
  EXPECT_THAT(ValidateKeyName("a\xE3\x80\x80"
                              "b"),  // U+3000.
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("contains a space")));
  EXPECT_THAT(ValidateKeyName("a\x01"
                              "b"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("contains a control character")));
  EXPECT_THAT(ValidateKeyName("a\xC0\xAF"),  // Overlong '/'.
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not valid UTF-8")));
}

// SignCheckpoint refuses (aborts) to sign what no verifier could open.
TEST_F(CheckpointNoteTest, SigningInvalidCheckpointAborts) {
  EXPECT_THAT(ValidateCheckpoint(checkpoint_), IsOk());
  Checkpoint newline = checkpoint_;
  newline.origin = "a\nb";
  EXPECT_THAT(ValidateCheckpoint(newline),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("contains a control character")));
  Checkpoint short_root = checkpoint_;
  short_root.root_hash = "abc";
  EXPECT_THAT(ValidateCheckpoint(short_root),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "checkpoint root hash is 3 bytes, expected 32"));
  EXPECT_DEATH(SignCheckpoint(newline, kOrigin, *log_key_),
               "contains a control character");
  EXPECT_DEATH(SignCheckpoint(checkpoint_, "bad name", *log_key_),
               "contains a space");
}

}  // namespace
}  // namespace sentinel::audit
