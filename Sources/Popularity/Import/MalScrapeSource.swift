import Foundation

/// Reads `mal-scrape-2023/animes.csv` (every media type; counts from a Feb–Apr 2023 scrape; score "N/A" when unscored).
enum MalScrapeSource {
    /// The snapshot its counts belong to.
    static let snapshot = "mal-scrape-2023"

    /// Its titles, with the problems met (bad ids, impossible dates such as year 3057).
    static func read(file: URL, dataRoot: URL) -> (records: [SourceRecord], issues: [ImportIssue]) {
        let name = relative(file, to: dataRoot)
        var records: [SourceRecord] = []
        var issues: [ImportIssue] = []
        guard FileManager.default.fileExists(atPath: file.path) else { return ([], []) }
        issues += CSVTable.forEachRow(in: file, name: name) { row, line in
            guard let id = LenientValue.integer(row["mal_id"]) else {
                issues.append(ImportIssue(file: name, line: line, reason: "mal_id \"\(row["mal_id"] ?? "")\" is not a number; row skipped"))
                return
            }
            var record = SourceRecord(id: id)
            record.title = LenientValue.string(row["title"])
            record.synopsis = LenientValue.string(row["synopsis"]).map(SynopsisCleaner.clean).flatMap { $0.isEmpty ? nil : $0 }
            if let text = LenientValue.string(row["start_date"]) {
                record.startDate = StartDate(parsing: text)
                if record.startDate == nil {
                    issues.append(ImportIssue(file: name, line: line, reason: "id \(id): start_date \"\(text)\" is not a valid date; date ignored"))
                }
            }
            if let text = LenientValue.string(row["members"]) {
                record.members = LenientValue.integer(text).flatMap { $0 >= 0 ? $0 : nil }
                if record.members == nil {
                    issues.append(ImportIssue(file: name, line: line, reason: "id \(id): members \"\(text)\" is not a count; ignored"))
                }
            }
            record.score = LenientValue.double(row["score"]).flatMap { (0...10).contains($0) && $0 > 0 ? $0 : nil }
            record.favorites = LenientValue.integer(row["favorites"]).flatMap { $0 >= 0 ? $0 : nil }
            record.mediaType = LenientValue.string(row["type"])
            records.append(record)
        }
        return (records, issues)
    }
}
