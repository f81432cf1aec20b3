#!/usr/bin/env python3
"""Extract every synopsis in ../shared/data into one text file, one synopsis per line (stdlib only).

Sources: mal-tv/*/*.json `synopsis`, mal-scrape-2023/animes.csv `synopsis`,
anilist/*multimodal_input*.csv `description`. Newlines inside a synopsis become spaces so that
each line is one document. The output is a derivative of the data: write it OUTSIDE the repository.

    python3 tools/tokenizer_corpus.py --data ../shared/data --out /tmp/synopses.txt
"""
import argparse
import csv
import glob
import json
import os
import sys


def one_line(text):
    return " ".join(text.replace("\r", "\n").split("\n")).strip()


def synopses(data):
    for path in sorted(glob.glob(os.path.join(data, "mal-tv", "*", "*.json"))):
        with open(path, encoding="utf-8") as f:
            for entry in json.load(f):
                if isinstance(entry, dict) and isinstance(entry.get("synopsis"), str):
                    yield entry["synopsis"]
    csv.field_size_limit(sys.maxsize)
    with open(os.path.join(data, "mal-scrape-2023", "animes.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield row.get("synopsis") or ""
    for path in sorted(glob.glob(os.path.join(data, "anilist", "*multimodal_input*.csv"))):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                yield row.get("description") or ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="the shared data folder")
    parser.add_argument("--out", required=True, help="output text file (outside the repository)")
    args = parser.parse_args()
    count = 0
    size = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for text in synopses(args.data):
            line = one_line(text)
            if line:
                out.write(line + "\n")
                count += 1
                size += len(line.encode("utf-8")) + 1
    print(f"{count} synopses, {size} bytes -> {args.out}")


if __name__ == "__main__":
    main()
