import Tensor

/// A metric's value with its bootstrap 95% confidence interval.
public struct MetricEstimate: Sendable, Equatable, Codable {
    /// The value on the full test set.
    public var value: Double
    /// The 2.5th percentile of the bootstrap distribution.
    public var lower: Double
    /// The 97.5th percentile of the bootstrap distribution.
    public var upper: Double
}

/// Percentile bootstrap: `resamples` sets of n rows drawn with replacement (row = `SplitMix64(seed).below(n)`,
/// n draws per resample, resamples in sequence), the metric on each, and the 2.5th / 97.5th percentiles
/// with linear interpolation (numpy's default). Resamples where the metric is undefined are left out.
public enum Bootstrap {
    /// Every metric's value and interval, from the same resamples.
    public static func estimates(predictions: [Double], truths: [Double], metrics: [Metric] = Metric.allCases,
                                 resamples: Int = 1000, seed: UInt64 = 2023) -> [Metric: MetricEstimate] {
        var samples: [Metric: [Double]] = [:]
        forEachResample(of: [predictions, truths], resamples: resamples, seed: seed) { resampled in
            let resampledPredictions = resampled[0], resampledTruths = resampled[1]
            for metric in metrics {
                let value = metric.value(predictions: resampledPredictions, truths: resampledTruths)
                if value.isFinite { samples[metric, default: []].append(value) }
            }
        }
        var result: [Metric: MetricEstimate] = [:]
        for metric in metrics {
            let sorted = (samples[metric] ?? []).sorted()
            result[metric] = MetricEstimate(value: metric.value(predictions: predictions, truths: truths),
                                            lower: quantile(sorted, 0.025), upper: quantile(sorted, 0.975))
        }
        return result
    }

    /// Calls `body` once per resample with every column of `columns` (aligned, n rows each) resampled on the
    /// same rows: n draws `SplitMix64(seed).below(n)`, resamples in sequence. Nothing is drawn when n = 0.
    static func forEachResample(of columns: [[Double]], resamples: Int, seed: UInt64, _ body: ([[Double]]) -> Void) {
        let count = columns.first?.count ?? 0
        var generator = SplitMix64(seed: seed)
        var resampled = columns.map { _ in [Double](repeating: 0, count: count) }
        for _ in 0..<(count > 0 ? resamples : 0) {
            for slot in 0..<count {
                let row = generator.below(count)
                for column in columns.indices { resampled[column][slot] = columns[column][row] }
            }
            body(resampled)
        }
    }

    /// The q-quantile of sorted values, linear interpolation between closest ranks (h = (n − 1)·q).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = Double(sorted.count - 1) * q
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
