#!/usr/bin/env python3
"""scikit-learn side of `animepop-bench tfidf`: times TfidfVectorizer on the same documents as the Swift run.

    /work/venv/bin/python tools/baseline_bench.py DOCUMENTS.txt [--repeat 2] [--tokenizer regex|icu]

DOCUMENTS.txt holds one document per line (the bench writes it). Options match the Swift baseline:
ngram_range=(1,2), sublinear_tf, smooth_idf, norm='l2', min_df=2, max_features=200000. The default
`regex` tokenizer is sklearn's own fast path (token_pattern); `icu` passes the PyICU word-break tokenizer
of tools/baseline_reference.py (same tokens as Swift, slower in Python). Prints one JSON line.
"""
import argparse
import json
import pathlib
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("documents")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--tokenizer", choices=["regex", "icu"], default="regex")
    parser.add_argument("--max-features", default="200000", help="an integer, or 'none'")
    arguments = parser.parse_args()
    documents = pathlib.Path(arguments.documents).read_text(encoding="utf-8").split("\n")
    if documents and documents[-1] == "":
        documents.pop()
    options = dict(ngram_range=(1, 2), sublinear_tf=True, smooth_idf=True, norm="l2", min_df=2,
                   max_features=None if arguments.max_features == "none" else int(arguments.max_features))
    if arguments.tokenizer == "icu":
        sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
        from baseline_reference import icu_words, lower_nfkc
        options.update(preprocessor=lower_nfkc, tokenizer=icu_words, token_pattern=None)
    fit_times, transform_times, fit_cpu, transform_cpu = [], [], [], []
    for _ in range(arguments.repeat):
        vectorizer = TfidfVectorizer(**options)
        start, cpu = time.perf_counter(), time.process_time()
        matrix = vectorizer.fit_transform(documents)
        fit_times.append(time.perf_counter() - start)
        fit_cpu.append(time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        vectorizer.transform(documents)
        transform_times.append(time.perf_counter() - start)
        transform_cpu.append(time.process_time() - cpu)
    print(json.dumps({"documents": len(documents), "tokenizer": arguments.tokenizer,
                      "fit_transform_seconds": min(fit_times), "transform_seconds": min(transform_times),
                      "transform_documents_per_second": len(documents) / min(transform_times),
                      "fit_transform_cpu_seconds": min(fit_cpu), "transform_cpu_seconds": min(transform_cpu),
                      "vocabulary": len(vectorizer.vocabulary_), "nonzeros": int(matrix.nnz)}))


if __name__ == "__main__":
    main()
