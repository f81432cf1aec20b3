import Foundation

/// Where a score lands among known titles: the sorted scores the model gave its training titles, reduced to
/// 1,001 quantiles so the table stays small, and the percentile of a new score by interpolation.
public struct PercentileTable: Codable, Sendable, Equatable {
    /// Ascending quantiles q[0] = min … q[last] = max of the reference scores.
    public var quantiles: [Double]

    /// Builds the table from reference scores (e.g. predictions on the training titles).
    public init(scores: [Double], resolution: Int = 1_000) {
        let sorted = scores.filter(\.isFinite).sorted()
        guard let last = sorted.indices.last else {
            quantiles = []
            return
        }
        quantiles = (0...resolution).map { step in
            let position = Double(step) / Double(resolution) * Double(last)
            let lower = Int(position.rounded(.down)), upper = min(lower + 1, last)
            let fraction = position - Double(lower)
            return sorted[lower] * (1 - fraction) + sorted[upper] * fraction
        }
    }

    /// Percentile in [0, 100] of `score` among the reference scores (0 below the minimum, 100 above the maximum).
    public func percentile(of score: Double) -> Double {
        guard let first = quantiles.first, let last = quantiles.last, quantiles.count > 1 else { return 50 }
        if score <= first { return 0 }
        if score >= last { return 100 }
        // Binary search for the last quantile ≤ score, then interpolate inside the step.
        var low = 0, high = quantiles.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if quantiles[middle] <= score { low = middle } else { high = middle }
        }
        let width = quantiles[high] - quantiles[low]
        let fraction = width > 0 ? (score - quantiles[low]) / width : 0.5
        return (Double(low) + fraction) / Double(quantiles.count - 1) * 100
    }
}
