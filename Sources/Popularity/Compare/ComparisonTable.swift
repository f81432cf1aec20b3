import Foundation

/// The comparison as an aligned text table: one row per model and subset, `value [lower, upper]` per metric.
public enum ComparisonTable {
    /// The metrics shown in the text table (all are in the JSON and HTML).
    public static let shownMetrics: [Metric] = [.mse, .spearman, .pearson, .r2, .pairwise, .topDecile]

    /// The table's lines.
    public static func lines(_ result: ComparisonResult) -> [String] {
        var rows: [[String]] = [["model", "subset", "n"] + shownMetrics.map(\.label)]
        for entry in result.results {
            if let reason = entry.skippedReason {
                rows.append([entry.model, entry.subset, "-", "skipped: \(reason)"])
                continue
            }
            rows.append([entry.model, entry.subset, String(entry.truths.count)] + shownMetrics.map { metric in
                guard let estimate = entry.estimates[metric] else { return "-" }
                return format(estimate)
            })
        }
        // Column widths from the rows that fill every column.
        let columnCount = rows[0].count
        var widths = [Int](repeating: 0, count: columnCount)
        for row in rows where row.count == columnCount {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                guard index < 2 || row.count == columnCount else { return cell }
                return index < 2 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                                 : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
    }

    /// `0.123 [0.100, 0.150]`.
    public static func format(_ estimate: MetricEstimate) -> String {
        "\(number(estimate.value)) [\(number(estimate.lower)), \(number(estimate.upper))]"
    }

    /// Three decimals, or "nan".
    static func number(_ value: Double) -> String { value.isFinite ? String(format: "%.3f", value) : "nan" }
}
