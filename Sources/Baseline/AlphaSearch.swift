// Choosing the ridge penalty on a validation set: fit every α of the grid (largest first, each warm-started
// from the previous solution), keep the one with the lowest validation mean squared error.

/// The α grid's fits and validation errors.
struct AlphaSearch {
    /// The chosen fit.
    let best: RidgeRegression
    /// (α, validation MSE) for every α tried, in the order tried.
    let validationErrors: [(alpha: Double, meanSquaredError: Double)]

    /// Runs the search; with one α the validation set may be empty.
    static func run(alphas: [Double], validationTargets: [Double],
                    fit: (Double, [Double]?) -> RidgeRegression,
                    predictValidation: (RidgeRegression) -> [Double]) throws -> AlphaSearch {
        let grid = Array(Set(alphas.filter { $0 > 0 && $0.isFinite })).sorted(by: >)
        guard !grid.isEmpty else { throw BaselineError.emptyInput("no positive alpha in \(alphas)") }
        if grid.count > 1 && validationTargets.isEmpty {
            throw BaselineError.emptyInput("a validation set is needed to choose among \(grid.count) alphas")
        }
        var best: (model: RidgeRegression, error: Double)?
        var errors: [(alpha: Double, meanSquaredError: Double)] = []
        var previous: [Double]?
        for alpha in grid {
            let model = fit(alpha, previous)
            previous = model.weights
            let error = validationTargets.isEmpty ? 0 : meanSquaredError(predictValidation(model), validationTargets)
            errors.append((alpha, error))
            if best == nil || error < (best?.error ?? .infinity) { best = (model, error) }
        }
        guard let chosen = best?.model else { throw BaselineError.emptyInput("no alpha could be fitted") }
        return AlphaSearch(best: chosen, validationErrors: errors)
    }
}

/// Mean of (predictionᵢ − targetᵢ)².
func meanSquaredError(_ predictions: [Double], _ targets: [Double]) -> Double {
    guard !targets.isEmpty else { return 0 }
    var sum = 0.0
    for index in 0..<targets.count { sum += (predictions[index] - targets[index]) * (predictions[index] - targets[index]) }
    return sum / Double(targets.count)
}

/// Throws unless `values` are all finite.
func checkFinite(_ values: [Double], _ what: String) throws {
    if let bad = values.firstIndex(where: { !$0.isFinite }) { throw BaselineError.nonFinite(what: what, row: bad) }
}
