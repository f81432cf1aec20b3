import Foundation

/// One title as one source describes it, before merging; nil where the source has no (valid) value.
public struct SourceRecord: Sendable {
    /// The MyAnimeList id.
    public var id: Int
    /// The title's name.
    public var title: String?
    /// The synopsis with credits removed (nil when empty).
    public var synopsis: String?
    /// The start date, if valid.
    public var startDate: StartDate?
    /// Members at the source's snapshot.
    public var members: Int?
    /// The MyAnimeList score.
    public var score: Double?
    /// Favorites at the source's snapshot.
    public var favorites: Int?
    /// TV, Movie, OVA, …
    public var mediaType: String?
}

extension SourceRecord {
    /// A record for `row[idColumn]`, or nil (with the row reported as skipped) when that is not a number.
    static func identified<Value>(by idColumn: String, in row: [String: Value], file: String, line: Int,
                           issues: inout [ImportIssue]) -> SourceRecord? {
        guard let id = LenientValue.integer(row[idColumn]) else {
            issues.append(ImportIssue(file: file, line: line,
                                      reason: "\(idColumn) \"\(row[idColumn].map { "\($0)" } ?? "")\" is not a number; row skipped"))
            return nil
        }
        return SourceRecord(id: id)
    }

    /// Sets `startDate` from the text of `column`; text that is not a valid date is reported (as `consequence`)
    /// and leaves the date unset.
    mutating func readStartDate(_ value: Any?, column: String, file: String, line: Int, issues: inout [ImportIssue],
                                consequence: String = "date ignored") {
        guard let text = LenientValue.string(value) else { return }
        startDate = StartDate(parsing: text)
        if startDate == nil {
            issues.append(ImportIssue(file: file, line: line, reason: "id \(id): \(column) \"\(text)\" is not a valid date; \(consequence)"))
        }
    }
}

/// A problem met while reading a source: where (file and line or entry) and what.
public struct ImportIssue: Sendable, CustomStringConvertible {
    /// The source file, relative to the data folder.
    public let file: String
    /// The line (CSV) or entry index (JSON), 1-based; 0 for the whole file.
    public let line: Int
    /// What was wrong and what was done.
    public let reason: String

    /// `file:line: reason`.
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}

/// Lenient conversions for source values that are sometimes numbers and sometimes strings ("123", "8.17", "N/A").
enum LenientValue {
    /// An integer from an Int, an integral Double, or a numeric string ("1324054.0" included).
    static func integer(_ value: Any?) -> Int? {
        switch value {
        case let number as Int: return number
        case let number as Double: return number.isFinite && number == number.rounded() && abs(number) < 1e15 ? Int(number) : nil
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
            if let number = Int(trimmed) { return number }
            if let number = Double(trimmed) { return integer(number) }
            return nil
        default: return nil
        }
    }

    /// A finite Double from a number or a numeric string.
    static func double(_ value: Any?) -> Double? {
        switch value {
        case let number as Int: return Double(number)
        case let number as Double: return number.isFinite ? number : nil
        case let text as String:
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else { return nil }
            return number
        default: return nil
        }
    }

    /// A non-empty trimmed string from a string or a number.
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case let number as Int: return String(number)
        default: return nil
        }
    }
}
