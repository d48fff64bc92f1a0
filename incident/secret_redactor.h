// Redaction of wallet secrets from free text before it is stored or logged.
//
// Support agents paste users' chat text into incident reports, and users paste
// seed phrases and private keys by mistake. RedactSecrets replaces each
// secret with a marker that names its kind, so the report still reads, and
// the secret reaches no disk and no log.
//
// Terms used by the rules below (all byte-level, ASCII only; any other byte,
// including every byte of a multi-byte or invalid UTF-8 sequence, is just a
// non-alphanumeric byte):
// - A token, or word, is a maximal run of ASCII letters and digits. Secrets
//   are therefore found wherever they stand between non-alphanumerics: in
//   quotes, brackets, after "key:" or "=", at the start or end of a line.
// - A marker is "[REDACTED:<kind>]" with one of the four kinds below; one
//   left by an earlier pass counts as a single word that is not a label and
//   joins no mnemonic, so that redacting already-redacted text changes
//   nothing.
//
// The rules:
//
// 1. BIP-39 mnemonic (kMnemonicKind). A run of 12 or more list words: tokens
//    that, lowercased, are on the BIP-39 English list (Bip39EnglishWords()),
//    where the bytes between each word and the next consist only of ASCII
//    whitespace (space, \t, \n, \v, \f, \r), commas, and list numbers, a list
//    number being one or two digits optionally followed by one '.', ')' or
//    ':' ("1.", "12)", "3:", "7"). The run, from the first byte of its first
//    word to the last byte of its last word, becomes one marker; numbering
//    before the first word stays. List words next to a phrase join its run
//    ("seed: abandon ... about, please help" loses "please help" too, both
//    being list words). A run of 11 or fewer list words is prose and is left
//    alone, as is a run broken by anything else ("-", ";", ".", a non-list
//    word, a number of three or more digits).
//
// 2. Hex private key (kHexKeyKind). A token of exactly 64 hex digits, or of
//    "0x" / "0X" and exactly 64 hex digits (the prefix is redacted with it),
//    unless it is labelled as a transaction or block hash: one of the 3 words
//    before it is, lowercased, "tx", "txid", "txn", "transaction", "hash" or
//    "block", or one of those followed by "id" ("blockid"). Separators such as
//    ":", "#", "_" or a space end a word, so "TxID:", "Tx ID #", "tx_hash"
//    and "block hash" all label. Users paste transaction hashes into
//    withdrawal tickets, and those must survive. 63 or 65 hex digits, or hex
//    glued to other letters or digits, are not a key.
//
// 3. WIF private key (kWifKind). A token of 51 or 52 base58 characters
//    starting with '5', 'K' or 'L' (mainnet) or '9' or 'c' (testnet) that
//    decodes as base58check (its last 4 bytes are the first 4 bytes of the
//    double SHA-256 of the rest) to a 33- or 34-byte payload whose first byte
//    is 0x80 or 0xEF. Addresses and other base58 text with a bad checksum or
//    another version byte are left alone.
//
// 4. Extended private key (kExtendedKeyKind). A token starting with "xprv",
//    "tprv", "yprv", "zprv", "uprv", "vprv", "Yprv", "Zprv", "Uprv" or "Vprv"
//    that decodes as base58check to a 78-byte payload (BIP-32
//    serialization). Extended public keys (xpub, ...) are left alone.
//
// Rules apply to disjoint parts of the text (a token is a list word, a key,
// or neither), so their order does not matter.
#ifndef SENTINEL_INCIDENT_SECRET_REDACTOR_H_
#define SENTINEL_INCIDENT_SECRET_REDACTOR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace sentinel::incident {

// Kinds, as they appear in the replacement "[REDACTED:<kind>]".
inline constexpr char kMnemonicKind[] = "bip39_mnemonic";
inline constexpr char kHexKeyKind[] = "hex_private_key";
inline constexpr char kWifKind[] = "wif_private_key";
inline constexpr char kExtendedKeyKind[] = "extended_private_key";

// The outcome of RedactSecrets: the text to store, and how many secrets were
// replaced (a whole mnemonic counts once).
struct Redaction {
  std::string text;
  int count = 0;
};

// Returns `text` with every secret replaced by "[REDACTED:<kind>]" under the
// rules in the file comment, and how many were replaced. All other bytes are
// copied unchanged, invalid UTF-8 included.
//
// Pure and thread-safe; linear time in the size of `text` (inputs up to a few
// MiB); never throws or crashes on any bytes. Idempotent: redacting the
// result again replaces nothing.
//
// Example:
//   Redaction r = RedactSecrets(
//       "my key is 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ");
//   // r.text == "my key is [REDACTED:wif_private_key]", r.count == 1
Redaction RedactSecrets(absl::string_view text);

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_SECRET_REDACTOR_H_
