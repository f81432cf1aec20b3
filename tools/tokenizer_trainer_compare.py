#!/usr/bin/env python3
"""Compare our trainer with HF's BpeTrainer on the same corpus, and check tokenizer.json interop.

Trains HF ByteLevel BPE (same vocab size, min frequency, special tokens, all 256 bytes) on the corpus,
then reports: training time, vocabulary overlap with the Swift vocabulary, and bytes per token on the
corpus for both. It loads the Swift-written tokenizer.json in HF (interop), and with --swift-ids
(output of `animepop tokenizer encode --jsonl` on the corpus lines as JSON strings) checks that HF
gives the same ids as Swift for every line.

    animepop tokenizer train --vocab-size 16000 --special '<|endoftext|>,<pad>,<mask>,<cls>' --out vocab /tmp/synopses.txt
    python3 -c "import json,sys; [print(json.dumps(l.rstrip('\\n'))) for l in open('/tmp/synopses.txt')]" > /tmp/synopses.jsonl
    animepop tokenizer encode --tokenizer vocab --jsonl --threads 2 < /tmp/synopses.jsonl > /tmp/swift_ids.jsonl
    /work/venv/bin/python tools/tokenizer_trainer_compare.py --corpus /tmp/synopses.txt --swift vocab/tokenizer.json --swift-ids /tmp/swift_ids.jsonl
"""
import argparse
import json
import time

from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers


def main():
    parser = argparse.ArgumentParser(description="trainer comparison and interop check")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--swift", required=True, help="tokenizer.json written by animepop")
    parser.add_argument("--swift-ids", help="JSON lines of ids from `animepop tokenizer encode --jsonl` over the corpus lines")
    parser.add_argument("--vocab-size", type=int, default=16000)
    parser.add_argument("--min-frequency", type=int, default=2)
    parser.add_argument("--special", default="<|endoftext|>,<pad>,<mask>,<cls>")
    parser.add_argument("--save-hf", help="where to write HF's trained tokenizer.json")
    args = parser.parse_args()

    specials = [s for s in args.special.split(",") if s]
    hf = Tokenizer(models.BPE())
    hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    hf.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=args.vocab_size, min_frequency=args.min_frequency,
                                  special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    start = time.perf_counter()
    hf.train([args.corpus], trainer=trainer)
    hf_seconds = time.perf_counter() - start
    if args.save_hf:
        hf.save(args.save_hf)

    swift = Tokenizer.from_file(args.swift)  # interop: HF loads what Swift wrote
    hf_vocab = set(hf.get_vocab())
    swift_vocab = set(swift.get_vocab())
    common = hf_vocab & swift_vocab

    with open(args.corpus, encoding="utf-8") as f:
        lines = f.read().split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    total_bytes = sum(len(line.encode("utf-8")) for line in lines)
    hf_tokens = sum(len(e.ids) for e in hf.encode_batch(lines))
    swift_encodings = swift.encode_batch(lines)
    swift_tokens = sum(len(e.ids) for e in swift_encodings)

    print(f"HF BpeTrainer: {hf_seconds:.2f} s for vocab {hf.get_vocab_size()} on {total_bytes / 1e6:.1f} MB")
    print(f"vocabulary overlap: {len(common)} of {len(swift_vocab)} Swift tokens / {len(hf_vocab)} HF tokens "
          f"({100 * len(common) / len(swift_vocab):.2f}%)")
    print(f"bytes per token on the corpus: Swift vocab {total_bytes / swift_tokens:.4f}, HF vocab {total_bytes / hf_tokens:.4f}")
    hf_merges = json.loads(hf.to_str())["model"]["merges"]
    swift_merges = json.loads(swift.to_str())["model"]["merges"]
    norm = lambda m: tuple(m) if isinstance(m, list) else tuple(m.split(" "))
    same_prefix = 0
    for a, b in zip(hf_merges, swift_merges):
        if norm(a) != norm(b):
            break
        same_prefix += 1
    print(f"merges: {len(swift_merges)} Swift, {len(hf_merges)} HF; first {same_prefix} identical in order; "
          f"{len(set(map(norm, hf_merges)) & set(map(norm, swift_merges)))} shared as sets")

    if args.swift_ids:
        with open(args.swift_ids, encoding="utf-8") as f:
            swift_ids = [json.loads(line) for line in f]
        texts = [line.rstrip("\n") for line in lines]
        hf_ids = [e.ids for e in swift.encode_batch(texts)]
        bad = sum(1 for a, b in zip(hf_ids, swift_ids) if a != b)
        print(f"HF running the Swift tokenizer.json vs Swift CLI ids: {len(texts) - bad}/{len(texts)} lines identical"
              + ("" if len(texts) == len(swift_ids) else f" (line counts differ: {len(texts)} vs {len(swift_ids)})"))


if __name__ == "__main__":
    main()
