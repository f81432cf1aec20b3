import Foundation

/// What the catalogue reader yields per row: a title (with its line) or the reason a row was skipped.
public enum CatalogueRow: Sendable, Equatable {
    /// A valid row.
    case title(Title, line: Int)
    /// A skipped row.
    case issue(CatalogueIssue)
}

/// Streams titles out of a catalogue CSV (schema in `CatalogueColumn`), one row at a time; every bad
/// row becomes a `CatalogueIssue` with its line number and reading goes on.
public struct CatalogueReader {
    private var csv: CSVReader
    private let schema: CatalogueSchema
    private let file: String
    private var firstLineOfID: [Int: Int] = [:]

    /// Opens a catalogue and reads its header.
    /// - Throws: `CatalogueError` when the file cannot be read or its header is empty or lacks a required column.
    public init(url: URL, maximumFieldBytes: Int = 1 << 20) throws {
        let file = url.lastPathComponent
        do {
            try self.init(csv: CSVReader(contentsOf: url, maximumFieldBytes: maximumFieldBytes), file: file)
        } catch let error as CatalogueError {
            throw error
        } catch {
            throw CatalogueError.unreadable(file: url.path, reason: error.localizedDescription)
        }
    }

    /// Reads a catalogue from an existing CSV reader (`file` names it in messages).
    /// - Throws: `CatalogueError` when the header is empty, malformed or lacks a required column.
    public init(csv: CSVReader, file: String) throws {
        var csv = csv
        self.file = file
        switch try csv.next() {
        case nil:
            throw CatalogueError.emptyFile(file: file)
        case .issue(let issue)?:
            throw CatalogueError.badHeader(file: file, reason: issue.problem.description)
        case .record(let header)?:
            if header.fields.count == 1, header.fields[0].trimmingCharacters(in: .whitespaces).isEmpty {
                throw CatalogueError.emptyFile(file: file)
            }
            self.schema = try CatalogueSchema(header: header.fields, file: file)
        }
        self.csv = csv
    }

    /// The next row, or nil at the end.
    /// - Throws: only I/O errors from the file.
    public mutating func next() throws -> CatalogueRow? {
        while let item = try csv.next() {
            switch item {
            case .issue(let issue):
                return .issue(CatalogueIssue(file: file, line: issue.line, problem: .malformed(issue.problem)))
            case .record(let record):
                // A blank line between rows is skipped silently, as most readers do.
                if record.fields.count == 1, record.fields[0].isEmpty, schema.fieldCount > 1 { continue }
                switch parse(record) {
                case .success(let title):
                    if let first = firstLineOfID[title.id] {
                        return .issue(CatalogueIssue(file: file, line: record.line, problem: .duplicateID(id: title.id, firstLine: first)))
                    }
                    firstLineOfID[title.id] = record.line
                    return .title(title, line: record.line)
                case .failure(let problem):
                    return .issue(CatalogueIssue(file: file, line: record.line, problem: problem))
                }
            }
        }
        return nil
    }

    /// Turns one record into a title, or says what is wrong with it.
    private func parse(_ record: CSVRecord) -> Result<Title, CatalogueProblem> {
        guard record.fields.count == schema.fieldCount else {
            return .failure(.ragged(fields: record.fields.count, expected: schema.fieldCount))
        }
        func value(_ column: CatalogueColumn) -> String? {
            guard let index = schema.indices[column] else { return nil }
            let text = trimmedSpaces(record.fields[index])
            return text.isEmpty ? nil : text
        }
        do {
            guard let idText = value(.id) else { throw CatalogueProblem.missingValue(column: "id") }
            guard let id = Int(idText) else { throw CatalogueProblem.badNumber(column: "id", value: idText) }
            guard let name = value(.title) else { throw CatalogueProblem.missingValue(column: "title") }
            guard let synopsis = value(.synopsis) else { throw CatalogueProblem.missingValue(column: "synopsis") }
            guard let dateText = value(.startDate) else { throw CatalogueProblem.missingValue(column: "start_date") }
            guard let startDate = StartDate(parsing: dateText) else { throw CatalogueProblem.badDate(value: dateText) }
            return .success(Title(
                id: id, title: name, synopsis: synopsis, imagePath: value(.image), startDate: startDate,
                members: try count(value(.members), column: "members"),
                score: try score(value(.score)),
                favorites: try count(value(.favorites), column: "favorites"),
                snapshot: value(.snapshot), mediaType: value(.mediaType)))
        } catch let problem as CatalogueProblem {
            return .failure(problem)
        } catch {
            return .failure(.missingValue(column: "?"))
        }
    }

    /// The text without leading and trailing spaces and tabs (cheap when there are none, the usual case).
    private func trimmedSpaces(_ text: String) -> String {
        let isSpace = { (scalar: Unicode.Scalar) in scalar == " " || scalar == "\t" }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// A non-negative whole number (`12`, or `12.0` as some exports write it).
    private func count(_ text: String?, column: String) throws -> Int? {
        guard let text else { return nil }
        if let number = Int(text), number >= 0 { return number }
        if let number = Double(text), number.isFinite, number >= 0, number == number.rounded(), number < 1e15 { return Int(number) }
        throw CatalogueProblem.badNumber(column: column, value: text)
    }

    /// A MyAnimeList score in 0…10.
    private func score(_ text: String?) throws -> Double? {
        guard let text else { return nil }
        guard let number = Double(text), number.isFinite, (0...10).contains(number) else {
            throw CatalogueProblem.badNumber(column: "score", value: text)
        }
        return number
    }
}

/// A whole catalogue in memory: its titles, the rows it skipped, and the folder image paths are relative to.
public struct Catalogue: Sendable {
    /// The valid titles, in file order.
    public var titles: [Title]
    /// The rows that were skipped, with reasons.
    public var issues: [CatalogueIssue]
    /// The folder the catalogue's image paths are relative to.
    public var baseDirectory: URL

    /// Makes a catalogue from titles already in memory.
    public init(titles: [Title], issues: [CatalogueIssue] = [], baseDirectory: URL) {
        self.titles = titles
        self.issues = issues
        self.baseDirectory = baseDirectory
    }

    /// Reads a catalogue CSV (streaming; only the parsed titles are kept).
    /// - Throws: `CatalogueError` when the file or its header is unusable.
    public static func load(from url: URL) throws -> Catalogue {
        var reader = try CatalogueReader(url: url)
        var titles: [Title] = []
        var issues: [CatalogueIssue] = []
        do {
            while let row = try reader.next() {
                switch row {
                case .title(let title, _): titles.append(title)
                case .issue(let issue): issues.append(issue)
                }
            }
        } catch {
            throw CatalogueError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        return Catalogue(titles: titles, issues: issues, baseDirectory: url.deletingLastPathComponent())
    }

    /// The image file of a title, resolved against the catalogue's folder (absolute paths kept).
    public func imageURL(for title: Title) -> URL? {
        guard let path = title.imagePath else { return nil }
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return baseDirectory.appendingPathComponent(path)
    }
}
