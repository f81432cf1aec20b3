#!/usr/bin/env python3
"""Independent reference for the Baseline module: scikit-learn TfidfVectorizer + Ridge on a fixture corpus.

Writes Tests/BaselineTests/Fixtures/baseline_golden.json. Run from the repository root:

    /work/venv/bin/python tools/baseline_reference.py

Tokenization: scikit-learn is given `preprocessor=` (Python's str.lower + unicodedata NFKC, i.e. independent of
ICU's case mapping) and `tokenizer=` (ICU UAX #29 word break through PyICU, keeping segments whose rule status
is not "none"), so single-character words are kept, as in the Swift WordTokenizer. Ridge goldens come from
Ridge(solver='cholesky') on the dense matrix and are cross-checked against solver='sparse_cg' on CSR input.
"""
import json
import pathlib
import unicodedata

import icu
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "BaselineTests" / "Fixtures"
WORD_NONE_LIMIT = 100  # UBRK_WORD_NONE_LIMIT: statuses below are spaces/punctuation


def icu_words(text):
    """ICU root-locale word-break segments that ICU tags as words."""
    iterator = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    ustring = icu.UnicodeString(text)
    iterator.setText(ustring)
    words, start = [], iterator.first()
    for end in iterator:
        if iterator.getRuleStatus() >= WORD_NONE_LIMIT:
            words.append(str(ustring[start:end]))
        start = end
    return words


def lower_nfkc(text):
    return unicodedata.normalize("NFKC", text.lower())


def nfkc(text):
    return unicodedata.normalize("NFKC", text)


def csr_json(matrix):
    matrix = sp.csr_matrix(matrix)
    matrix.sort_indices()
    return {"rows": matrix.shape[0], "columns": matrix.shape[1], "rowOffsets": matrix.indptr.tolist(),
            "columnIndices": matrix.indices.tolist(), "values": matrix.data.tolist()}


def vectorizer(config):
    return TfidfVectorizer(
        preprocessor=lower_nfkc if config["lowercase"] else nfkc, tokenizer=icu_words, token_pattern=None,
        ngram_range=tuple(config["ngramRange"]), sublinear_tf=config["sublinearTF"], smooth_idf=True,
        norm="l2", min_df=config["minDocumentFrequency"], max_features=config["maxFeatures"], dtype=np.float64)


def check_cutoff_not_in_tie(documents, config):
    """max_features ties are broken by numpy's unstable argsort in sklearn; the fixture's cutoffs avoid ties."""
    if config["maxFeatures"] is None:
        return
    from sklearn.feature_extraction.text import CountVectorizer
    counter = CountVectorizer(preprocessor=lower_nfkc if config["lowercase"] else nfkc, tokenizer=icu_words,
                              token_pattern=None, ngram_range=tuple(config["ngramRange"]),
                              min_df=config["minDocumentFrequency"])
    frequencies = np.sort(np.asarray(counter.fit_transform(documents).sum(axis=0)).ravel())[::-1]
    limit = config["maxFeatures"]
    assert frequencies[limit - 1] != frequencies[limit], f"max_features={limit} cuts a tie group"


def tfidf_cases(train, heldout):
    configs = [
        {"name": "default", "ngramRange": [1, 2], "lowercase": True, "sublinearTF": True,
         "minDocumentFrequency": 2, "maxFeatures": None},
        {"name": "maxFeatures", "ngramRange": [1, 2], "lowercase": True, "sublinearTF": True,
         "minDocumentFrequency": 1, "maxFeatures": 0},  # limit filled in below
        {"name": "unigramsRawCase", "ngramRange": [1, 1], "lowercase": False, "sublinearTF": False,
         "minDocumentFrequency": 1, "maxFeatures": None},
        {"name": "bigramsOnly", "ngramRange": [2, 2], "lowercase": True, "sublinearTF": True,
         "minDocumentFrequency": 2, "maxFeatures": None},
    ]
    # Pick a max_features limit near 60 whose cutoff falls between two distinct corpus frequencies.
    from sklearn.feature_extraction.text import CountVectorizer
    counter = CountVectorizer(preprocessor=lower_nfkc, tokenizer=icu_words, token_pattern=None, ngram_range=(1, 2))
    frequencies = np.sort(np.asarray(counter.fit_transform(train).sum(axis=0)).ravel())[::-1]
    configs[1]["maxFeatures"] = next(k for k in range(60, 200) if frequencies[k - 1] != frequencies[k])
    cases = []
    for config in configs:
        check_cutoff_not_in_tie(train, config)
        model = vectorizer(config)
        train_matrix = model.fit_transform(train)
        cases.append({"configuration": config, "vocabulary": model.get_feature_names_out().tolist(),
                      "idf": model.idf_.tolist(), "train": csr_json(train_matrix),
                      "heldout": csr_json(model.transform(heldout))})
    return cases


