import Foundation

/// Small hand-written SVG charts for the HTML report: a scatter, a histogram, and bars with whiskers.
/// Every chart is a self-contained `<svg>` string with a viewBox, axes, ticks and a title.
enum SVGChart {
    /// Plot area margins and size.
    static let width = 360.0, height = 260.0, left = 48.0, right = 12.0, top = 28.0, bottom = 40.0

    /// Predicted (y) against actual (x), with the diagonal y = x.
    static func scatter(title: String, actual: [Double], predicted: [Double]) -> String {
        let xs = actual.filter(\.isFinite), ys = predicted.filter(\.isFinite)
        let low = min(xs.min() ?? 0, ys.min() ?? 0), high = max(xs.max() ?? 1, ys.max() ?? 1)
        let range = Axis(low: low, high: high == low ? low + 1 : high)
        var body = frame(title: title, xAxis: range, yAxis: range, xLabel: "actual", yLabel: "predicted")
        body += "<line x1='\(fmt(px(range.low, range)))' y1='\(fmt(py(range.low, range)))' x2='\(fmt(px(range.high, range)))' y2='\(fmt(py(range.high, range)))' stroke='#999' stroke-dasharray='4 3'/>"
        for (x, y) in zip(actual, predicted) where x.isFinite && y.isFinite {
            body += "<circle cx='\(fmt(px(x, range)))' cy='\(fmt(py(y, range)))' r='1.8' fill='#1f77b4' fill-opacity='0.45'/>"
        }
        return wrap(body)
    }

    /// Histogram of residuals (predicted − actual) in `bins` equal bins.
    static func histogram(title: String, values: [Double], bins: Int = 30) -> String {
        let finite = values.filter(\.isFinite)
        let low = finite.min() ?? -1, high = finite.max() ?? 1
        let xAxis = Axis(low: low, high: high == low ? low + 1 : high)
        let binWidth = (xAxis.high - xAxis.low) / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for value in finite { counts[min(bins - 1, max(0, Int((value - xAxis.low) / binWidth)))] += 1 }
        let yAxis = Axis(low: 0, high: Double(max(1, counts.max() ?? 1)))
        var body = frame(title: title, xAxis: xAxis, yAxis: yAxis, xLabel: "predicted − actual", yLabel: "titles")
        for (index, count) in counts.enumerated() where count > 0 {
            let x0 = px(xAxis.low + Double(index) * binWidth, xAxis), x1 = px(xAxis.low + Double(index + 1) * binWidth, xAxis)
            let y = py(Double(count), yAxis)
            body += "<rect x='\(fmt(x0))' y='\(fmt(y))' width='\(fmt(max(0.5, x1 - x0 - 0.5)))' height='\(fmt(py(0, yAxis) - y))' fill='#ff7f0e' fill-opacity='0.8'/>"
        }
        if xAxis.low < 0, xAxis.high > 0 {
            body += "<line x1='\(fmt(px(0, xAxis)))' y1='\(fmt(top))' x2='\(fmt(px(0, xAxis)))' y2='\(fmt(height - bottom))' stroke='#555' stroke-dasharray='3 3'/>"
        }
        return wrap(body)
    }

    /// One bar per label with a 95% CI whisker.
    static func bars(title: String, labels: [String], values: [Double], lowers: [Double], uppers: [Double]) -> String {
        let all = (values + lowers + uppers).filter(\.isFinite)
        let yAxis = Axis(low: min(0, all.min() ?? 0), high: max(all.max() ?? 1, 1e-9))
        let plotWidth = width - left - right
        let slot = plotWidth / Double(max(1, labels.count))
        var body = frame(title: title, xAxis: nil, yAxis: yAxis, xLabel: "", yLabel: "")
        let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
        for (index, label) in labels.enumerated() where values[index].isFinite {
            let x = left + slot * Double(index) + slot * 0.2, barWidth = slot * 0.6
            let y0 = py(0, yAxis), y1 = py(values[index], yAxis)
            body += "<rect x='\(fmt(x))' y='\(fmt(min(y0, y1)))' width='\(fmt(barWidth))' height='\(fmt(abs(y0 - y1)))' fill='\(colors[index % colors.count])'/>"
            if lowers[index].isFinite, uppers[index].isFinite {
                let centre = x + barWidth / 2
                let yLow = py(lowers[index], yAxis), yHigh = py(uppers[index], yAxis)
                body += "<path d='M\(fmt(centre)) \(fmt(yLow))V\(fmt(yHigh))M\(fmt(centre - 5)) \(fmt(yLow))h10M\(fmt(centre - 5)) \(fmt(yHigh))h10' stroke='#222' fill='none'/>"
            }
            body += "<text x='\(fmt(x + barWidth / 2))' y='\(fmt(height - bottom + 14))' font-size='9' text-anchor='middle'>\(escape(label))</text>"
        }
        return wrap(body)
    }

