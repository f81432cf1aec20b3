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
            guard var record = SourceRecord.identified(by: "anime_id", in: row, file: name, line: line, issues: &issues) else { return }
            record.title = LenientValue.string(row["title"])
            record.readStartDate(row["start_date"], column: "start_date", file: name, line: line, issues: &issues)
            record.mediaType = LenientValue.string(row["media"]).map { $0.count <= 3 ? $0.uppercased() : $0.capitalized }
            records.append(record)
        }
        return (records, issues)
    }
}
