import Foundation

/// The paired comparison as an aligned text table printed after the main one: per model and subset,
/// ΔMSE and ΔSpearman (model − reference) with paired 95% intervals, and P(better) for each.
public enum PairedTable {
    /// The table's lines (none when nothing was paired).
    public static func lines(_ result: ComparisonResult) -> [String] {
        guard let reference = result.paired.first?.reference else { return [] }
        let title = "paired vs \(reference) (same \(result.settings.resamples) resamples)"
        let rows: [(prefix: [String], cells: [String])] = result.paired.map { entry in
            let mse = entry.estimates[.mse], spearman = entry.estimates[.spearman]
            return ([entry.model, entry.subset, String(entry.count)],
                    [mse.map { format($0, decimals: 4) } ?? "-", spearman.map { format($0, decimals: 3) } ?? "-",
                     "\(fraction(mse?.fractionBetter)) / \(fraction(spearman?.fractionBetter))"])
        }
        let header = ["ΔMSE", "ΔSpearman", "P(better)"]
        // Model, subset and n form one left block, as wide as the title if the title is wider.
        let modelWidth = rows.map(\.prefix[0].count).max() ?? 0
        let subsetWidth = rows.map(\.prefix[1].count).max() ?? 0
        let countWidth = rows.map(\.prefix[2].count).max() ?? 0
        let blockWidth = max(title.count, modelWidth + subsetWidth + countWidth + 4)
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.cells.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ block: String, _ cells: [String]) -> String {
            ([pad(block, blockWidth)] + cells.enumerated().map { index, cell in pad(cell, widths[index]) })
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(title, header)]
        for row in rows {
            let block = pad(row.prefix[0], modelWidth) + "  " + pad(row.prefix[1], subsetWidth) + "  "
                + String(repeating: " ", count: countWidth - row.prefix[2].count) + row.prefix[2]
            lines.append(line(block, row.cells))
        }
        lines.append("Δ = model − \(reference) on the same titles and resamples; P(better) = share of resamples where the model is better (MSE / Spearman)")
        return lines
    }

    /// `-0.0032 [-0.0070, +0.0010]`, signed.
    public static func format(_ estimate: PairedEstimate, decimals: Int) -> String {
        let number = { (value: Double) in value.isFinite ? String(format: "%+.\(decimals)f", value) : "nan" }
        return "\(number(estimate.difference)) [\(number(estimate.lower)), \(number(estimate.upper))]"
    }

    /// Two decimals, or "nan".
    static func fraction(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "nan" }
        return String(format: "%.2f", value)
    }

    /// Left-aligned in `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

extension String {
    /// The string without trailing spaces.
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
