/// One model row against the reference row measured on the same test titles, on the same resamples.
public struct PairedResult: Sendable {
    /// The model's name.
    public var model: String
    /// The reference model's name (e.g. "TF-IDF ridge").
    public var reference: String
    /// The subset both were measured on: "all" or "with cover".
    public var subset: String
    /// How many test titles.
    public var count: Int
    /// Paired differences (model − reference) per metric.
    public var estimates: [Metric: PairedEstimate]
}

/// Pairs every measured row with the reference's row of the same subset when both measured exactly the same
/// titles in the same order (same ids, same truths); rows that differ are not paired.
public enum PairedComparison {
    /// The metrics compared pairwise.
    public static let metrics: [Metric] = [.mse, .spearman]

    /// The paired results, in the order of `results`.
    public static func pairs(results: [ModelResult], reference: String, resamples: Int, seed: UInt64,
                             progress: (String) -> Void = { _ in }) -> [PairedResult] {
        var paired: [PairedResult] = []
        for entry in results where entry.skippedReason == nil && entry.model != reference {
            guard let base = results.first(where: { $0.model == reference && $0.subset == entry.subset && $0.skippedReason == nil }),
                  !entry.truths.isEmpty, base.titleIDs == entry.titleIDs, base.truths == entry.truths else { continue }
            progress("paired bootstrap \(entry.model) vs \(reference) (\(entry.subset), \(entry.truths.count) titles)")
            let estimates = PairedBootstrap.estimates(predictions: entry.predictions, reference: base.predictions,
                                                      truths: entry.truths, metrics: metrics, resamples: resamples, seed: seed)
            paired.append(PairedResult(model: entry.model, reference: reference, subset: entry.subset,
                                       count: entry.truths.count, estimates: estimates))
        }
        return paired
    }
}
