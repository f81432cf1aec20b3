#!/usr/bin/env python3
"""Golden ids for the Swift tokenizer from two independent references, and tokenizer.json interop.

1. GPT-2 parity: encodes a hand-written varied text set with GPT-2's vocab.json + merges.txt (from the
   openai-whisper 20230124 sdist, MIT) using BOTH HuggingFace `tokenizers` (ByteLevel BPE) and tiktoken's
   engine with the same ranks; asserts they agree and writes Tests/TokenizerTests/Fixtures/gpt2_golden.json.
2. tokenizer.json written by HF: trains a tiny ByteLevel BPE on the text set (plus special tokens),
   saves Fixtures/hf_tiny/tokenizer.json and golden ids for it (Fixtures/hf_tiny_golden.json).
(The other direction, HF loading a tokenizer.json written by Swift, is checked by
tools/tokenizer_trainer_compare.py on the shipped vocab.)

    /work/venv/bin/python tools/tokenizer_reference.py
"""
import argparse
import json
import os

from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
import tiktoken

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "TokenizerTests", "Fixtures")

# Hand-written cases; synopsis-like lines are our own words, not copied from the data.
TEXTS = [
    "",
    "a",
    " ",
    "Hello world",
    "Hello, world! How are you doing today?",
    "The quick brown fox jumps over the lazy dog.",
    "In a city where spirits walk among the living, a quiet high-school student discovers she can hear "
    "the songs of the dead. Together with a grumpy fox god, she sets out to return a stolen melody "
    "before the summer festival ends.",
    "After losing his sword arm in the war of 1999, Kaito opens a ramen shop... but the past won't let him go.",
    "Season 2 of the hit series! Twelve episodes (24 min each), airing Spring 2026.",
    "She'll say it's fine, they're sure we've won, I'm here, he'd go, don't, can't.",
    "SHE'LL IT'S THEY'RE WE'VE I'M HE'D DON'T",
    "'S 's ''s '''s 's' 'sa 'll've 're're' '",
    "rock'n'roll o'clock y'all ma'am",
    "日本語のテキストと English が混ざった文。",
    "進撃の巨人 Attack on Titan (2013) — 全25話",
    "コードギアス 反逆のルルーシュ",
    "한국어 텍스트와 中文 混合",
    "Привет, мир! Ёжик в тумане.",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    "😀 😃 😄 emoji run 😀😃😄😁",
    "👩‍👩‍👧‍👦 family, 👨🏽‍💻 coder, 🏳️‍🌈 flag, ❤️ heart",
    "e\u0301 cafe\u0301 n\u0303 a\u030a\u0323 Z\u0351\u0352\u0353",
    "caf\u00e9 vs cafe\u0301",
    "0123456789 3.14159 1,000,000 42nd 2nd-3rd 1e-9 ½ ² ⅷ ٣٤٥",
    "!!! ??? ... --- *** ### @@@ $$$ %%% ^^^ &&& ((( ))) ___ +++ === {{{ }}} [[[ ]]] ||| ;;; ::: ,,, <<< >>> ~~~",
    "\t\ttabs\tand\ttabs\t",
    "line one\nline two\n\nline four\r\nwindows\r\n",
    "multiple   spaces    between     words",
    "trailing spaces   ",
    "   leading spaces",
    " \t \n mixed whitespace \u00a0 nbsp \u3000 ideographic \u2003 em",
    "control\x00chars\x01\x02\x07\x08\x1b[31m\x1c\x1d\x1e\x1f\x7f done",
    "\u0085 next line \u2028 line sep \u2029 para sep \u200b zero width \ufeff bom",
    "URLs: https://example.com/path?a=1&b=2#frag and emails like someone@example.org",
    "C++ / C# / F# / .NET / node.js / snake_case / camelCase / kebab-case",
    "“Smart quotes” and ‘single’ ones — em dash – en dash … ellipsis",
    "Ａｎｉｍｅ　ｆｕｌｌ　ｗｉｄｔｈ　１２３",
    "ｱﾆﾒ half-width katakana",
    "𝓜𝓪𝓽𝓱 𝔉𝔯𝔞𝔨𝔱𝔲𝔯 letters 𝟙𝟚𝟛",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "          ",
    "\n\n\n\n",
    " a  b   c    d",
    "x \ty \t z",
    "end with newline\n",
    "Mr. O'Neil's dog's toy",
    "<|endoftext|> is just text for plain GPT-2 encoding",
    "Pokémon Ōkami Straße façade naïve Æsir",
    "ǅungla ǈ ǋ title-case letters",
    "Ⅻ Roman numeral letters Ⅷ",
    "#1 #hashtag @mention $100 50% 3:00pm",
    # Letters assigned in Unicode 17.0: "other" for HF and tiktoken (Unicode 16 tables).
    "ab\u088fcd \U00010940x y\u0c5cz",
    # Long pieces (> 96 bytes) take the heap merge path in Swift.
    "a" * 300,
    "ab" * 150 + " " + "Supercalifragilistic" * 12,
    "😀" * 40 + "👩‍👩‍👧‍👦" * 8,
    " " * 200 + "x" + "\n" * 120,
    "1234567890" * 15,
]


