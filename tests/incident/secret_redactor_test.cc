// Tests of the BIP-39 word list and of RedactSecrets, on published vectors:
// - BIP-39 mnemonics: trezor/python-mnemonic vectors.json (the vectors that
//   bip-0039.mediawiki links to).
// - WIF: the Bitcoin wiki's "Wallet import format" example key
//   (5HueCGU8...) and its compressed form (KwdMAjGm..., as in btcd's and
//   libwally-core's WIF tests); mainnet and testnet keys and addresses from
//   Bitcoin Core's src/test/data/key_io_valid.json; BIP-84's first receiving
//   key (KyZpNDKn...).
// - Extended keys: BIP-32 test vector 1 (chain m and m/0H), BIP-84's root
//   zprv, and the tprv of Bitcoin Core's functional tests
//   (test/functional/rpc_deriveaddresses.py).
// - Hashes: the genesis block's hash and its coinbase transaction id.
// Every helper call also checks that nothing survives: redacting the output
// again finds no secret.

#include "incident/secret_redactor.h"

#include <algorithm>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "audit/sha256.h"
#include "gtest/gtest.h"
#include "incident/bip39_english_words.h"

namespace sentinel::incident {
namespace {

using ::std::string_literals::operator""s;

// Published vectors (see the file comment).
constexpr char kWifUncompressed[] =
    "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
constexpr char kWifCompressed[] =
    "KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617";
// The wiki key in hex, the same secret as the two WIFs above.
constexpr char kHexKey[] =
    "0C28FCA386C7A227600B2FE50B7CAE11EC86D3BF1FBE471BE89827E19D72AA1D";
constexpr char kXprvMaster[] =
    "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWU"
    "tg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";
constexpr char kXpubMaster[] =
    "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1R"
    "upje8YtGqsefD265TMg7usUDFdp6W1EGMcet8";
// The genesis coinbase transaction id and the genesis block hash.
constexpr char kGenesisTxid[] =
    "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
constexpr char kGenesisBlockHash[] =
    "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
constexpr char kAbandonAbout[] =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon about";

std::string Str(absl::string_view view) {
  return std::string(view.data(), view.size());
}

// RedactSecrets, plus the "no secret survives" check: a second pass over its
// output replaces nothing.
Redaction Redact(absl::string_view text) {
  Redaction result = RedactSecrets(text);
  const Redaction again = RedactSecrets(result.text);
  EXPECT_EQ(again.count, 0) << "second pass found a secret";
  EXPECT_TRUE(again.text == result.text) << "second pass changed the text";
  return result;
}

// Expects `text` to come back unchanged, with nothing counted.
void ExpectKept(absl::string_view text) {
  const Redaction result = Redact(text);
  if (text.size() <= 4096) {
    EXPECT_EQ(result.text, Str(text));
  } else {
    EXPECT_TRUE(result.text == text) << "a long text changed";
  }
  EXPECT_EQ(result.count, 0);
}

// The list is the official file: 2048 sorted words from "abandon" to "zoo",
// with the file's published SHA-256.
TEST(Bip39EnglishWordsTest, MatchesTheOfficialFile) {
  const auto& words = Bip39EnglishWords();
  ASSERT_EQ(words.size(), 2048u);
  EXPECT_EQ(Str(words.front()), "abandon");
  EXPECT_EQ(Str(words.back()), "zoo");
  EXPECT_TRUE(std::adjacent_find(words.begin(), words.end(),
                                 [](absl::string_view a, absl::string_view b) {
                                   return !(a < b);
                                 }) == words.end())
      << "not strictly ascending";
  std::string file;
  for (absl::string_view word : words) {
    file.append(word.data(), word.size());
    file.push_back('\n');
  }
  EXPECT_EQ(absl::BytesToHexString(audit::Sha256({file})),
            "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda");
}

// Lookup is exact and case-sensitive: callers lowercase first.
TEST(Bip39EnglishWordsTest, FindsOnlyExactLowercaseWords) {
  for (absl::string_view word : Bip39EnglishWords()) {
    EXPECT_TRUE(IsBip39EnglishWord(word)) << Str(word);
  }
  EXPECT_TRUE(IsBip39EnglishWord("satoshi"));
  EXPECT_FALSE(IsBip39EnglishWord("Abandon"));
  EXPECT_FALSE(IsBip39EnglishWord("abandons"));
  EXPECT_FALSE(IsBip39EnglishWord("aaa"));
  EXPECT_FALSE(IsBip39EnglishWord("zzz"));
  EXPECT_FALSE(IsBip39EnglishWord(""));
}

// A 12-word mnemonic inside a sentence becomes one marker.
TEST(SecretRedactorTest, RedactsTwelveWordMnemonicInASentence) {
  const Redaction result = Redact(
      "My recovery words are abandon abandon abandon abandon abandon abandon "
      "abandon abandon abandon abandon abandon about. Is my money safe?");
  EXPECT_EQ(result.text,
            "My recovery words are [REDACTED:bip39_mnemonic]. Is my money "
            "safe?");
  EXPECT_EQ(result.count, 1);
}

// A numbered 24-word mnemonic, one word per line, becomes one marker; the
// first number stays.
TEST(SecretRedactorTest, RedactsNumberedTwentyFourWordMnemonicOnSeparateLines) {
  const Redaction result = Redact(
      "Here is my backup:\n"
      "1. legal\n2. winner\n3. thank\n4. year\n5. wave\n6. sausage\n"
      "7. worth\n8. useful\n9. legal\n10. winner\n11. thank\n12. year\n"
      "13. wave\n14. sausage\n15. worth\n16. useful\n17. legal\n18. winner\n"
      "19. thank\n20. year\n21. wave\n22. sausage\n23. worth\n24. title\n"
      "Thanks!");
  EXPECT_EQ(result.text,
            "Here is my backup:\n1. [REDACTED:bip39_mnemonic]\n"
            "Thanks!");
  EXPECT_EQ(result.count, 1);
}

// Numbering as "1)", "1:" or a bare number, with tabs and CRLF, keeps a run.
TEST(SecretRedactorTest, RedactsMnemonicWithOtherNumberingStyles) {
  Redaction result = Redact(
      "words: 1) lava 2) include 3) region 4) explain 5) simple 6) omit 7) dog "
      "8) slot 9) melt 10) reflect 11) copy 12) reward");
  EXPECT_EQ(result.text, "words: 1) [REDACTED:bip39_mnemonic]");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "1:lava 2:include 3:region 4:explain 5:simple 6:omit 7:dog 8:slot "
      "9:melt 10:reflect 11:copy 12:reward");
  EXPECT_EQ(result.text, "1:[REDACTED:bip39_mnemonic]");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "1\tlava\t2\tinclude\t3\tregion\r\n4\texplain\t5\tsimple\t6\tomit\r\n"
      "7\tdog\t8\tslot\t9\tmelt\r\n10\treflect\t11\tcopy\t12\treward\r\n");
  EXPECT_EQ(result.text, "1\t[REDACTED:bip39_mnemonic]\r\n");
  EXPECT_EQ(result.count, 1);
}

