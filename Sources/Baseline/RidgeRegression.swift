// Ridge regression with intercept, scikit-learn's Ridge(fit_intercept=True) objective:
//     min over w, b of ‖y − X·w − b·1‖² + α‖w‖²
// Centering removes b: w solves (XcᵀXc + αI)·w = Xcᵀ(y − ȳ), then b = ȳ − μ·w. The system is solved by
// Jacobi-preconditioned conjugate gradient, matrix-free for sparse X (see RidgeDesign).

/// A fitted linear model ŷ = X·w + b.
public struct RidgeRegression: Sendable {
    /// The L2 penalty α.
    public let alpha: Double
    /// Weights w, one per feature (for stacked features: sparse block first, then the dense block).
    public let weights: [Double]
    /// Intercept b.
    public let intercept: Double
    /// Conjugate-gradient iterations used.
    public let iterations: Int
    /// Final relative residual ‖r‖/‖Xcᵀyc‖ of the normal equations.
    public let relativeResidual: Double

    /// Fits on a sparse matrix (e.g. TF-IDF rows); `tolerance` is the relative residual to reach.
    public static func fit(_ features: SparseMatrix, targets: [Double], alpha: Double,
                           tolerance: Double = 1e-10) -> RidgeRegression {
        fit(design: SparseDesign(features), targets: targets, alpha: alpha, tolerance: tolerance)
    }

    /// Fits on dense features as given (no standardization; PixelRidge standardizes first).
    public static func fit(_ features: DenseFeatures, targets: [Double], alpha: Double,
                           tolerance: Double = 1e-10) -> RidgeRegression {
        fit(design: DenseDesign(features), targets: targets, alpha: alpha, tolerance: tolerance)
    }

    /// Fits on [sparse | dense] rows side by side; the dense block is used as given (center and scale it first,
    /// as TextPixelRidge does). Weights: sparse columns first, then dense columns.
    public static func fit(_ sparse: SparseMatrix, _ dense: DenseFeatures, targets: [Double], alpha: Double,
                           tolerance: Double = 1e-7) -> RidgeRegression {
        let statistics = dense.columnStatistics()
        let centered = dense.standardized(means: statistics.means, deviations: [Double](repeating: 1, count: dense.columns))
        let model = fit(design: StackedDesign(sparse: sparse, centeredDense: centered), targets: targets, alpha: alpha,
                        tolerance: tolerance)
        // The design saw the dense block centered: fold its means into the intercept.
        let shift = (0..<dense.columns).reduce(0.0) { $0 + statistics.means[$1] * model.weights[sparse.columns + $1] }
        return RidgeRegression(alpha: alpha, weights: model.weights, intercept: model.intercept - shift,
                               iterations: model.iterations, relativeResidual: model.relativeResidual)
    }

    /// Solves on any centered design, optionally warm-started from `start` (P).
    static func fit(design: some RidgeDesign, targets: [Double], alpha: Double, tolerance: Double,
                    start: [Double]? = nil, maxIterations: Int = 5000) -> RidgeRegression {
        let mean = targets.isEmpty ? 0 : targets.reduce(0, +) / Double(targets.count)
        let centeredTargets = targets.map { $0 - mean }
        let rhs = design.transposedProduct(centeredTargets)
        let diagonal = design.normalDiagonal().map { $0 + alpha }
        let result = conjugateGradient(
            apply: { v in
                var product = design.normalProduct(v)
                for index in 0..<product.count { product[index] += alpha * v[index] }
                return product
            },
            rhs: rhs, diagonal: diagonal,
            start: start ?? [Double](repeating: 0, count: design.featureCount),
            tolerance: tolerance, maxIterations: maxIterations)
        let intercept = mean - dot(design.means, result.solution)
        return RidgeRegression(alpha: alpha, weights: result.solution, intercept: intercept,
                               iterations: result.iterations, relativeResidual: result.relativeResidual)
    }

    /// ŷ = X·w + b for sparse rows.
    public func predict(_ features: SparseMatrix) -> [Double] {
        features.multiply(Array(weights.prefix(features.columns))).map { $0 + intercept }
    }

    /// ŷ = X·w + b for dense rows.
    public func predict(_ features: DenseFeatures) -> [Double] {
        features.multiply(Array(weights.prefix(features.columns))).map { $0 + intercept }
    }
}