# Palette for the seeded random strings: every class the split pattern distinguishes, in many scripts.
PALETTE = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") + list("0123456789")
    + [" "] * 12 + ["\t", "\n", "\r", "\u00a0", "\u3000", "\u2003", "\u0085", "\u2028", "\x0b", "\x0c", "\x1c", "\x1f"]
    + ["'", "'", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "’"]
    + list(".,;:!?-_()[]{}<>/\\|@#$%^&*+=~`\"") + ["...", "--", "—", "…", "«", "»", "“", "”"]
    + list("éüñßøåçÆŒĳǅ") + list("αβγΩЖжЯ") + list("日本語のテキストアニメ漢字かなカナ") + list("한국어") + list("مرحبا") + list("नमस्ते")
    + ["\u0301", "\u0308", "\u0323", "\u093f", "\u200d", "\ufe0f", "\u200b"]
    + ["😀", "👩\u200d👩\u200d👧", "🏽", "🇯🇵", "❤", "🍜", "𝓐", "𝟙", "𐍈"]
    + list("½²³ⅷⅫ٣४௫") + ["\x00", "\x01", "\x1b", "\x7f"]
)


def random_texts(count, seed=20261122):
    """Seeded random strings over PALETTE, 1 to 40 picks each (written into the golden file)."""
    import random
    rng = random.Random(seed)
    return ["".join(rng.choice(PALETTE) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def bytes_to_unicode():
    """GPT-2's bytes<->unicode table (encoder.py)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def gpt2_references(gpt2_dir):
    vocab_path = os.path.join(gpt2_dir, "vocab.json")
    merges_path = os.path.join(gpt2_dir, "merges.txt")
    hf = Tokenizer(models.BPE.from_file(vocab_path, merges_path))
    hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    hf.decoder = decoders.ByteLevel()
    byte_decoder = {v: k for k, v in bytes_to_unicode().items()}
    with open(vocab_path, encoding="utf-8") as f:
        vocab = json.load(f)
    ranks = {bytes(byte_decoder[c] for c in token): rank for token, rank in vocab.items()}
    tk = tiktoken.Encoding(
        name="gpt2-local",
        pat_str=r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""",
        mergeable_ranks=ranks,
        special_tokens={},
    )
    return hf, tk


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=0)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description="golden ids and tokenizer.json interop")
    parser.add_argument("--gpt2", default=os.path.join(FIXTURES, "gpt2"), help="folder with vocab.json + merges.txt")
    args = parser.parse_args()

    hf, tk = gpt2_references(args.gpt2)
    cases = []
    for text in TEXTS + random_texts(400):
        a = hf.encode(text).ids
        b = tk.encode_ordinary(text)
        assert a == b, f"references disagree on {text!r}: {a} vs {b}"
        assert hf.decode(a) == text or "\ufffd" in hf.decode(a), text
        cases.append({"text": text, "ids": a})
    write_json(os.path.join(FIXTURES, "gpt2_golden.json"), cases)
    print(f"gpt2_golden.json: {len(cases)} cases ({len(TEXTS)} hand-written, 400 seeded random), HF and tiktoken agree on all")

    # A tiny tokenizer.json written by HF, with special tokens, for the loader test.
    tiny = Tokenizer(models.BPE())
    tiny.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tiny.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=600, min_frequency=1, special_tokens=["<|endoftext|>", "<pad>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    # HF's trainer counts special-token strings in the text as ordinary text; ours skips them, so the
    # training texts leave out the one case that holds one (the Swift test applies the same filter).
    train_texts = [t for t in TEXTS if "<|endoftext|>" not in t and "<pad>" not in t]
    tiny.train_from_iterator(train_texts * 3, trainer=trainer)
    os.makedirs(os.path.join(FIXTURES, "hf_tiny"), exist_ok=True)
    tiny.save(os.path.join(FIXTURES, "hf_tiny", "tokenizer.json"))
    tiny_cases = []
    for text in TEXTS + ["a <|endoftext|> b<pad><pad>c", "<|endoftext|>"]:
        tiny_cases.append({"text": text, "ids": tiny.encode(text).ids})
    write_json(os.path.join(FIXTURES, "hf_tiny_golden.json"), tiny_cases)
    print(f"hf_tiny/tokenizer.json: vocab {tiny.get_vocab_size()}, {len(tiny_cases)} golden cases")


if __name__ == "__main__":
    main()
