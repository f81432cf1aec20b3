// Baseline — the honest baselines every learned model must beat.
//
// Pipeline (each stage one file):
//
//   documents ─ WordTokenizer (ICU NFKC + lowercase, UAX #29 words) ─ NgramCounter (unigrams + bigrams,
//            interned token ids) ─ TfidfVectorizer (vocabulary, idf) ─ SparseMatrix (CSR, N × V)
//                                                                           │
//   pixels (N × P, e.g. 32·32·3) ─ DenseFeatures (standardized) ───────────┤
//                                                                           ▼
//                         RidgeRegression (conjugate gradient on XᵀX + αI, implicit centering)
//                                                                           │
//                         TfidfRidge · PixelRidge · TextPixelRidge (alpha chosen on validation)
//
// Conventions: row-major; N documents (rows), V vocabulary terms, P pixel features.
// Semantics are scikit-learn's TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True, smooth_idf=True,
// norm='l2', min_df=int, max_features=int) and Ridge(fit_intercept=True); tools/baseline_reference.py
// writes the goldens the tests compare with (max abs difference ≤ 1e-5).
//
// Usage:
//
//     let model = try TfidfRidge.fit(trainDocuments: train, trainTargets: y,
//                                    validationDocuments: valid, validationTargets: yValid,
//                                    alphas: [0.3, 1, 3, 10], configuration: TfidfConfiguration())
//     let predictions = model.predict(testDocuments)
//     let reasons = model.contributions(for: testDocuments[0])   // which words drove the score