def ridge_fit(features, targets, alpha):
    """Exact ridge with intercept (dense Cholesky), cross-checked with sparse_cg on CSR."""
    dense = Ridge(alpha=alpha, solver="cholesky", fit_intercept=True).fit(
        features.toarray() if sp.issparse(features) else features, targets)
    if sp.issparse(features):
        iterative = Ridge(alpha=alpha, solver="sparse_cg", tol=1e-14, max_iter=100000, fit_intercept=True).fit(
            sp.csr_matrix(features), targets)
        assert np.max(np.abs(iterative.coef_ - dense.coef_)) < 1e-8, "cholesky and sparse_cg disagree"
    return dense


def main():
    corpus = (FIXTURES / "baseline_corpus.txt").read_text(encoding="utf-8").splitlines()
    heldout = (FIXTURES / "baseline_heldout.txt").read_text(encoding="utf-8").splitlines()
    train, validation = corpus[:40], corpus[40:]
    rng = np.random.default_rng(5)
    signal = np.array([0.8 * ("idol" in d.lower()) - 0.6 * ("sea" in d.lower()) + 0.4 * ("space" in d.lower())
                       for d in corpus])
    targets = (signal + 0.3 * rng.standard_normal(len(corpus))).round(6)
    pixels = (rng.integers(0, 256, size=(len(corpus) + len(heldout), 48)).astype(np.float32) / np.float32(255))
    pixels[:, :8] += (np.float32(0.3) * np.concatenate([signal, np.zeros(len(heldout))])[:, None]).astype(np.float32)
    pixels = pixels.astype(np.float32)
    train_pixels, validation_pixels = pixels[:40], pixels[40:50]
    heldout_pixels = pixels[50:]
    train_y, validation_y = targets[:40], targets[40:]

    golden = {"tfidf": tfidf_cases(train, heldout), "targets": targets.tolist(),
              "pixels": pixels.astype(np.float64).tolist()}

    # Ridge on the default TF-IDF (fit on train), several alphas, predictions on validation + heldout.
    model = vectorizer(golden["tfidf"][0]["configuration"])
    train_x = model.fit_transform(train)
    validation_x, heldout_x = model.transform(validation), model.transform(heldout)
    alphas = [0.1, 1.0, 10.0]
    ridge_cases = []
    for alpha in alphas:
        ridge = ridge_fit(train_x, train_y, alpha)
        ridge_cases.append({"alpha": alpha, "weights": ridge.coef_.tolist(), "intercept": float(ridge.intercept_),
                            "validationPredictions": ridge.predict(validation_x).tolist(),
                            "heldoutPredictions": ridge.predict(heldout_x).tolist()})
    errors = [float(np.mean((np.array(c["validationPredictions"]) - validation_y) ** 2)) for c in ridge_cases]
    golden["tfidfRidge"] = {"alphas": alphas, "fits": ridge_cases, "validationErrors": errors,
                            "chosenAlpha": alphas[int(np.argmin(errors))]}

    # Pixel ridge: StandardScaler (population std) on train, Ridge.
    scaler = StandardScaler().fit(train_pixels.astype(np.float64))
    pixel_alphas = [1.0, 10.0, 100.0]
    pixel_cases = []
    for alpha in pixel_alphas:
        ridge = ridge_fit(scaler.transform(train_pixels.astype(np.float64)), train_y, alpha)
        pixel_cases.append({"alpha": alpha,
                            "validationPredictions": ridge.predict(scaler.transform(validation_pixels.astype(np.float64))).tolist(),
                            "heldoutPredictions": ridge.predict(scaler.transform(heldout_pixels.astype(np.float64))).tolist()})
    pixel_errors = [float(np.mean((np.array(c["validationPredictions"]) - validation_y) ** 2)) for c in pixel_cases]
    golden["pixelRidge"] = {"alphas": pixel_alphas, "fits": pixel_cases, "validationErrors": pixel_errors,
                            "chosenAlpha": pixel_alphas[int(np.argmin(pixel_errors))]}

    # TF-IDF ⊕ pixels: pixel block standardized, scaled so its total variance equals the TF-IDF block's.
    text_variance = float(np.sum(np.var(train_x.toarray(), axis=0)))
    scale = np.sqrt(text_variance / train_pixels.shape[1])
    def stacked(text, pixel_rows):
        return np.hstack([text.toarray(), scale * scaler.transform(pixel_rows.astype(np.float64))])
    stacked_cases = []
    for alpha in [0.3, 3.0]:
        ridge = ridge_fit(stacked(train_x, train_pixels), train_y, alpha)
        stacked_cases.append({"alpha": alpha, "pixelScale": float(scale),
                              "validationPredictions": ridge.predict(stacked(validation_x, validation_pixels)).tolist(),
                              "heldoutPredictions": ridge.predict(stacked(heldout_x, heldout_pixels)).tolist()})
    golden["textPixelRidge"] = {"fits": stacked_cases}

    out = FIXTURES / "baseline_golden.json"
    out.write_text(json.dumps(golden, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size} bytes); vocabulary sizes:",
          [len(c["vocabulary"]) for c in golden["tfidf"]], "chosen alphas:",
          golden["tfidfRidge"]["chosenAlpha"], golden["pixelRidge"]["chosenAlpha"])
    print("sample words:", icu_words(lower_nfkc(corpus[27])), icu_words(lower_nfkc(corpus[41])))


if __name__ == "__main__":
    main()
