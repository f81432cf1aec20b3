/// Ranks with ties averaged ("fractional" ranks, as scipy.stats.rankdata's default `average`): the
/// smallest value gets rank 1; equal values share the mean of the ranks they span. NaN is not allowed.
public enum Ranking {
    /// 1-based average ranks of `values`, aligned with them.
    public static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            // Positions start…end (0-based) hold ranks start+1…end+1; their mean is (start+end)/2 + 1.
            let rank = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = rank }
            start = end + 1
        }
        return ranks
    }

    /// Percentiles in (0, 1): (average rank − 0.5) / n, the midpoint convention — symmetric (the median
    /// maps to 0.5, a lone title to 0.5), never exactly 0 or 1, ties share one value.
    public static func midpointPercentiles(_ values: [Double]) -> [Double] {
        let count = Double(values.count)
        return averageRanks(values).map { ($0 - 0.5) / count }
    }
}
