import Foundation

/// Reads `mal-tv/<year>/<season>.json` (a JSON array of titles per file; numbers sometimes strings).
enum MalTvSource {
    /// The snapshot its counts belong to.
    static let snapshot = "mal-tv-2026"

    /// Every title in every season file, with the problems met.
    static func read(directory: URL, dataRoot: URL) -> (records: [SourceRecord], issues: [ImportIssue]) {
        var records: [SourceRecord] = []
        var issues: [ImportIssue] = []
        for file in jsonFiles(under: directory) {
            let name = relative(file, to: dataRoot)
            guard let data = try? Data(contentsOf: file),
                  let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else {
                issues.append(ImportIssue(file: name, line: 0, reason: "not a JSON array of titles; file skipped"))
                continue
            }
            for (index, element) in array.enumerated() {
                guard let entry = element as? [String: Any], let id = LenientValue.integer(entry["mal_id"]) else {
                    issues.append(ImportIssue(file: name, line: index + 1, reason: "entry without a mal_id; skipped"))
                    continue
                }
                var record = SourceRecord(id: id)
                record.title = LenientValue.string(entry["title"])
                record.synopsis = LenientValue.string(entry["synopsis"]).map(SynopsisCleaner.clean).flatMap { $0.isEmpty ? nil : $0 }
                record.readStartDate(entry["aired_from"], column: "aired_from", file: name, line: index + 1, issues: &issues,
                                     consequence: "the year is used if given")
                if record.startDate == nil, let year = LenientValue.integer(entry["year"]) { record.startDate = StartDate(year: year) }
                record.members = LenientValue.integer(entry["members"]).flatMap { $0 >= 0 ? $0 : nil }
                record.score = LenientValue.double(entry["score"]).flatMap { (0...10).contains($0) && $0 > 0 ? $0 : nil }
                record.favorites = LenientValue.integer(entry["favorites"]).flatMap { $0 >= 0 ? $0 : nil }
                record.mediaType = LenientValue.string(entry["type"])
                records.append(record)
            }
        }
        return (records, issues)
    }

    /// All `.json` files under a folder, sorted by path.
    static func jsonFiles(under directory: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator where url.pathExtension.lowercased() == "json" { files.append(url) }
        return files.sorted { $0.path < $1.path }
    }
}

/// `url`'s path relative to `root` when it lies under it, else its full path.
func relative(_ url: URL, to root: URL) -> String {
    let path = url.standardizedFileURL.path
    let rootPath = root.standardizedFileURL.path + "/"
    return path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : path
}
