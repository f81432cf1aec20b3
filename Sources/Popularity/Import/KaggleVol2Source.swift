import Foundation

/// Reads `mal-kaggle-vol2/animes.csv`: only start dates (`Y/M/D`) and media types are used, to fill gaps
/// (its members are from an unknown date and it has no synopses).
enum KaggleVol2Source {
    /// Its titles' ids, names, dates and media types, with the problems met.
    static func read(file: URL, dataRoot: URL) -> (records: [SourceRecord], issues: [ImportIssue]) {
        let name = relative(file, to: dataRoot)
        var records: [SourceRecord] = []
        var issues: [ImportIssue] = []
        guard FileManager.default.fileExists(atPath: file.path) else { return ([], []) }
        issues += CSVTable.forEachRow(in: file, name: name) { row, line in
            guard let id = LenientValue.integer(row["anime_id"]) else {
                issues.append(ImportIssue(file: name, line: line, reason: "anime_id \"\(row["anime_id"] ?? "")\" is not a number; row skipped"))
                return
            }
            var record = SourceRecord(id: id)
            record.title = LenientValue.string(row["title"])
            if let text = LenientValue.string(row["start_date"]) {
                record.startDate = StartDate(parsing: text)
                if record.startDate == nil {
                    issues.append(ImportIssue(file: name, line: line, reason: "id \(id): start_date \"\(text)\" is not a valid date; date ignored"))
                }
            }
            record.mediaType = LenientValue.string(row["media"]).map { $0.count <= 3 ? $0.uppercased() : $0.capitalized }
            records.append(record)
        }
        return (records, issues)
    }
}
