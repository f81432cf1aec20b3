import Foundation

/// Reads a source CSV into dictionaries keyed by header name, reporting malformed records with their lines.
enum CSVTable {
    /// Calls `body` for each record (header name → value, line), and returns the problems met.
    static func forEachRow(in url: URL, name: String, _ body: ([String: String], Int) -> Void) -> [ImportIssue] {
        var issues: [ImportIssue] = []
        do {
            var reader = try CSVReader(contentsOf: url)
            guard case .record(let header)? = try reader.next() else {
                return [ImportIssue(file: name, line: 1, reason: "no header row; file skipped")]
            }
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            while let item = try reader.next() {
                switch item {
                case .issue(let issue):
                    issues.append(ImportIssue(file: name, line: issue.line, reason: "\(issue.problem); row skipped"))
                case .record(let record):
                    guard record.fields.count == names.count else {
                        issues.append(ImportIssue(file: name, line: record.line,
                                                  reason: "ragged row: \(record.fields.count) fields, the header has \(names.count); row skipped"))
                        continue
                    }
                    body(Dictionary(zip(names, record.fields), uniquingKeysWith: { first, _ in first }), record.line)
                }
            }
        } catch {
            issues.append(ImportIssue(file: name, line: 0, reason: "cannot read: \(error.localizedDescription)"))
        }
        return issues
    }
}
