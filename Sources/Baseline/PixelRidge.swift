// The raw-pixel baseline (the seed paper's "PILToTensor" idea done correctly): downsampled pixels
// (e.g. 32·32·3, any fixed length) standardized per feature with training statistics → ridge.

/// Ridge regression on standardized raw pixels.
public final class PixelRidge: Sendable {
    /// Training mean per pixel feature (P).
    public let means: [Double]
    /// Training standard deviation per pixel feature (P; 1 where constant).
    public let deviations: [Double]
    /// The ridge on standardized pixels.
    public let ridge: RidgeRegression
    /// Validation MSE for each α tried.
    public let validationErrors: [(alpha: Double, meanSquaredError: Double)]

    /// The chosen penalty.
    public var alpha: Double { ridge.alpha }

    init(means: [Double], deviations: [Double], ridge: RidgeRegression,
         validationErrors: [(alpha: Double, meanSquaredError: Double)]) {
        self.means = means
        self.deviations = deviations
        self.ridge = ridge
        self.validationErrors = validationErrors
    }

    /// Standardizes with training statistics and fits ridge for every α; keeps the lowest validation MSE.
    public static func fit(trainPixels: [[Float]], trainTargets: [Double],
                           validationPixels: [[Float]], validationTargets: [Double],
                           alphas: [Double]) throws -> PixelRidge {
        guard trainPixels.count == trainTargets.count else {
            throw BaselineError.countMismatch(what: "training pixel rows", inputs: trainPixels.count, targets: trainTargets.count)
        }
        guard validationPixels.count == validationTargets.count else {
            throw BaselineError.countMismatch(what: "validation pixel rows", inputs: validationPixels.count,
                                              targets: validationTargets.count)
        }
        guard !trainPixels.isEmpty else { throw BaselineError.emptyInput("no training pixel rows") }
        try checkFinite(trainTargets, "training target")
        try checkFinite(validationTargets, "validation target")
        let train = try DenseFeatures(trainPixels)
        let statistics = train.columnStatistics()
        let design = DenseDesign(train.standardized(means: statistics.means, deviations: statistics.deviations))
        let validation = try DenseFeatures(validationPixels, columns: train.columns)
            .standardized(means: statistics.means, deviations: statistics.deviations)
        let search = try AlphaSearch.run(
            alphas: alphas, validationTargets: validationTargets,
            fit: { alpha, start in
                RidgeRegression.fit(design: design, targets: trainTargets, alpha: alpha, tolerance: 1e-10, start: start)
            },
            predictValidation: { $0.predict(validation) })
        return PixelRidge(means: statistics.means, deviations: statistics.deviations, ridge: search.best,
                          validationErrors: search.validationErrors)
    }

    /// Predicted targets for pixel rows (each of the training length; a row of another length predicts the intercept).
    public func predict(_ pixels: [[Float]]) -> [Double] {
        pixels.map { row in
            guard row.count == means.count else { return ridge.intercept }
            var sum = ridge.intercept
            for index in 0..<row.count { sum += (Double(row[index]) - means[index]) / deviations[index] * ridge.weights[index] }
            return sum
        }
    }
}

extension DenseFeatures {
    /// Stacks rows that must all have `columns` values.
    init(_ rows: [[Float]], columns: Int) throws {
        if let bad = rows.firstIndex(where: { $0.count != columns }) {
            throw BaselineError.featureLengthMismatch(row: bad, expected: columns, found: rows[bad].count)
        }
        self.init(rows: rows.count, columns: columns, values: Array(rows.joined()))
    }
}
