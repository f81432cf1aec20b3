// The text baseline: TF-IDF of the synopsis → ridge, α chosen on validation. Explains a prediction as
// per-term contributions (weight × tf-idf value), which sum, with the intercept, to the prediction.

/// One term's share of a TF-IDF ridge prediction.
public struct TermContribution: Sendable, Equatable {
    /// The vocabulary term ("word" or "first second").
    public let term: String
    /// Its TF-IDF value in the document.
    public let value: Double
    /// Its ridge weight.
    public let weight: Double
    /// value × weight.
    public var contribution: Double { value * weight }
}

/// TF-IDF (unigrams + bigrams) ridge regression on synopses.
public final class TfidfRidge: Sendable {
    /// The fitted vectorizer.
    public let vectorizer: TfidfVectorizer
    /// Weight per vocabulary column (V).
    public let weights: [Double]
    /// Intercept b.
    public let intercept: Double
    /// The chosen penalty.
    public let alpha: Double
    /// Validation MSE for each α tried (empty after `load`).
    public let validationErrors: [(alpha: Double, meanSquaredError: Double)]

    /// Wraps fitted parts.
    init(vectorizer: TfidfVectorizer, weights: [Double], intercept: Double, alpha: Double,
         validationErrors: [(alpha: Double, meanSquaredError: Double)]) {
        self.vectorizer = vectorizer
        self.weights = weights
        self.intercept = intercept
        self.alpha = alpha
        self.validationErrors = validationErrors
    }

    /// Fits the vectorizer on the training documents and ridge for every α; keeps the α with the lowest validation MSE.
    public static func fit(trainDocuments: [String], trainTargets: [Double],
                           validationDocuments: [String], validationTargets: [Double],
                           alphas: [Double], configuration: TfidfConfiguration = TfidfConfiguration()) throws -> TfidfRidge {
        guard trainDocuments.count == trainTargets.count else {
            throw BaselineError.countMismatch(what: "training documents", inputs: trainDocuments.count, targets: trainTargets.count)
        }
        guard validationDocuments.count == validationTargets.count else {
            throw BaselineError.countMismatch(what: "validation documents", inputs: validationDocuments.count,
                                              targets: validationTargets.count)
        }
        guard !trainDocuments.isEmpty else { throw BaselineError.emptyInput("no training documents") }
        try checkFinite(trainTargets, "training target")
        try checkFinite(validationTargets, "validation target")
        let (vectorizer, train) = TfidfVectorizer.fitTransform(trainDocuments, configuration: configuration)
        guard vectorizer.featureCount > 0 else {
            throw BaselineError.emptyVocabulary(documents: trainDocuments.count,
                                                minDocumentFrequency: configuration.minDocumentFrequency)
        }
        let design = SparseDesign(train)
        let validation = vectorizer.transform(validationDocuments)
        let search = try AlphaSearch.run(
            alphas: alphas, validationTargets: validationTargets,
            fit: { alpha, start in
                RidgeRegression.fit(design: design, targets: trainTargets, alpha: alpha, tolerance: 1e-10, start: start)
            },
            predictValidation: { $0.predict(validation) })
        return TfidfRidge(vectorizer: vectorizer, weights: search.best.weights, intercept: search.best.intercept,
                          alpha: search.best.alpha, validationErrors: search.validationErrors)
    }

    /// Predicted targets for `documents`.
    public func predict(_ documents: [String]) -> [Double] {
        vectorizer.transform(documents).multiply(weights).map { $0 + intercept }
    }

    /// The terms of `document` with their contributions, largest |contribution| first;
    /// intercept + Σ contributions = predict([document])[0].
    public func contributions(for document: String) -> [TermContribution] {
        let row = vectorizer.transform([document]).row(0)
        return row.map { entry in
            TermContribution(term: vectorizer.term(entry.column), value: Double(entry.value), weight: weights[entry.column])
        }
        .sorted { abs($0.contribution) > abs($1.contribution) }
    }
}
