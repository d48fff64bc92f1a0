// Redaction of wallet secrets from free text before it is stored or logged.
//
// People paste seed phrases and private keys into whatever box is in front
// of them: an incident description, a status note, a freeze reason, a trace
// note. Every free-text field of every Sentinel service passes RedactSecrets
// before it is stored or logged; it replaces each secret with a marker that
// names its kind, so the text still reads, and the secret reaches no disk
// and no log. Binary content (evidence images, PDFs) is never scanned: see
// incident.proto's EvidenceScan.
//
// Terms used by the rules below:
// - A word is a maximal run of word characters: ASCII letters and digits,
//   Latin letters U+00C0..U+024F ("é", "Č", "ñ", "ß"), and combining marks
//   U+0300..U+036F, each as well-formed UTF-8. Every other byte is a
//   separator: punctuation, quotes, brackets, hyphens, whitespace, the
//   no-break space (C2 A0), any other UTF-8, invalid UTF-8. Secrets are
//   therefore found wherever they stand: in quotes, in a JSON array, after
//   "key:" or "=", at the start or end of a line.
// - A word folds (redaction/bip39_words.h) by lowercasing and stripping
//   accents: "ÉCRIRE", "écrire", "e\u0301crire" (decomposed) and "ecrire"
//   all fold to "ecrire", which is what is compared with the word lists.
// - A marker is "[REDACTED:<kind>]" with one of the four kinds below. A
//   marker left by an earlier pass, and any other "[REDACTED:", ends every
//   phrase and label, so that redacting already-redacted text changes
//   nothing.
//
// The rules:
//
// 1. BIP-39 mnemonic (kMnemonicKind). The lists are the official English,
//    French, Italian, Spanish, Czech and Portuguese BIP-39 lists. A phrase
//    of one list is a sequence of 12 or more consecutive words, ignoring
//    list numbers (words of one or two ASCII digits: "1.", "12)", "[3]"),
//    that
//    - starts and ends with a word on that list,
//    - has at most 2 strangers: words not on the list that are letters
//      only, 4 or more of them (a misspelt "abandn", an unknown "bitcoin"),
//    - and has no other word: a word of 1 to 3 letters that is not on the
//      list ("the", "and", "de", "la"), a word with digits other than a
//      list number ("100", "v2"), or a key of rules 2 to 4 ends a phrase.
//    Every word of every phrase of every list is redacted: consecutive
//    such words (ignoring list numbers), however many, become one marker,
//    from the first byte of the first word to the last byte of the last, so
//    a 24-word phrase, or one in a JSON array (["abandon","ability",...]),
//    becomes one marker; numbering and quotes before the first word and
//    after the last stay. List words next to a phrase join it ("seed:
//    <12 words>, please help" loses "please help", both being list words).
//    Kept: 11 or fewer list words in a row; a phrase cut by a short
//    non-list word (English prose is full of list words, but not of
//    12-word stretches free of "the", "a", "to", "of", "my"); three
//    strangers; a misspelt first or last word of an exactly 12-word phrase
//    (the rest is 11 words). The price of tolerating misspellings: prose
//    with 11 list words and one longer word in a row ("then select
//    account, then balance, then history, then check each transfer,
//    please") is redacted like a phrase. Measured when the rule was chosen:
//    about one such stretch per MB of English technical documentation,
//    almost all in code samples and word lists; none in 2.8 MB of French,
//    Italian, Spanish, Czech and Portuguese man pages.
//
// 2. Hex private key (kHexKeyKind). A word of exactly 64 hex digits, or of
//    "0x" / "0X" and exactly 64 hex digits (the prefix is redacted with it),
//    unless it is labelled as a transaction or block hash: the word right
//    before it is a label, and the bytes between the two are 1 to 3 of
//    space, tab, ':', '=', '#', '(', '"', '\'' and '`'. A label is, in any
//    case, "hash", or "tx", "txn", "transaction" or "block" alone or
//    followed by "id" or "hash" in one word ("TXID", "blockhash"), or "id"
//    or "hash" right after one of those four with one ' ', '_' or '-'
//    between ("TX ID", "tx_hash", "block-hash"). So "txid: <hex>", "tx hash
//    <hex>", "Transaction: 0x<hex>", "blockid=<hex>" and "txn (<hex>" are
//    kept; "txid of my withdrawal: <hex>", "tx hash is <hex>", "txid:\n<hex>",
//    "<hex> (txid)" and "hashtag <hex>" are redacted. No label is a word of
//    any list, so no label is ever redacted with a mnemonic. Users paste
//    transaction hashes into withdrawal tickets, and those must survive.
//    63 or 65 hex digits, or hex glued to other letters or digits, are not
//    a key.
//
// 3. WIF private key (kWifKind). A run of 51 or 52 ASCII letters and digits
//    (a word, or a part of a word between non-ASCII letters) starting with
//    '5', 'K' or 'L' (mainnet) or '9' or 'c' (testnet) that decodes as
//    base58check (its last 4 bytes are the first 4 bytes of the double
//    SHA-256 of the rest) to a 33- or 34-byte payload whose first byte is
//    0x80 or 0xEF. Addresses and other base58 text with a bad checksum or
//    another version byte are left alone.
//
// 4. Extended private key (kExtendedKeyKind). A run of ASCII letters and
//    digits starting with "xprv", "tprv", "yprv", "zprv", "uprv", "vprv",
//    "Yprv", "Zprv", "Uprv" or "Vprv" that decodes as base58check to a
//    78-byte payload (BIP-32 serialization). Extended public keys (xpub,
//    ...) are left alone.
//
// Keys (rules 2 to 4) are checked on each maximal run of ASCII letters and
// digits, so a key glued to an accented letter is still found. Keys end
// phrases, so rules never claim overlapping bytes.
#ifndef SENTINEL_REDACTION_SECRET_REDACTOR_H_
#define SENTINEL_REDACTION_SECRET_REDACTOR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace sentinel::redaction {

// Kinds, as they appear in the replacement "[REDACTED:<kind>]".
inline constexpr char kMnemonicKind[] = "bip39_mnemonic";
inline constexpr char kHexKeyKind[] = "hex_private_key";
inline constexpr char kWifKind[] = "wif_private_key";
inline constexpr char kExtendedKeyKind[] = "extended_private_key";

// The outcome of RedactSecrets: the text to store, and how many secrets were
// replaced (one marker, one secret: a whole mnemonic counts once).
struct Redaction {
  std::string text;
  int count = 0;
};

// Returns `text` with every secret replaced by "[REDACTED:<kind>]" under the
// rules in the file comment, and how many were replaced. All other bytes are
// copied unchanged, invalid UTF-8 included.
//
// Pure and thread-safe; linear time in the size of `text`, with memory
// proportional to the number of secrets found; never throws or crashes on
// any bytes. Idempotent: redacting the result again replaces nothing. Never
// lengthens the text: every secret is longer than its marker.
//
// Example:
//   Redaction r = RedactSecrets(
//       "my key is 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ");
//   // r.text == "my key is [REDACTED:wif_private_key]", r.count == 1
Redaction RedactSecrets(absl::string_view text);

}  // namespace sentinel::redaction

#endif  // SENTINEL_REDACTION_SECRET_REDACTOR_H_
