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
            guard var record = SourceRecord.identified(by: "mal_id", in: row, file: name, line: line, issues: &issues) else { return }
            record.title = LenientValue.string(row["title"])
            record.synopsis = LenientValue.string(row["synopsis"]).map(SynopsisCleaner.clean).flatMap { $0.isEmpty ? nil : $0 }
            record.readStartDate(row["start_date"], column: "start_date", file: name, line: line, issues: &issues)
            if let text = LenientValue.string(row["members"]) {
                record.members = LenientValue.integer(text).flatMap { $0 >= 0 ? $0 : nil }
                if record.members == nil {
                    issues.append(ImportIssue(file: name, line: line, reason: "id \(record.id): members \"\(text)\" is not a count; ignored"))
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
