#!/usr/bin/env python3
"""The split class (letter, number, whitespace, other) of every Unicode scalar, as HF `tokenizers`'
GPT-2 pattern sees it (Oniguruma's \\p{L}, \\p{N}, \\s), for the Swift CharacterClass test.

Probes each scalar c with the ByteLevel pre-tokenizer: "a"+c is one piece only if c is a letter,
"1"+c only if a number, "!"+c only if "other"; otherwise c is whitespace. Writes run starts as
[[first scalar, class], ...] (class: 0 other, 1 letter, 2 number, 3 whitespace) to
Tests/TokenizerTests/Fixtures/character_classes.json. Surrogates are skipped (not scalars).

    /work/venv/bin/python tools/tokenizer_classes.py
"""
import json
import os

from tokenizers import pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "TokenizerTests", "Fixtures", "character_classes.json")


def main():
    split = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True).pre_tokenize_str
    runs = []
    last = None
    for value in range(0x110000):
        if 0xD800 <= value <= 0xDFFF:
            continue
        c = chr(value)
        if len(split("a" + c)) == 1:
            kind = 1
        elif len(split("1" + c)) == 1:
            kind = 2
        elif len(split("!" + c)) == 1:
            kind = 0
        else:
            kind = 3
        if kind != last:
            runs.append([value, kind])
            last = kind
    with open(OUT, "w") as f:
        json.dump(runs, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(runs)} runs -> {OUT}")


if __name__ == "__main__":
    main()
