#!/usr/bin/env python3
"""Generates redaction/bip39_tables.cc from the official BIP-39 word lists.

Run by CMake at build time (redaction/CMakeLists.txt); never edit the output.

Inputs: one LANGUAGE=PATH argument per language, each PATH a word list as
shipped by a pinned package: a text file with one word per line
(python3-mnemonic's wordlist/*.txt) or a JSON array of words (npm bip39's
src/wordlists/*.json). A leading byte-order mark is ignored.

Each word is folded the way the redactor folds text (redaction/bip39_words.h):
Unicode NFKD, combining marks dropped, lowercased. The build fails unless
every list has exactly 2048 words, every folded word is 3 to 9 ASCII letters,
the folded words of one list are distinct, and the SHA-256 of the folded list
(one word per line, each ending in LF) is the one pinned below. For the lists
written in ASCII (English, Italian, Czech, Portuguese) that digest is the
published digest of the official file in bitcoin/bips bip-0039/; for French
and Spanish it is the digest of the official file folded as above.

The same folding builds the table that maps each Latin letter U+00C0..U+024F
to its base ASCII letter, so that list and text are normalised by one rule.
"""

import hashlib
import json
import sys
import unicodedata

WORD_COUNT = 2048

# Folded-list digests (see the module comment).
PINNED_SHA256 = {
    "english": "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda",
    "french": "cf8db448ad5ca0b68c3c8f88b51458f20362a5939fef236fac64a303f1485e87",
    "italian": "d392c49fdb700a24cd1fceb237c1f65dcc128f6b34a8aacb58b59384b5c648c2",
    "spanish": "825b1c91b0084d16640c9ffbb643acfca15971225e3b8d2e2109fac949f34543",
    "czech": "7e80e161c3e93d9554c2efb78d4e3cebf8fc727e9c52e03b83b94406bdcc95fc",
    "portuguese": "2685e9c194c82ae67e10ba59d9ea5345a23dc093e92276fc5361f6667d79cd3f",
}

# The order of redaction::Bip39Language.
LANGUAGES = ["english", "french", "italian", "spanish", "czech", "portuguese"]

FOLD_FIRST = 0x00C0
FOLD_LAST = 0x024F


def fail(message):
    sys.stderr.write("generate_bip39_tables: %s\n" % message)
    sys.exit(1)


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed
                   if not unicodedata.combining(c)).lower()


def read_words(language, path):
    try:
        with open(path, encoding="utf-8") as f:
            content = f.read()
    except OSError as error:
        fail("%s: cannot read %s: %s" % (language, path, error))
    content = content.lstrip("\ufeff")
    if path.endswith(".json"):
        words = json.loads(content)
        if not isinstance(words, list) or not all(
                isinstance(w, str) for w in words):
            fail("%s: %s is not a JSON array of strings" % (language, path))
    else:
        words = content.split()
    if len(words) != WORD_COUNT:
        fail("%s: %s has %d words, not %d" %
             (language, path, len(words), WORD_COUNT))
    folded = [fold(w) for w in words]
    for word in folded:
        if not (3 <= len(word) <= 9 and word.isascii() and word.isalpha()):
            fail("%s: %r does not fold to 3..9 ASCII letters" %
                 (language, word))
    if len(set(folded)) != WORD_COUNT:
        fail("%s: two words fold to the same letters" % language)
    digest = hashlib.sha256(
        "".join(w + "\n" for w in folded).encode("ascii")).hexdigest()
    if digest != PINNED_SHA256[language]:
        fail("%s: %s folds to SHA-256 %s, not the pinned %s" %
             (language, path, digest, PINNED_SHA256[language]))
    return folded


def latin_fold_table():
    """Base ASCII letter (lowercase) of each code point in the fold range;
    '*' for a letter without one (such as U+00DF, U+00E6, U+0142); '\\0' for a
    code point that is not a letter."""
    table = []
    for code in range(FOLD_FIRST, FOLD_LAST + 1):
        c = chr(code)
        if not unicodedata.category(c).startswith("L"):
            table.append("\\0")
            continue
        base = fold(c)
        if len(base) == 1 and base.isascii() and base.isalpha():
            table.append(base)
        else:
            table.append("*")
    return table


def main(argv):
    if len(argv) < 2 or not argv[0].startswith("--out="):
        fail("usage: generate_bip39_tables.py --out=FILE LANGUAGE=PATH...")
    out = argv[0][len("--out="):]
    paths = {}
    for arg in argv[1:]:
        language, _, path = arg.partition("=")
        if language not in PINNED_SHA256 or not path:
            fail("unknown argument %r" % arg)
        paths[language] = path
    if sorted(paths) != sorted(LANGUAGES):
        fail("need exactly the languages %s" % ", ".join(LANGUAGES))

    lists = [read_words(language, paths[language]) for language in LANGUAGES]
    masks = {}
    for bit, words in enumerate(lists):
        for word in words:
            masks[word] = masks.get(word, 0) | (1 << bit)
    index = sorted(masks.items())

    lines = [
        "// Generated by redaction/tools/generate_bip39_tables.py at build",
        "// time from the pinned packages' word lists. Do not edit.",
        '#include "redaction/bip39_tables.h"',
        "",
        "namespace sentinel::redaction::internal {",
        "",
        "const std::array<std::array<absl::string_view, kBip39WordCount>,",
        "                 kBip39LanguageCount>",
        "    kBip39Lists = {{",
    ]
    for language, words in zip(LANGUAGES, lists):
        lines.append("        // %s" % language)
        lines.append("        {{")
        for word in words:
            lines.append('            absl::string_view("%s", %d),' %
                         (word, len(word)))
        lines.append("        }},")
    lines.append("}};")
    lines.append("")
    lines.append("const Bip39IndexEntry kBip39Index[] = {")
    for word, mask in index:
        lines.append('    {absl::string_view("%s", %d), 0x%02x},' %
                     (word, len(word), mask))
    lines.append("};")
    lines.append("const size_t kBip39IndexSize = %d;" % len(index))
    lines.append("")
    fold_table = latin_fold_table()
    lines.append("const std::array<char, kLatinFoldSize> kLatinFold = {")
    for start in range(0, len(fold_table), 16):
        lines.append("    " + " ".join("'%s'," % c
                                       for c in fold_table[start:start + 16]))
    lines.append("};")
    lines.append("")
    lines.append("}  // namespace sentinel::redaction::internal")
    text = "\n".join(lines) + "\n"
    with open(out, "w", encoding="ascii") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