// Case does not matter, and commas separate words like spaces.
TEST(SecretRedactorTest, RedactsMixedCaseMnemonicWithCommas) {
  const Redaction result = Redact(
      "seed = LETTER, Advice, cage, ABSURD, amount, Doctor, acoustic, avoid,"
      "letter,advice,cage,absurd,amount,doctor,acoustic,avoid,Letter,Always.");
  EXPECT_EQ(result.text, "seed = [REDACTED:bip39_mnemonic].");
  EXPECT_EQ(result.count, 1);
}

// List words right after a mnemonic join its run; a ':' after a word (not a
// number) ends it.
TEST(SecretRedactorTest, ListWordsNextToAMnemonicJoinItsRun) {
  const Redaction result = Redact("seed: "s + kAbandonAbout + ", please help");
  EXPECT_EQ(result.text, "seed: [REDACTED:bip39_mnemonic]");
  EXPECT_EQ(result.count, 1);
}

// Support-ticket prose, dense with list words, is left alone.
TEST(SecretRedactorTest, KeepsProseFullOfListWords) {
  ExpectKept("I was able to open the app but then my account balance was zero");
  // 12 of its 15 words are list words, in runs of up to 9.
  ExpectKept(
      "open your app, then select account, then balance, then history, then "
      "check each transfer, please");
  ExpectKept(
      "Help! I found my old phone in a drawer, opened the app, and my balance "
      "shows zero after the last update. Can you please check what happened "
      "to my account before the end of the month? Thank you so much, I "
      "really need this money soon.");
}

