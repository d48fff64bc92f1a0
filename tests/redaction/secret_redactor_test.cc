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
// again finds no secret. The other languages' lists are tested in
// secret_redactor_languages_test.cc.

#include "redaction/secret_redactor.h"

#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace sentinel::redaction {
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
      "mnemonic = LETTER, Advice, cage, ABSURD, amount, Doctor, acoustic, "
      "avoid,letter,advice,cage,absurd,amount,doctor,acoustic,avoid,Letter,"
      "Always.");
  EXPECT_EQ(result.text, "mnemonic = [REDACTED:bip39_mnemonic].");
  EXPECT_EQ(result.count, 1);
}

// List words right before and after a mnemonic join it ("seed" and
// "please help" are list words); a short non-list word stops it.
TEST(SecretRedactorTest, ListWordsNextToAMnemonicJoinIt) {
  Redaction result = Redact("seed: "s + kAbandonAbout + ", please help");
  EXPECT_EQ(result.text, "[REDACTED:bip39_mnemonic]");
  EXPECT_EQ(result.count, 1);

  result = Redact("my seed: "s + kAbandonAbout + ", so please help me");
  EXPECT_EQ(result.text, "my [REDACTED:bip39_mnemonic], so please help me");
  EXPECT_EQ(result.count, 1);
}

// Support-ticket prose, dense with list words, is left alone: short
// function words ("the", "my", "app") end every stretch of list words.
TEST(SecretRedactorTest, KeepsProseFullOfListWords) {
  ExpectKept("I was able to open the app but then my account balance was zero");
  ExpectKept(
      "Help! I found my old phone in a drawer, opened the app, and my balance "
      "shows zero after the last update. Can you please check what happened "
      "to my account before the end of the month? Thank you so much, I "
      "really need this money soon.");
  // 48 words, 20 of them list words.
  ExpectKept(
      "Hello, I logged in this morning and saw that my account was frozen "
      "after a withdrawal to an address I do not know. I did not make this "
      "transfer. Please check the login history, block any new withdrawals "
      "and call me back as soon as possible, thank you.");
  // The GPL's preamble: 11 list words and a stranger in 12 words, but a
  // short non-list word ("the", "or") on both sides.
  ExpectKept(
      "For example, if you distribute copies of such a program, whether "
      "gratis or for a fee, you must pass on to the recipients the same "
      "freedoms that you received. You must make sure that they, too, "
      "receive or can get the source code.");
}

// 11 consecutive list words are not a mnemonic.
TEST(SecretRedactorTest, KeepsElevenListWords) {
  ExpectKept(
      "legal winner thank year wave sausage worth useful legal winner thank");
  ExpectKept(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "abandon about");
}

// The limit of the rule: prose that is 11 list words and one longer word in
// a row cannot be told from a phrase with a misspelt word, and is redacted.
TEST(SecretRedactorTest, RedactsProseOfElevenListWordsInTwelve) {
  const Redaction result = Redact(
      "open your app, then select account, then balance, then history, then "
      "check each transfer, please");
  EXPECT_EQ(result.text, "open your app, [REDACTED:bip39_mnemonic]");
  EXPECT_EQ(result.count, 1);
}

// A short non-list word, a number of three or more digits, or a word with
// digits splits a phrase.
TEST(SecretRedactorTest, KeepsListWordsSplitByAShortWordOrANumber) {
  ExpectKept(
      "legal winner thank year wave sausage worth useful legal winner thank "
      "and legal winner thank year wave sausage worth useful legal winner "
      "thank");
  ExpectKept(
      "abandon abandon abandon abandon abandon abandon 100 abandon abandon "
      "abandon abandon abandon about");
  ExpectKept(
      "abandon abandon abandon abandon abandon abandon v2 abandon abandon "
      "abandon abandon abandon about");
}

// Any bytes between the words keep a phrase: hyphens, semicolons, slashes,
// quotes, the no-break space (C2 A0), an em dash, other UTF-8.
TEST(SecretRedactorTest, RedactsMnemonicWithAnySeparator) {
  Redaction result = Redact(
      "abandon-abandon-abandon-abandon-abandon-abandon-abandon-abandon-abandon-"
      "abandon-abandon-about");
  EXPECT_EQ(result.text, "[REDACTED:bip39_mnemonic]");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "(abandon; abandon; abandon; abandon / abandon / abandon | abandon; "
      "abandon; abandon; abandon; abandon; about)");
  EXPECT_EQ(result.text, "([REDACTED:bip39_mnemonic])");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "words:\xC2\xA0legal\xC2\xA0winner\xC2\xA0thank\xC2\xA0year\xC2\xA0wave"
      "\xC2\xA0sausage\xC2\xA0worth\xC2\xA0useful\xE2\x80\x94legal\xE2\x80\x94"
      "winner\xE2\x80\x94thank\xE2\x80\x94yellow\xC2\xA0!");
  EXPECT_EQ(result.text, "words:\xC2\xA0[REDACTED:bip39_mnemonic]\xC2\xA0!");
  EXPECT_EQ(result.count, 1);
}

// A JSON array, as wallets export it, becomes one marker inside the quotes.
TEST(SecretRedactorTest, RedactsMnemonicInAJsonArray) {
  const Redaction result = Redact(
      "{\"mnemonic\": [\"abandon\",\"ability\",\"able\",\"about\",\"above\","
      "\"absent\",\"absorb\",\"abstract\",\"absurd\",\"abuse\",\"access\","
      "\"accident\"]}");
  EXPECT_EQ(result.text, "{\"mnemonic\": [\"[REDACTED:bip39_mnemonic]\"]}");
  EXPECT_EQ(result.count, 1);
}