    // MARK: - Pieces

    /// A value range drawn on an axis.
    struct Axis {
        var low: Double, high: Double
        /// About five round tick values inside the range.
        var ticks: [Double] {
            let raw = (high - low) / 5
            let magnitude = pow(10, (log10(raw)).rounded(.down))
            let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
            var tick = (low / step).rounded(.up) * step
            var result: [Double] = []
            while tick <= high + step * 1e-9, result.count < 12 {
                result.append(tick)
                tick += step
            }
            return result
        }
    }

    /// Pixel x of a value.
    static func px(_ value: Double, _ axis: Axis) -> Double { left + (value - axis.low) / (axis.high - axis.low) * (width - left - right) }
    /// Pixel y of a value.
    static func py(_ value: Double, _ axis: Axis) -> Double { height - bottom - (value - axis.low) / (axis.high - axis.low) * (height - top - bottom) }

    /// Title, axes, ticks and labels.
    static func frame(title: String, xAxis: Axis?, yAxis: Axis, xLabel: String, yLabel: String) -> String {
        var body = "<text x='\(fmt(width / 2))' y='16' font-size='12' font-weight='bold' text-anchor='middle'>\(escape(title))</text>"
        body += "<path d='M\(fmt(left)) \(fmt(top))V\(fmt(height - bottom))H\(fmt(width - right))' stroke='#333' fill='none'/>"
        for tick in yAxis.ticks {
            let y = py(tick, yAxis)
            body += "<line x1='\(fmt(left - 4))' y1='\(fmt(y))' x2='\(fmt(left))' y2='\(fmt(y))' stroke='#333'/>"
            body += "<text x='\(fmt(left - 6))' y='\(fmt(y + 3))' font-size='9' text-anchor='end'>\(tickLabel(tick))</text>"
        }
        if let xAxis {
            for tick in xAxis.ticks {
                let x = px(tick, xAxis)
                body += "<line x1='\(fmt(x))' y1='\(fmt(height - bottom))' x2='\(fmt(x))' y2='\(fmt(height - bottom + 4))' stroke='#333'/>"
                body += "<text x='\(fmt(x))' y='\(fmt(height - bottom + 14))' font-size='9' text-anchor='middle'>\(tickLabel(tick))</text>"
            }
        }
        if !xLabel.isEmpty { body += "<text x='\(fmt(left + (width - left - right) / 2))' y='\(fmt(height - 6))' font-size='10' text-anchor='middle'>\(escape(xLabel))</text>" }
        if !yLabel.isEmpty { body += "<text transform='translate(12 \(fmt(top + (height - top - bottom) / 2))) rotate(-90)' font-size='10' text-anchor='middle'>\(escape(yLabel))</text>" }
        return body
    }

    /// The `<svg>` element around a body.
    static func wrap(_ body: String) -> String {
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 \(Int(width)) \(Int(height))' width='\(Int(width))' height='\(Int(height))' font-family='sans-serif'>\(body)</svg>"
    }

    /// Two decimals for coordinates.
    static func fmt(_ value: Double) -> String { String(format: "%.1f", value.isFinite ? value : 0) }

    /// A tick value without trailing noise.
    static func tickLabel(_ value: Double) -> String {
        let rounded = (value * 1e6).rounded() / 1e6
        return rounded == rounded.rounded() && abs(rounded) < 1e6 ? String(Int(rounded)) : String(format: "%g", rounded)
    }

    /// XML-escaped text.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&apos;")
    }
}