// 11 consecutive list words are not a mnemonic.
TEST(SecretRedactorTest, KeepsElevenListWords) {
  ExpectKept(
      "legal winner thank year wave sausage worth useful legal winner thank");
  ExpectKept(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "abandon about");
}

// Other separators, a non-list word or a longer number split a run.
TEST(SecretRedactorTest, KeepsListWordsSplitBySomethingElse) {
  ExpectKept(
      "abandon-abandon-abandon-abandon-abandon-abandon-abandon-abandon-abandon-"
      "abandon-abandon-about");
  ExpectKept(
      "abandon; abandon; abandon; abandon; abandon; abandon; abandon; "
      "abandon; abandon; abandon; abandon; about");
  ExpectKept(
      "legal winner thank year wave sausage worth useful legal winner thank "
      "and legal winner thank year wave sausage worth useful legal winner "
      "thank");
  ExpectKept(
      "abandon abandon abandon abandon abandon abandon 100 abandon abandon "
      "abandon abandon abandon about");
}

// 64 hex digits, optionally with 0x, are redacted in any case and wherever
// they stand between non-alphanumerics.
TEST(SecretRedactorTest, RedactsHexPrivateKeys) {
  Redaction result = Redact("Private key: "s + kHexKey);
  EXPECT_EQ(result.text, "Private key: [REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "key=\"0x0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1"
      "d\"");
  EXPECT_EQ(result.text, "key=\"[REDACTED:hex_private_key]\"");
  EXPECT_EQ(result.count, 1);

  // An unlabelled hash is indistinguishable from a key.
  result = Redact("0X"s + kHexKey + "\nmy key is " + kGenesisTxid);
  EXPECT_EQ(result.text,
            "[REDACTED:hex_private_key]\nmy key is [REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 2);
}

// Hashes labelled as a transaction or block hash survive.
TEST(SecretRedactorTest, KeepsLabelledTransactionAndBlockHashes) {
  ExpectKept("txid: "s + kGenesisTxid);
  ExpectKept("Block hash "s + kGenesisBlockHash);
  ExpectKept("TX ID #"s + kGenesisTxid);
  ExpectKept("Transaction: 0x"s + kGenesisTxid);
  ExpectKept("my withdrawal txn ("s + kGenesisTxid + ")");
  ExpectKept("blockid="s + kGenesisBlockHash);
  ExpectKept("tx_hash="s + kGenesisTxid);
  ExpectKept("TXID: "s + kGenesisTxid + " hash: " + kGenesisBlockHash);
}

// The label must be one of the 3 words before the hex, and a whole word.
TEST(SecretRedactorTest, LabelMustBeAmongTheThreeWordsBefore) {
  ExpectKept("TXID for withdrawal: "s + kGenesisTxid);

  Redaction result = Redact("TXID of my withdrawal: "s + kGenesisTxid);
  EXPECT_EQ(result.text, "TXID of my withdrawal: [REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 1);

  result = Redact(kGenesisTxid + " (txid)"s);
  EXPECT_EQ(result.text, "[REDACTED:hex_private_key] (txid)");
  EXPECT_EQ(result.count, 1);

  result = Redact("hashtag "s + kGenesisTxid);
  EXPECT_EQ(result.text, "hashtag [REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 1);
}

// 63 or 65 hex digits, or 64 glued to other letters or digits, are no key.
TEST(SecretRedactorTest, KeepsHexOfOtherLengthsOrGluedToText) {
  const std::string hex = kHexKey;
  ExpectKept("63: " + hex.substr(0, 63));
  ExpectKept("65: " + hex + "0");
  ExpectKept("k" + hex);
  ExpectKept(hex + "g");
  ExpectKept("0x" + hex + "0");
  ExpectKept(hex + hex);
}

// WIF keys (mainnet and testnet, both compressions) are redacted inside
// brackets, quotes and lists.
TEST(SecretRedactorTest, RedactsWifKeys) {
  Redaction result = Redact("(key: "s + kWifUncompressed + ")");
  EXPECT_EQ(result.text, "(key: [REDACTED:wif_private_key])");
  EXPECT_EQ(result.count, 1);

  result = Redact("\""s + kWifCompressed + "\"");
  EXPECT_EQ(result.text, "\"[REDACTED:wif_private_key]\"");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "L5nJeqKmpHp4P7F8ZYyjwc5a7P4d8EabuGAzfGJk7yC1BJyzNaEd,"
      "KyZpNDKnfs94vbrwhJneDi77V6jF64PWPF8x5cdJb8ifgg2DUc9d");
  EXPECT_EQ(result.text,
            "[REDACTED:wif_private_key],[REDACTED:wif_private_key]");
  EXPECT_EQ(result.count, 2);

  result = Redact(
      "testnet keys: 92ZdE5HoLafywnTBbzPxbvRmp75pSfzvdU3XaZGh1cToipgdHVh / "
      "cV83kKisF3RQSvXbUCm9ox3kaz5JjEUBWcx8tNydfGJcyeUxuH47");
  EXPECT_EQ(result.text,
            "testnet keys: [REDACTED:wif_private_key] / "
            "[REDACTED:wif_private_key]");
  EXPECT_EQ(result.count, 2);
}

// Addresses and base58 strings that fail the checksum or version are kept.
TEST(SecretRedactorTest, KeepsAddressesAndBase58WithBadChecksumOrVersion) {
  // P2PKH and P2SH addresses (base58check, version 0x00 and 0x05).
  ExpectKept(
      "send to 1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo or "
      "3BZECeAH8gSKkjrTx8PwMrNQBLG18yHpvf");
  // The wiki key with its last character mistyped.
  ExpectKept("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTK");
  // A random 51-character base58 token starting with '5'.
  ExpectKept("5Jq7Ywz3mRkT9bN2xHcVd4sLpE8gFuZa6tKeWnM1iPyQ5oRvXhB");
  // A valid base58check of the wiki key under version 0x81 (computed).
  ExpectKept("5KrPNVvAhnRBNMYRJUq58YMfyUMyVMQrQhhfFtcbT9rK67poC3F");
  // A WIF glued to other letters or digits is part of a longer token.
  ExpectKept("x"s + kWifUncompressed);
  ExpectKept(kWifUncompressed + "0"s);
}

// xprv, zprv and tprv keys are redacted, also inside a descriptor.
TEST(SecretRedactorTest, RedactsExtendedPrivateKeys) {
  Redaction result = Redact("Exported: "s + kXprvMaster);
  EXPECT_EQ(result.text, "Exported: [REDACTED:extended_private_key]");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "'xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6K"
      "CesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7'");
  EXPECT_EQ(result.text, "'[REDACTED:extended_private_key]'");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFB"
      "ZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5");
  EXPECT_EQ(result.text, "[REDACTED:extended_private_key]");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "wpkh(tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZW"
      "ARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK/84h/1h/0h/0/*)#pe5sgqha");
  EXPECT_EQ(result.text,
            "wpkh([REDACTED:extended_private_key]/84h/1h/0h/0/*)#pe5sgqha");
  EXPECT_EQ(result.count, 1);
}

