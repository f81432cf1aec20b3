import Foundation

/// Errors that make a whole catalogue unreadable (a bad row is a `CatalogueIssue`, not an error).
public enum CatalogueError: Error, LocalizedError, Sendable, Equatable {
    /// The file has no header row.
    case emptyFile(file: String)
    /// The header lacks required columns.
    case missingColumns(file: String, columns: [String])
    /// A column name appears twice in the header.
    case duplicateColumn(file: String, column: String)
    /// The header row itself is malformed.
    case badHeader(file: String, reason: String)
    /// The file cannot be opened or read.
    case unreadable(file: String, reason: String)

    /// One line naming the file and, where there is one, the line.
    public var errorDescription: String? {
        switch self {
        case .emptyFile(let file): return "\(file):1: empty file: expected a header row with id,title,synopsis,image,start_date"
        case .missingColumns(let file, let columns):
            return "\(file):1: header lacks required column\(columns.count > 1 ? "s" : "") \(columns.joined(separator: ", ")) (required: id,title,synopsis,image,start_date)"
        case .duplicateColumn(let file, let column): return "\(file):1: column \"\(column)\" appears twice in the header"
        case .badHeader(let file, let reason): return "\(file):1: bad header: \(reason)"
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        }
    }
}

/// Why one catalogue row was skipped.
public enum CatalogueProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The CSV layer could not read the record.
    case malformed(CSVProblem)
    /// The row has a different number of fields than the header.
    case ragged(fields: Int, expected: Int)
    /// A required column is empty.
    case missingValue(column: String)
    /// A number column holds something that is not a number of the right kind.
    case badNumber(column: String, value: String)
    /// The start date is not `YYYY[-MM[-DD]]` in 1900…2035.
    case badDate(value: String)
    /// The id was already seen on an earlier line.
    case duplicateID(id: Int, firstLine: Int)

    /// A short human-readable reason.
    public var description: String {
        switch self {
        case .malformed(let problem): return problem.description
        case .ragged(let fields, let expected): return "ragged row: \(fields) field\(fields == 1 ? "" : "s"), the header has \(expected)"
        case .missingValue(let column): return "required column \(column) is empty"
        case .badNumber(let column, let value): return "column \(column): \"\(value.prefix(40))\" is not a valid number"
        case .badDate(let value): return "column start_date: \"\(value.prefix(40))\" is not a date YYYY[-MM[-DD]] in \(StartDate.validYears.lowerBound)…\(StartDate.validYears.upperBound)"
        case .duplicateID(let id, let firstLine): return "id \(id) already appears on line \(firstLine)"
        }
    }
}

/// A skipped catalogue row: the file, its starting line and the reason.
public struct CatalogueIssue: Sendable, Equatable, CustomStringConvertible {
    /// The file's name as given to the reader.
    public let file: String
    /// The 1-based line where the row starts.
    public let line: Int
    /// What is wrong.
    public let problem: CatalogueProblem

    /// `file:line: reason`, the form compilers use.
    public var description: String { "\(file):\(line): \(problem)" }
}
