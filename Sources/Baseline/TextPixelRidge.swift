// TF-IDF ⊕ pixels: one ridge over the concatenated features [TF-IDF | s · standardized pixels], solved by
// one conjugate gradient over the stacked operator. The pixel block's scale s balances the blocks: at
// s = 1·s₀ the pixel block's total variance equals the TF-IDF block's (s₀² = Σ var(tfidf) / P); each
// `pixelBlockWeights` entry w tries s = w·s₀, and the (w, α) pair with the lowest validation MSE is kept.

/// Ridge regression on TF-IDF features concatenated with standardized raw pixels.
public final class TextPixelRidge: Sendable {
    /// The fitted vectorizer.
    public let vectorizer: TfidfVectorizer
    /// Training mean per pixel feature (P).
    public let pixelMeans: [Double]
    /// Training standard deviation per pixel feature (P; 1 where constant).
    public let pixelDeviations: [Double]
    /// The pixel block's scale s after standardization.
    public let pixelScale: Double
    /// The ridge on [TF-IDF | s · standardized pixels]: weights V + P.
    public let ridge: RidgeRegression
    /// Validation MSE for each (block weight, α) tried.
    public let validationErrors: [(pixelBlockWeight: Double, alpha: Double, meanSquaredError: Double)]

    /// The chosen penalty.
    public var alpha: Double { ridge.alpha }

    init(vectorizer: TfidfVectorizer, pixelMeans: [Double], pixelDeviations: [Double], pixelScale: Double,
         ridge: RidgeRegression, validationErrors: [(pixelBlockWeight: Double, alpha: Double, meanSquaredError: Double)]) {
        self.vectorizer = vectorizer
        self.pixelMeans = pixelMeans
        self.pixelDeviations = pixelDeviations
        self.pixelScale = pixelScale
        self.ridge = ridge
        self.validationErrors = validationErrors
    }

    /// Fits every (pixel block weight, α) pair on the training rows; keeps the lowest validation MSE.
    public static func fit(trainDocuments: [String], trainPixels: [[Float]], trainTargets: [Double],
                           validationDocuments: [String], validationPixels: [[Float]], validationTargets: [Double],
                           alphas: [Double], pixelBlockWeights: [Double] = [1],
                           configuration: TfidfConfiguration = TfidfConfiguration()) throws -> TextPixelRidge {
        for (what, inputs, targets) in [("training documents", trainDocuments.count, trainTargets.count),
                                        ("training pixel rows", trainPixels.count, trainTargets.count),
                                        ("validation documents", validationDocuments.count, validationTargets.count),
                                        ("validation pixel rows", validationPixels.count, validationTargets.count)]
        where inputs != targets {
            throw BaselineError.countMismatch(what: what, inputs: inputs, targets: targets)
        }
        guard !trainDocuments.isEmpty else { throw BaselineError.emptyInput("no training rows") }
        try checkFinite(trainTargets, "training target")
        try checkFinite(validationTargets, "validation target")
        let (vectorizer, trainText) = TfidfVectorizer.fitTransform(trainDocuments, configuration: configuration)
        guard vectorizer.featureCount > 0 else {
            throw BaselineError.emptyVocabulary(documents: trainDocuments.count,
                                                minDocumentFrequency: configuration.minDocumentFrequency)
        }
        let validationText = vectorizer.transform(validationDocuments)
        let trainPixelRows = try DenseFeatures(trainPixels)
        let validationPixelRows = try DenseFeatures(validationPixels, columns: trainPixelRows.columns)
        let statistics = trainPixelRows.columnStatistics()
        let textVariance = SparseDesign(trainText).normalDiagonal().reduce(0, +) / Double(trainDocuments.count)
        let baseScale = trainPixelRows.columns > 0 ? (textVariance / Double(trainPixelRows.columns)).squareRoot() : 1

        var best: (model: RidgeRegression, scale: Double, error: Double)?
        var errors: [(pixelBlockWeight: Double, alpha: Double, meanSquaredError: Double)] = []
        for blockWeight in pixelBlockWeights where blockWeight > 0 {
            let scale = baseScale * blockWeight
            let design = StackedDesign(sparse: trainText, centeredDense: trainPixelRows.standardized(
                means: statistics.means, deviations: statistics.deviations, scale: scale))
            let validationPixels = validationPixelRows.standardized(
                means: statistics.means, deviations: statistics.deviations, scale: scale)
            let search = try AlphaSearch.run(
                alphas: alphas, validationTargets: validationTargets,
                fit: { alpha, start in
                    RidgeRegression.fit(design: design, targets: trainTargets, alpha: alpha, tolerance: 1e-7, start: start)
                },
                predictValidation: { $0.predict(validationText, validationPixels) })
            for entry in search.validationErrors { errors.append((blockWeight, entry.alpha, entry.meanSquaredError)) }
            let error = search.validationErrors.first { $0.alpha == search.best.alpha }?.meanSquaredError ?? .infinity
            if best == nil || error < (best?.error ?? .infinity) { best = (search.best, scale, error) }
        }
        guard let chosen = best else { throw BaselineError.emptyInput("no positive pixel block weight in \(pixelBlockWeights)") }
        return TextPixelRidge(vectorizer: vectorizer, pixelMeans: statistics.means, pixelDeviations: statistics.deviations,
                              pixelScale: chosen.scale, ridge: chosen.model, validationErrors: errors)
    }

    /// Predicted targets for documents with their pixel rows (a pixel row of the wrong length counts as all-mean pixels).
    public func predict(_ documents: [String], pixels: [[Float]]) -> [Double] {
        let text = vectorizer.transform(documents).multiply(Array(ridge.weights.prefix(vectorizer.featureCount)))
        let pixelWeights = ridge.weights.dropFirst(vectorizer.featureCount)
        return (0..<documents.count).map { row in
            var sum = ridge.intercept + text[row]
            if row < pixels.count && pixels[row].count == pixelMeans.count {
                for (index, weight) in pixelWeights.enumerated() {
                    sum += (Double(pixels[row][index]) - pixelMeans[index]) / pixelDeviations[index] * pixelScale * weight
                }
            }
            return sum
        }
    }
}

extension RidgeRegression {
    /// ŷ = [S | D]·w + b for rows given as a sparse block beside a dense block.
    public func predict(_ sparse: SparseMatrix, _ dense: DenseFeatures) -> [Double] {
        let text = sparse.multiply(Array(weights.prefix(sparse.columns)))
        let pixels = dense.multiply(Array(weights.dropFirst(sparse.columns)))
        return (0..<text.count).map { text[$0] + pixels[$0] + intercept }
    }
}