// Extended public keys, a mistyped xprv and the bare word are kept.
TEST(SecretRedactorTest, KeepsExtendedPublicKeysAndBrokenExtendedKeys) {
  ExpectKept("watch-only: "s + kXpubMaster);
  std::string mistyped = kXprvMaster;
  mistyped.back() = 'j';
  ExpectKept(mistyped);
  ExpectKept("paste your xprv here");
}

// Every secret in one text is replaced, and the count adds them up.
TEST(SecretRedactorTest, RedactsEverySecretInOneTextAndCountsThem) {
  const Redaction result =
      Redact("Ticket 4411. User wrote: my words are "s + kAbandonAbout +
             " and my key is " + kWifUncompressed + ", backup " + kXprvMaster +
             ", raw " + kHexKey + ". Withdrawal txid " + kGenesisTxid +
             " never arrived.");
  EXPECT_EQ(result.text,
            "Ticket 4411. User wrote: my words are [REDACTED:bip39_mnemonic] "
            "and my key is [REDACTED:wif_private_key], backup "
            "[REDACTED:extended_private_key], raw [REDACTED:hex_private_key]. "
            "Withdrawal txid "s +
                kGenesisTxid + " never arrived.");
  EXPECT_EQ(result.count, 4);
}

// Markers count as one word and join no run, so a second pass finds nothing.
TEST(SecretRedactorTest, RedactingTwiceChangesNothing) {
  // The label stays within 3 words of the hash once the WIF is a marker.
  const Redaction result =
      Redact("txid "s + kWifUncompressed + " " + kGenesisTxid);
  EXPECT_EQ(result.text, "txid [REDACTED:wif_private_key] "s + kGenesisTxid);
  EXPECT_EQ(result.count, 1);

  ExpectKept(
      "[REDACTED:hex_private_key] [REDACTED:bip39_mnemonic] "
      "[REDACTED:wif_private_key] [REDACTED:extended_private_key]");
  // "private" and "key" are list words, but '_' and ']' join no run.
  ExpectKept(
      "abandon abandon abandon abandon abandon abandon, "
      "[REDACTED:extended_private_key], abandon abandon abandon abandon "
      "abandon about");
}

