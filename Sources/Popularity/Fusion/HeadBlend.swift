import Foundation

/// A fixed blend of a head's raw output h and the TF-IDF ridge's prediction r in z-score space,
/// b = w · (h − μ_h) / σ_h + (1 − w) · (r − μ_r) / σ_r, with the weight w chosen on validation Spearman.
///
/// The stacked head reads r as one of ~200 layer-normed inputs and so underuses it; a blend states the
/// mix outright and picks it on held-out titles. The means and deviations are those of the validation
/// predictions, stored with the model so a single title is blended the same way.
public struct HeadBlend: Codable, Sendable, Equatable {
    /// w: weight of the head's standardized output (1 − w goes to the ridge).
    public var headWeight: Double
    /// μ_h, σ_h: mean and standard deviation of the head's raw output on the validation titles.
    public var headMean: Double, headDeviation: Double
    /// μ_r, σ_r: mean and standard deviation of the ridge's prediction on the validation titles.
    public var baselineMean: Double, baselineDeviation: Double
    /// Validation Spearman at each weight of the grid tried, for the record.
    public var validationSpearman: [Double]

    /// The weights tried: 0, 0.05, …, 1.
    public static let grid: [Double] = (0...20).map { Double($0) / 20 }

    /// Creates a blend.
    public init(headWeight: Double, headMean: Double, headDeviation: Double, baselineMean: Double, baselineDeviation: Double,
                validationSpearman: [Double] = []) {
        self.headWeight = headWeight
        self.headMean = headMean
        self.headDeviation = headDeviation
        self.baselineMean = baselineMean
        self.baselineDeviation = baselineDeviation
        self.validationSpearman = validationSpearman
    }

    /// Chooses w on `grid` by Spearman of the blend against `targets` over aligned validation rows (N; rows past the
    /// shortest array and non-finite rows are ignored); ties go to the smaller head weight (the simpler model).
    public init(choosingOn head: [Double], baseline: [Double], targets: [Double], grid: [Double] = HeadBlend.grid) {
        let rows = (0..<min(head.count, baseline.count, targets.count))
            .filter { head[$0].isFinite && baseline[$0].isFinite && targets[$0].isFinite }
        let h = rows.map { head[$0] }, r = rows.map { baseline[$0] }, t = rows.map { targets[$0] }
        let (headMean, headDeviation) = Self.moments(h), (baselineMean, baselineDeviation) = Self.moments(r)
        var blend = HeadBlend(headWeight: 0, headMean: headMean, headDeviation: headDeviation,
                              baselineMean: baselineMean, baselineDeviation: baselineDeviation)
        let spearmans = grid.map { weight in
            blend.headWeight = weight
            return Metrics.spearman(zip(h, r).map { blend.apply(head: $0, baseline: $1) }, t)
        }
        var chosen = 0
        for index in spearmans.indices where spearmans[index].isFinite
            && !(spearmans[chosen] >= spearmans[index] - 1e-12) { chosen = index }
        blend.headWeight = grid.isEmpty ? 0 : grid[chosen]
        blend.validationSpearman = spearmans
        self = blend
    }

    /// The blended score b of one title (unbounded; a `HeadCalibration` maps it to the target scale).
    public func apply(head: Double, baseline: Double) -> Double {
        headWeight * (head - headMean) / headDeviation + (1 - headWeight) * (baseline - baselineMean) / baselineDeviation
    }

    /// Mean and standard deviation (≥ 1e-9, so a constant input blends as zeros).
    static func moments(_ values: [Double]) -> (mean: Double, deviation: Double) {
        guard let moments = Metrics.meanAndDeviation(values) else { return (0, 1) }
        return (moments.mean, max(moments.deviation, 1e-9))
    }
}
