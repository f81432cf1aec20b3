import Tensor

/// A paired difference (model − reference) of one metric with its bootstrap 95% interval.
public struct PairedEstimate: Sendable, Equatable, Codable {
    /// metric(model) − metric(reference) on the full test set.
    public var difference: Double
    /// The 2.5th percentile of the per-resample differences.
    public var lower: Double
    /// The 97.5th percentile of the per-resample differences.
    public var upper: Double
    /// The fraction of resamples where the model is better (lower MSE/MAE, higher otherwise) by more than
    /// `PairedBootstrap.tieTolerance`.
    public var fractionBetter: Double
    /// Resamples where the metric was defined for both (the others are left out).
    public var resamplesUsed: Int
}

/// Paired percentile bootstrap: the model and the reference are measured on the SAME resampled rows, so
/// the interval of their difference keeps the correlation between their errors (it is narrower than the
/// gap between two unpaired intervals when both models err on the same titles). Rows are drawn exactly
/// as `Bootstrap.estimates` draws them (`SplitMix64(seed).below(n)`, n per resample, resamples in
/// sequence), so with the same seed and n these are the resamples behind the unpaired intervals too.
public enum PairedBootstrap {
    /// A resample counts as "better" only when the model wins by more than this: equal metrics computed in a
    /// different summation order differ by ~1e-17, and such ties must not count.
    public static let tieTolerance = 1e-12

    /// Every metric's paired difference, interval and P(better), from the same resamples.
    /// - Precondition: `predictions`, `reference` and `truths` are aligned (same titles, same order).
    public static func estimates(predictions: [Double], reference: [Double], truths: [Double],
                                 metrics: [Metric] = [.mse, .spearman],
                                 resamples: Int = 1000, seed: UInt64 = 2023) -> [Metric: PairedEstimate] {
        precondition(predictions.count == truths.count && reference.count == truths.count, "paired arrays must be aligned")
        var differences: [Metric: [Double]] = [:]
        var better: [Metric: Int] = [:]
        Bootstrap.forEachResample(of: [predictions, reference, truths], resamples: resamples, seed: seed) { resampled in
            let resampledPredictions = resampled[0], resampledReference = resampled[1], resampledTruths = resampled[2]
            for metric in metrics {
                let model = metric.value(predictions: resampledPredictions, truths: resampledTruths)
                let baseline = metric.value(predictions: resampledReference, truths: resampledTruths)
                guard model.isFinite, baseline.isFinite else { continue }
                differences[metric, default: []].append(model - baseline)
                let gain = metric.higherIsBetter ? model - baseline : baseline - model
                if gain > tieTolerance { better[metric, default: 0] += 1 }
            }
        }
        var result: [Metric: PairedEstimate] = [:]
        for metric in metrics {
            let sorted = (differences[metric] ?? []).sorted()
            let difference = metric.value(predictions: predictions, truths: truths) - metric.value(predictions: reference, truths: truths)
            result[metric] = PairedEstimate(difference: difference,
                                            lower: Bootstrap.quantile(sorted, 0.025), upper: Bootstrap.quantile(sorted, 0.975),
                                            fractionBetter: sorted.isEmpty ? .nan : Double(better[metric] ?? 0) / Double(sorted.count),
                                            resamplesUsed: sorted.count)
        }
        return result
    }
}