// Invalid UTF-8 and NUL bytes pass through untouched and bound tokens.
TEST(SecretRedactorTest, SurvivesInvalidUtf8AndNulBytes) {
  const std::string text = "\xff\xfe"s + kWifUncompressed + "\xc3\x28 " +
                           kAbandonAbout + "\xed\xa0\x80" + '\0' + kHexKey +
                           "\x80";
  const Redaction result = Redact(text);
  EXPECT_EQ(result.text,
            "\xff\xfe[REDACTED:wif_private_key]\xc3\x28 "
            "[REDACTED:bip39_mnemonic]\xed\xa0\x80\0[REDACTED:hex_private_key]"
            "\x80"s);
  EXPECT_EQ(result.count, 3);

  std::string every_byte;
  for (int round = 0; round < 4; ++round) {
    for (int byte = 0; byte < 256; ++byte) {
      every_byte.push_back(static_cast<char>(byte));
    }
  }
  ExpectKept(every_byte);
}

// Empty text stays empty.
TEST(SecretRedactorTest, EmptyTextStaysEmpty) {
  const Redaction result = Redact("");
  EXPECT_EQ(result.text, "");
  EXPECT_EQ(result.count, 0);
}

// A 1 MiB ticket log with secrets throughout returns, every secret counted.
TEST(SecretRedactorTest, FinishesOnOneMebibyteOfMixedText) {
  const std::string chunk = "Ticket: my balance is zero. Key "s +
                            kWifUncompressed + ", backup " + kXprvMaster +
                            ", txid " + kGenesisTxid + ", words " +
                            kAbandonAbout + "; raw " + kHexKey + "\n";
  const std::string redacted_chunk =
      "Ticket: my balance is zero. Key [REDACTED:wif_private_key], backup "
      "[REDACTED:extended_private_key], txid "s +
      kGenesisTxid + ", words [REDACTED:bip39_mnemonic]; raw " +
      "[REDACTED:hex_private_key]\n";
  std::string text;
  std::string expected;
  int chunks = 0;
  while (text.size() < (1 << 20)) {
    text += chunk;
    expected += redacted_chunk;
    ++chunks;
  }
  const Redaction result = Redact(text);
  EXPECT_EQ(result.count, 4 * chunks);
  EXPECT_TRUE(result.text == expected);
}

// 1 MiB inputs built to stress each rule return with the expected result.
TEST(SecretRedactorTest, FinishesOnOneMebibyteOfPathologicalText) {
  constexpr size_t kMebibyte = 1 << 20;
  std::string text;
  while (text.size() < kMebibyte) text += "abandon ";
  Redaction result = Redact(text);
  EXPECT_EQ(result.text, "[REDACTED:bip39_mnemonic] ");
  EXPECT_EQ(result.count, 1);

  ExpectKept(std::string(kMebibyte, 'a'));

  text.clear();
  while (text.size() < kMebibyte) text += "0123456789abcdef";
  ExpectKept(text);

  text.clear();
  while (text.size() < kMebibyte) text += "1. ";
  ExpectKept(text);

  text.clear();
  while (text.size() < kMebibyte) text += "[REDACTED:";
  ExpectKept(text);

  // Every token is a WIF candidate whose checksum must be computed.
  text.clear();
  while (text.size() < kMebibyte) {
    text += "5Jq7Ywz3mRkT9bN2xHcVd4sLpE8gFuZa6tKeWnM1iPyQ5oRvXhB ";
  }
  ExpectKept(text);
}

}  // namespace
}  // namespace sentinel::incident
