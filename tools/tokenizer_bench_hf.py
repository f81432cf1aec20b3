#!/usr/bin/env python3
"""Reference timings for `animepop-bench tokenizer`: HF `tokenizers` (and tiktoken's engine) on the same text.

The bench builds the text exactly like this script: corpus lines (with their newlines) repeated
cyclically until the total reaches --target-mb megabytes (10^6 bytes). Prints one JSON object.

    /work/venv/bin/python tools/tokenizer_bench_hf.py --corpus /tmp/synopses.txt --tokenizer vocab/tokenizer.json --threads 1
    /work/venv/bin/python tools/tokenizer_bench_hf.py --corpus /tmp/synopses.txt --tokenizer vocab/tokenizer.json --threads 2 --train FILE
"""
import argparse
import json
import os
import sys
import time


def build_lines(corpus, target_bytes):
    with open(corpus, "rb") as f:
        base = f.read().split(b"\n")
    base = [line + b"\n" for line in base if line]
    lines, total = [], 0
    while total < target_bytes:
        for line in base:
            lines.append(line)
            total += len(line)
            if total >= target_bytes:
                break
    return [line.decode("utf-8") for line in lines], total


def main():
    parser = argparse.ArgumentParser(description="HF tokenizers reference timings")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--tokenizer", required=True, help="tokenizer.json (the shipped 16k vocab)")
    parser.add_argument("--threads", type=int, default=1, help="rayon threads for HF")
    parser.add_argument("--target-mb", type=float, default=20.0)
    parser.add_argument("--train", help="corpus file for a 16k BpeTrainer run (timed)")
    parser.add_argument("--tiktoken", action="store_true", help="also time tiktoken's engine with the same ranks")
    args = parser.parse_args()
    os.environ["RAYON_NUM_THREADS"] = str(args.threads)
    os.environ["RAYON_RS_NUM_CPUS"] = str(args.threads)
    from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers

    result = {"threads": args.threads}
    lines, total = build_lines(args.corpus, int(args.target_mb * 1e6))
    result["bytes"] = total
    tok = Tokenizer.from_file(args.tokenizer)
    start = time.perf_counter()
    cpu_start = time.process_time()
    encodings = tok.encode_batch(lines)
    seconds = time.perf_counter() - start
    result["hf_encode_cpu_mb_s"] = total / 1e6 / (time.process_time() - cpu_start)
    result["hf_encode_seconds"] = seconds
    result["hf_encode_mb_s"] = total / 1e6 / seconds
    result["hf_tokens"] = sum(len(e.ids) for e in encodings)

    if args.tiktoken:
        import tiktoken
        vocab = tok.get_vocab()
        data = json.loads(tok.to_str())
        specials = {t["content"]: t["id"] for t in data["added_tokens"]}
        byte_decoder = {}
        bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
        cs = bs[:]
        n = 0
        for b in range(256):
            if b not in bs:
                bs.append(b)
                cs.append(256 + n)
                n += 1
        byte_decoder = {chr(c): b for b, c in zip(bs, cs)}
        ranks = {}
        for token, rank in vocab.items():
            if token in specials:
                continue
            ranks[bytes(byte_decoder[c] for c in token)] = rank
        enc = tiktoken.Encoding(name="animepop-16k",
                                pat_str=r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""",
                                mergeable_ranks=ranks, special_tokens={})
        start = time.perf_counter()
        cpu_start = time.process_time()
        if args.threads == 1:
            ids = [enc.encode_ordinary(line) for line in lines]
        else:
            ids = enc.encode_ordinary_batch(lines, num_threads=args.threads)
        seconds = time.perf_counter() - start
        result["tiktoken_encode_mb_s"] = total / 1e6 / seconds
        result["tiktoken_encode_cpu_mb_s"] = total / 1e6 / (time.process_time() - cpu_start)
        result["tiktoken_same_ids_as_hf"] = sum(1 for a, e in zip(ids, encodings) if a == e.ids) / len(lines)

    if args.train:
        hf = Tokenizer(models.BPE())
        hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        hf.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(vocab_size=16000, min_frequency=2,
                                      special_tokens=["<|endoftext|>", "<pad>", "<mask>", "<cls>"],
                                      initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
        start = time.perf_counter()
        cpu_start = time.process_time()
        hf.train([args.train], trainer=trainer)
        result["hf_train_seconds"] = time.perf_counter() - start
        result["hf_train_cpu_seconds"] = time.process_time() - cpu_start
        result["hf_train_merges"] = len(json.loads(hf.to_str())["model"]["merges"])
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