// Case does not matter.
TEST(SecretRedactorTest, RedactsUppercaseMnemonic) {
  const Redaction result = Redact(
      "MY WORDS: LEGAL WINNER THANK YEAR WAVE SAUSAGE WORTH USEFUL LEGAL "
      "WINNER THANK YELLOW");
  EXPECT_EQ(result.text, "MY WORDS: [REDACTED:bip39_mnemonic]");
  EXPECT_EQ(result.count, 1);
}

// One or two misspelt or unknown words of 4 or more letters stay inside a
// phrase: 12 words with one misspelt are caught, not left as runs of 5 and
// 6.
TEST(SecretRedactorTest, RedactsMnemonicWithOneOrTwoMisspeltWords) {
  Redaction result = Redact(
      "words are legal winner thank year wave sasuage worth useful legal "
      "winner thank yellow, is that ok?");
  EXPECT_EQ(result.text, "words are [REDACTED:bip39_mnemonic], is that ok?");
  EXPECT_EQ(result.count, 1);

  result = Redact(
      "1. legal 2. winner 3. thnak 4. year 5. wave 6. sausage 7. worth "
      "8. usefull 9. legal 10. winner 11. thank 12. yellow");
  EXPECT_EQ(result.text, "1. [REDACTED:bip39_mnemonic]");
  EXPECT_EQ(result.count, 1);

  // Eleven list words and one unknown word are twelve words.
  result = Redact(
      "lava include region explain simple bitcoin dog slot melt reflect copy "
      "reward");
  EXPECT_EQ(result.text, "[REDACTED:bip39_mnemonic]");
  EXPECT_EQ(result.count, 1);
}

// Three strangers are too many; a misspelt first or last word leaves 11
// list words of a 12-word phrase, which is not one (documented).
TEST(SecretRedactorTest, KeepsPhrasesWithThreeStrangersOrAMisspeltEnd) {
  ExpectKept(
      "legal winnre thank year wave sasuage worth useful legal winner thnak "
      "yellow");
  ExpectKept(
      "lgeal winner thank year wave sausage worth useful legal winner thank "
      "yellow");
  ExpectKept(
      "legal winner thank year wave sausage worth useful legal winner thank "
      "yelow");
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

// The label must be the word right before the hex, with at most 3 bytes of
// space or ':', '=', '#', '(' or quotes between, and a whole word.
TEST(SecretRedactorTest, LabelMustBeTheWordRightBefore) {
  Redaction result = Redact("TXID for withdrawal: "s + kGenesisTxid);
  EXPECT_EQ(result.text, "TXID for withdrawal: [REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 1);

  result = Redact("my tx hash is "s + kGenesisTxid);
  EXPECT_EQ(result.text, "my tx hash is [REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 1);

  result = Redact("txid:\n"s + kGenesisTxid);
  EXPECT_EQ(result.text, "txid:\n[REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 1);

  result = Redact("txid :: "s + kGenesisTxid);
  EXPECT_EQ(result.text, "txid :: [REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 1);

  // "id" labels only right after "tx", "txn", "transaction" or "block".
  result = Redact("wallet id: "s + kGenesisTxid);
  EXPECT_EQ(result.text, "wallet id: [REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 1);
  ExpectKept("tx-id: "s + kGenesisTxid);
  ExpectKept("Block Hash: "s + kGenesisBlockHash);

  result = Redact("TXID of my withdrawal: "s + kGenesisTxid);
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

// Markers end phrases and labels, so a second pass finds nothing.
TEST(SecretRedactorTest, RedactingTwiceChangesNothing) {
  // A key between a label and a hash leaves the hash unlabelled.
  Redaction result = Redact("txid "s + kWifUncompressed + " " + kGenesisTxid);
  EXPECT_EQ(result.text,
            "txid [REDACTED:wif_private_key] [REDACTED:hex_private_key]");
  EXPECT_EQ(result.count, 2);

  // A labelled hash right after a mnemonic keeps its label.
  result = Redact(
      "legal winner thank year wave sausage worth useful legal winner thank "
      "yellow block "s +
      kGenesisBlockHash);
  EXPECT_EQ(result.text,
            "[REDACTED:bip39_mnemonic] block "s + kGenesisBlockHash);
  EXPECT_EQ(result.count, 1);

  ExpectKept(
      "[REDACTED:hex_private_key] [REDACTED:bip39_mnemonic] "
      "[REDACTED:wif_private_key] [REDACTED:extended_private_key]");
  // "private" and "key" are list words, but a marker ends every phrase.
  ExpectKept(
      "abandon abandon abandon abandon abandon abandon, "
      "[REDACTED:extended_private_key], abandon abandon abandon abandon "
      "abandon about");
}

// A stray "[REDACTED:" ends a phrase like a marker, so that no marker's
// prefix disappears inside a mnemonic's marker.
TEST(SecretRedactorTest, StrayMarkerPrefixEndsAPhrase) {
  ExpectKept(
      "abandon abandon abandon abandon abandon abandon [REDACTED:abandon "
      "abandon abandon abandon abandon about");
}

// Keys are found in the ASCII runs of a word, even next to accented
// letters.
TEST(SecretRedactorTest, RedactsKeysGluedToAccentedLetters) {
  const Redaction result =
      Redact("cl\xC3\xA9"s + kWifUncompressed + "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(result.text,
            "cl\xC3\xA9[REDACTED:wif_private_key]\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(result.count, 1);
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
  // "raw" is a list word and joins the mnemonic.
  const std::string redacted_chunk =
      "Ticket: my balance is zero. Key [REDACTED:wif_private_key], backup "
      "[REDACTED:extended_private_key], txid "s +
      kGenesisTxid + ", words [REDACTED:bip39_mnemonic] " +
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
}  // namespace sentinel::redaction
