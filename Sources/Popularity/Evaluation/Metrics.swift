import Foundation

/// The measures reported for a model's predictions against true targets.
public enum Metric: String, CaseIterable, Sendable, Codable {
    /// Mean squared error (lower is better).
    case mse
    /// Mean absolute error (lower is better).
    case mae
    /// Coefficient of determination, 1 − SS_res / SS_tot (sklearn's r2_score).
    case r2
    /// Pearson correlation.
    case pearson
    /// Spearman correlation: Pearson of average ranks (ties averaged, as scipy).
    case spearman
    /// Pairwise ranking accuracy (Ding et al.): over pairs with different true values, the fraction the
    /// predictions order the same way; a tie in the predictions counts one half.
    case pairwise
    /// Precision of the predicted top decile: of the ceil(n/10) rows predicted highest, the fraction that are
    /// among the ceil(n/10) truly highest (ties broken by row order in both).
    case topDecile = "top_decile"

    /// Whether a larger value is better.
    public var higherIsBetter: Bool { self != .mse && self != .mae }

    /// The column label used in tables.
    public var label: String {
        switch self {
        case .mse: return "MSE"
        case .mae: return "MAE"
        case .r2: return "R²"
        case .pearson: return "Pearson"
        case .spearman: return "Spearman"
        case .pairwise: return "Pairwise"
        case .topDecile: return "Top-10%"
        }
    }

    /// The metric on aligned predictions and truths (NaN when undefined, e.g. a correlation of constants).
    public func value(predictions: [Double], truths: [Double]) -> Double {
        switch self {
        case .mse: return Metrics.meanSquaredError(predictions, truths)
        case .mae: return Metrics.meanAbsoluteError(predictions, truths)
        case .r2: return Metrics.rSquared(predictions, truths)
        case .pearson: return Metrics.pearson(predictions, truths)
        case .spearman: return Metrics.spearman(predictions, truths)
        case .pairwise: return Metrics.pairwiseAccuracy(predictions, truths)
        case .topDecile: return Metrics.topDecilePrecision(predictions, truths)
        }
    }
}

/// Point metrics on aligned arrays of predictions and truths (same length, n ≥ 1).
public enum Metrics {
    /// The mean and the population standard deviation of `values` (nil when empty).
    public static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double)? {
        guard !values.isEmpty else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    /// Σ(p − t)² / n.
    public static func meanSquaredError(_ predictions: [Double], _ truths: [Double]) -> Double {
        guard !truths.isEmpty else { return .nan }
        return zip(predictions, truths).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(truths.count)
    }

    /// Σ|p − t| / n.
    public static func meanAbsoluteError(_ predictions: [Double], _ truths: [Double]) -> Double {
        guard !truths.isEmpty else { return .nan }
        return zip(predictions, truths).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(truths.count)
    }

    /// 1 − Σ(t − p)² / Σ(t − mean t)²; NaN when the truths are constant.
    public static func rSquared(_ predictions: [Double], _ truths: [Double]) -> Double {
        guard !truths.isEmpty else { return .nan }
        let mean = truths.reduce(0, +) / Double(truths.count)
        let total = truths.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        guard total > 0 else { return .nan }
        let residual = zip(predictions, truths).reduce(0) { $0 + ($1.1 - $1.0) * ($1.1 - $1.0) }
        return 1 - residual / total
    }

    /// Pearson's r; NaN when either side is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let count = Double(x.count)
        guard x.count > 1, x.contains(where: { $0 != x[0] }), y.contains(where: { $0 != y[0] }) else { return .nan }
        let meanX = x.reduce(0, +) / count
        let meanY = y.reduce(0, +) / count
        var covariance = 0.0, varianceX = 0.0, varianceY = 0.0
        for (a, b) in zip(x, y) {
            covariance += (a - meanX) * (b - meanY)
            varianceX += (a - meanX) * (a - meanX)
            varianceY += (b - meanY) * (b - meanY)
        }
        guard varianceX > 0, varianceY > 0 else { return .nan }
        return covariance / (varianceX * varianceY).squareRoot()
    }

    /// Spearman's ρ: Pearson of average ranks.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        pearson(Ranking.averageRanks(x), Ranking.averageRanks(y))
    }

    /// Pairwise ranking accuracy in O(n log n): rows sorted by truth, a Fenwick tree over prediction ranks
    /// counts, for each row, the earlier rows with a strictly smaller truth whose prediction is smaller
    /// (right order), equal (half) or larger (wrong order). NaN when all truths are equal.
    public static func pairwiseAccuracy(_ predictions: [Double], _ truths: [Double]) -> Double {
        let count = truths.count
        guard count > 1 else { return .nan }
        // Dense ranks of the predictions, 1-based, for the tree.
        let sortedPredictions = Array(Set(predictions)).sorted()
        var rankOf: [Double: Int] = [:]
        for (index, value) in sortedPredictions.enumerated() { rankOf[value] = index + 1 }
        var tree = FenwickTree(size: sortedPredictions.count)
        let order = truths.indices.sorted { truths[$0] < truths[$1] }
        var right = 0.0, ties = 0.0, pairs = 0.0
        var start = 0
        while start < count {
            var end = start
            while end + 1 < count, truths[order[end + 1]] == truths[order[start]] { end += 1 }
            let earlier = start  // rows with strictly smaller truth already in the tree
            for position in start...end {
                let rank = rankOf[predictions[order[position]]] ?? 1
                let below = tree.prefixSum(rank - 1)
                let equal = tree.prefixSum(rank) - below
                right += Double(below)
                ties += Double(equal)
                pairs += Double(earlier)
            }
            for position in start...end { tree.add(rankOf[predictions[order[position]]] ?? 1, 1) }
            start = end + 1
        }
        guard pairs > 0 else { return .nan }
        return (right + 0.5 * ties) / pairs
    }

    /// Of the k = ceil(n/10) rows predicted highest, the fraction among the k truly highest.
    public static func topDecilePrecision(_ predictions: [Double], _ truths: [Double]) -> Double {
        let count = truths.count
        guard count > 0 else { return .nan }
        let k = max(1, (count + 9) / 10)
        func top(_ values: [Double]) -> Set<Int> {
            Set(values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }.prefix(k))
        }
        return Double(top(predictions).intersection(top(truths)).count) / Double(k)
    }
}

/// A Fenwick (binary indexed) tree of counts over 1…size.
struct FenwickTree {
    private var counts: [Int]

    /// An empty tree.
    init(size: Int) { counts = [Int](repeating: 0, count: size + 1) }

    /// Adds `amount` at `position` (1-based).
    mutating func add(_ position: Int, _ amount: Int) {
        var index = position
        while index < counts.count {
            counts[index] += amount
            index += index & -index
        }
    }

    /// The sum over 1…position (0 for position ≤ 0).
    func prefixSum(_ position: Int) -> Int {
        var index = min(position, counts.count - 1)
        var sum = 0
        while index > 0 {
            sum += counts[index]
            index -= index & -index
        }
        return sum
    }
}
