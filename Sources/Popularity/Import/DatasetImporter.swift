import Foundation

/// Errors that stop an import.
public enum DatasetImportError: Error, LocalizedError, Sendable {
    /// The folder has none of the known sources.
    case noSources(path: String)

    /// One line naming the folder.
    public var errorDescription: String? {
        switch self {
        case .noSources(let path):
            return "\(path): no known source found (expected mal-tv/, mal-scrape-2023/animes.csv or mal-kaggle-vol2/animes.csv)"
        }
    }
}

/// What an import did: titles read per source, what was dropped and why, problems met with their lines.
public struct ImportReport: Sendable {
    /// (source, records read), in reading order.
    public var recordsPerSource: [(source: String, records: Int)] = []
    /// Distinct ids over all sources.
    public var distinctIDs = 0
    /// Reason → how many ids were left out of the catalogue for it.
    public var dropped: [String: Int] = [:]
    /// Problems met in the sources (bad values, malformed rows), located.
    public var issues: [ImportIssue] = []
    /// Poster files seen, and titles that got one.
    public var postersSeen = 0, postersAttached = 0
    /// Titles written, and those with members (trainable).
    public var titles = 0, titlesWithMembers = 0
    /// Titles whose synopsis came from the longer of two differing versions.
    public var longerSynopsisChosen = 0
}

/// The result of an import: the merged titles and the report.
public struct DatasetImport: Sendable {
    /// Merged titles, sorted by id.
    public let titles: [Title]
    /// What happened.
    public let report: ImportReport
}

/// Merges the sources in a `../shared/data`-shaped folder into one table keyed by MyAnimeList id.
///
/// Rules: name, synopsis and date come from the first source that has them in the order mal-tv (2026),
/// mal-scrape-2023, mal-kaggle-vol2 — except that the longest cleaned synopsis wins (a shorter one is an
/// older or cut version) and a full date beats a year-only one. Members, score and favorites come
/// together from ONE snapshot (mal-tv's if it has the title, else mal-scrape-2023's), named in `snapshot`:
/// counts from different snapshots are not comparable. Titles without a synopsis or a valid start date are
/// dropped and counted. Posters: `posters/<set>/<id>.jpg`, the largest when several.
public enum DatasetImporter {
    /// Imports `root`; image paths are written relative to `catalogueDirectory`.
    /// - Throws: `DatasetImportError.noSources` when the folder holds no known source.
    public static func importData(from root: URL, catalogueDirectory: URL) throws -> DatasetImport {
        var report = ImportReport()
        let malTvFolder = root.appendingPathComponent("mal-tv")
        let scrapeFile = root.appendingPathComponent("mal-scrape-2023/animes.csv")
        let kaggleFile = root.appendingPathComponent("mal-kaggle-vol2/animes.csv")
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: malTvFolder.path) || fileManager.fileExists(atPath: scrapeFile.path)
                || fileManager.fileExists(atPath: kaggleFile.path) else {
            throw DatasetImportError.noSources(path: root.path)
        }
        // Sources in priority order; each tagged with the snapshot its counts belong to (nil: counts unused).
        let malTv = MalTvSource.read(directory: malTvFolder, dataRoot: root)
        let scrape = MalScrapeSource.read(file: scrapeFile, dataRoot: root)
        let kaggle = KaggleVol2Source.read(file: kaggleFile, dataRoot: root)
        let sources: [(name: String, snapshot: String?, records: [SourceRecord])] = [
            ("mal-tv", MalTvSource.snapshot, malTv.records),
            ("mal-scrape-2023", MalScrapeSource.snapshot, scrape.records),
            ("mal-kaggle-vol2", nil, kaggle.records),
        ]
        report.issues = malTv.issues + scrape.issues + kaggle.issues
        var byID: [Int: [(snapshot: String?, record: SourceRecord)]] = [:]
        for source in sources {
            report.recordsPerSource.append((source.name, source.records.count))
            var seenInSource = Set<Int>()
            for record in source.records {
                // A repeated id within one source: the first entry wins.
                guard seenInSource.insert(record.id).inserted else {
                    report.issues.append(ImportIssue(file: source.name, line: 0, reason: "id \(record.id) appears twice; later entry ignored"))
                    continue
                }
                byID[record.id, default: []].append((source.snapshot, record))
            }
        }
        report.distinctIDs = byID.count
        let posters = PosterIndex(directory: root.appendingPathComponent("posters"))
        report.postersSeen = posters.filesSeen
        for skipped in posters.skippedFiles {
            report.issues.append(ImportIssue(file: "posters/\(skipped)", line: 0, reason: "not <mal_id>.jpg or not a readable JPEG; ignored"))
        }

        var titles: [Title] = []
        for id in byID.keys.sorted() {
            guard let entries = byID[id] else { continue }
            switch merge(id: id, entries: entries, report: &report) {
            case .success(var title):
                if let poster = posters.posters[id] {
                    title.imagePath = RelativePath.of(poster, from: catalogueDirectory)
                    report.postersAttached += 1
                }
                titles.append(title)
            case .failure(let reason):
                report.dropped[reason.rawValue, default: 0] += 1
            }
        }
        report.titles = titles.count
        report.titlesWithMembers = titles.filter { $0.members != nil }.count
        return DatasetImport(titles: titles, report: report)
    }

    /// Why an id did not make it into the catalogue.
    enum DropReason: String, Error {
        case noSynopsis = "no synopsis in any source"
        case noStartDate = "no valid start date in any source"
        case noTitle = "no title name in any source"
    }

    /// One title from the entries of all sources that know its id, in priority order.
    static func merge(id: Int, entries: [(snapshot: String?, record: SourceRecord)], report: inout ImportReport) -> Result<Title, DropReason> {
        let records = entries.map(\.record)
        guard let name = records.lazy.compactMap(\.title).first else { return .failure(.noTitle) }
        let synopses = records.compactMap(\.synopsis)
        guard var synopsis = synopses.first else { return .failure(.noSynopsis) }
        for candidate in synopses.dropFirst() where candidate.count > synopsis.count {
            synopsis = candidate
            report.longerSynopsisChosen += 1
        }
        // The first full date, else the most precise date any source gives.
        let dates = records.compactMap(\.startDate)
        guard let date = dates.first(where: { $0.precision == 3 }) ?? dates.max(by: { $0.precision < $1.precision }) else {
            return .failure(.noStartDate)
        }
        var title = Title(id: id, title: name, synopsis: synopsis, startDate: date,
                          mediaType: records.lazy.compactMap(\.mediaType).first)
        if let counted = entries.first(where: { $0.snapshot != nil && $0.record.members != nil }) {
            title.members = counted.record.members
            title.score = counted.record.score
            title.favorites = counted.record.favorites
            title.snapshot = counted.snapshot
        }
        return .success(title)
    }
}
