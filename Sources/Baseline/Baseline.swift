// Baseline — the honest baselines every learned model must beat.
//
// Pipeline (each stage one file):
//
//   documents ─ WordTokenizer ─ NgramCounter ─ VocabularySelection ─ TfidfVectorizer ─ SparseMatrix (CSR, N × V)
//                                                                                        │
//   pixels (N × P, e.g. 32·32·3) ─ DenseFeatures (standardized with training statistics) ┤
//                                                                                        ▼
//          RidgeRegression: Jacobi-preconditioned conjugate gradient on (XcᵀXc + αI)·w = Xcᵀyc (RidgeDesign:
//          sparse X centered implicitly; dense X through one gemm-formed Gram matrix; stacked [S | D])
//                                                                                        │
//          TfidfRidge · PixelRidge · TextPixelRidge — α chosen on validation (AlphaSearch), explanations
//          (TfidfRidge.contributions), save/load (TfidfRidgeArchive)
//
// Conventions: row-major; N documents (rows), V vocabulary terms, P pixel features.
//
// Semantics are scikit-learn's TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True, smooth_idf=True,
// norm='l2', min_df=int, max_features=int) and Ridge(fit_intercept=True), with these tokenization choices:
//   • text is NFKC-normalized (and lower-cased by default) by ICU, then split at ICU's UAX #29 word boundaries,
//     keeping the segments ICU tags as words (letters, numbers, kana, ideographs);
//   • one-character words ARE kept ("season 2", "part ii"), unlike sklearn's default `(?u)\b\w\w+\b`;
//   • apostrophes and digit separators stay inside words ("hero's", "1,000", "3.14"), '@' joins words;
//   • a fast path handles ASCII text and frequent non-ASCII characters without ICU; it is tested equal to ICU.
//   • max_features ties (equal corpus frequency) keep the lexicographically smaller term; sklearn's unstable
//     argsort leaves such ties unspecified, so the golden fixtures place their cutoffs between distinct counts.
// tools/baseline_reference.py gives scikit-learn the same tokenizer (PyICU) and writes the goldens the tests
// compare with (max abs difference ≤ 1e-5 for TF-IDF values, ridge weights and predictions).
//
// Parallelism: fit counts n-grams in 2 chunks and merges; transform, fit-transform rows and the ridge mat-vecs
// split rows into 2 blocks (BaselineThreads.defaultCount).
//
// Usage:
//
//     let model = try TfidfRidge.fit(trainDocuments: train, trainTargets: y,
//                                    validationDocuments: valid, validationTargets: yValid,
//                                    alphas: [0.3, 1, 3, 10], configuration: TfidfConfiguration())
//     let predictions = model.predict(testDocuments)
//     let reasons = model.contributions(for: testDocuments[0])   // which words drove the score
//     try model.save(to: URL(fileURLWithPath: "data/tfidf-ridge.bin"))
