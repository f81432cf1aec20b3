import Foundation

/// A one-line progress bar on standard error with count, rate and ETA; redraws in place on a terminal,
/// prints a plain line every few seconds otherwise (CI logs stay readable).
final class ProgressBar {
    private let total: Int?
    private let label: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let interactive = isatty(STDERR_FILENO) != 0
    private(set) var completed = 0

    private let alreadyDone: Int

    /// Creates a bar for `total` items (nil when unknown); `alreadyDone` items (resumed work) do not count toward the rate.
    init(label: String, total: Int?, alreadyDone: Int = 0) {
        self.label = label
        self.total = total
        self.alreadyDone = alreadyDone
        completed = alreadyDone
    }

    /// Sets the finished count and redraws when due.
    func set(_ count: Int) { advance(by: count - completed) }

    /// Records `count` more finished items and redraws when due.
    func advance(by count: Int = 1, note: String = "") {
        completed += count
        let now = Date()
        let interval: TimeInterval = interactive ? 0.1 : 5
        if now.timeIntervalSince(lastDraw) >= interval || completed == total {
            lastDraw = now
            draw(note: note)
        }
    }

    /// Draws the final state and ends the line.
    func finish(note: String = "") {
        draw(note: note)
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func draw(note: String) {
        let elapsed = max(Date().timeIntervalSince(start), 1e-9)
        let rate = Double(completed - alreadyDone) / elapsed
        var line = "\(label) \(completed)"
        if let total, total > 0 {
            let fraction = min(1, Double(completed) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            line = "\(label) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                + "] \(completed)/\(total)"
            if rate > 0 { line += " ETA \(Self.duration(Double(total - completed) / rate))" }
        }
        line += String(format: " %.1f/s", rate) + " elapsed \(Self.duration(elapsed))"
        if !note.isEmpty { line += " " + note }
        FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    /// Formats seconds as "1h02m", "3m05s" or "42s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
