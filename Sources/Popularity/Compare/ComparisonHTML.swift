import Foundation

/// The comparison as one self-contained HTML page (`report.html`): the table, metric bars with CI whiskers,
/// and per model a predicted-vs-actual scatter and a residual histogram, all inline SVG.
public enum ComparisonHTML {
    /// The page.
    public static func page(_ result: ComparisonResult) -> String {
        let settings = result.settings
        let splitText = settings.split == .time ? "time split (train &lt; 2021, validation 2021–2022, test ≥ 2023)"
                                                : "\(settings.folds)-fold split (seed \(settings.seed))"
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>animepop compare</title>
        <style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:13px}
        td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;white-space:nowrap}td:first-child,td:nth-child(2),th{text-align:left}
        .charts{display:flex;flex-wrap:wrap;gap:12px}.skipped{color:#888}</style></head><body>
        <h1>animepop compare</h1>
        <p>Target <b>\(settings.target.rawValue)</b>, \(splitText); \(result.trainRows) training, \(result.validationRows) validation,
        \(result.testRows) test titles (\(result.testRowsWithCover) with a cover). 95% intervals: percentile bootstrap,
        \(settings.resamples) resamples, seed \(settings.seed).</p>
        <table><tr><th>model</th><th>subset</th><th>n</th>
        """
        html += Metric.allCases.map { "<th>\($0.label)</th>" }.joined() + "</tr>\n"
        for entry in result.results {
            if let reason = entry.skippedReason {
                html += "<tr class='skipped'><td>\(SVGChart.escape(entry.model))</td><td>\(entry.subset)</td><td>-</td><td colspan='\(Metric.allCases.count)' style='text-align:left'>skipped: \(SVGChart.escape(reason))</td></tr>\n"
                continue
            }
            html += "<tr><td>\(SVGChart.escape(entry.model))</td><td>\(entry.subset)</td><td>\(entry.truths.count)</td>"
            html += Metric.allCases.map { metric in
                guard let estimate = entry.estimates[metric] else { return "<td>-</td>" }
                return "<td>\(ComparisonTable.format(estimate))</td>"
            }.joined() + "</tr>\n"
        }
        html += "</table>\n"
        if let reference = result.paired.first?.reference {
            html += "<h2>Paired vs \(SVGChart.escape(reference))</h2><p>Model − \(SVGChart.escape(reference)) on the same titles and the same \(settings.resamples) resamples; P(better): share of resamples where the model is better.</p>\n"
            html += "<table><tr><th>model</th><th>subset</th><th>n</th><th>ΔMSE</th><th>ΔSpearman</th><th>P(better) MSE</th><th>P(better) Spearman</th></tr>\n"
            for entry in result.paired {
                let decimals: [Metric: Int] = [.mse: 4, .spearman: 3]
                var cells: [String] = []
                for metric in PairedComparison.metrics {
                    let text = entry.estimates[metric].map { PairedTable.format($0, decimals: decimals[metric] ?? 3) } ?? "-"
                    cells.append("<td>\(text)</td>")
                }
                for metric in PairedComparison.metrics {
                    cells.append("<td>\(PairedTable.fraction(entry.estimates[metric]?.fractionBetter))</td>")
                }
                html += "<tr><td>\(SVGChart.escape(entry.model))</td><td>\(entry.subset)</td><td>\(entry.count)</td>" + cells.joined() + "</tr>\n"
            }
            html += "</table>\n"
        }
        let measured = result.results.filter { $0.skippedReason == nil }
        for subset in ["all", "with cover"] {
            let entries = measured.filter { $0.subset == subset }
            guard !entries.isEmpty else { continue }
            html += "<h2>Metrics, \(subset == "all" ? "all test titles" : "test titles with a cover")</h2><div class='charts'>\n"
            for metric in [Metric.spearman, .mse, .topDecile, .pairwise] {
                let estimates = entries.map { $0.estimates[metric] ?? MetricEstimate(value: .nan, lower: .nan, upper: .nan) }
                html += SVGChart.bars(title: "\(metric.label) (95% CI)", labels: entries.map(\.model),
                                      values: estimates.map(\.value), lowers: estimates.map(\.lower), uppers: estimates.map(\.upper)) + "\n"
            }
            html += "</div>\n"
        }
        html += "<h2>Predictions</h2>\n"
        for entry in measured {
            html += "<h3>\(SVGChart.escape(entry.model)) — \(entry.subset) (\(entry.truths.count) titles; \(SVGChart.escape(entry.summary)))</h3><div class='charts'>\n"
            html += SVGChart.scatter(title: "predicted vs actual", actual: entry.truths, predicted: entry.predictions) + "\n"
            html += SVGChart.histogram(title: "residuals", values: zip(entry.predictions, entry.truths).map { $0 - $1 }) + "\n"
            html += "</div>\n"
        }
        html += "</body></html>\n"
        return html
    }
}
