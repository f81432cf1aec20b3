import Foundation
import GRDB

/// One finished row of a batch-scoring job: its scores or its error.
public struct BatchScore: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// Job key (derived from the catalogue and output paths).
    public var job: String
    /// 0-based data row index in the catalogue.
    public var row: Int
    /// The title's `id` column.
    public var titleId: String
    /// Normalized popularity in [0, 1], nil when the row failed.
    public var popularity: Double?
    /// Percentile among training titles, nil when the row failed.
    public var percentile: Double?
    /// TF-IDF baseline score, nil when the row failed.
    public var baseline: Double?
    /// Why the row could not be scored, nil when it was.
    public var error: String?

    /// Creates a journal entry.
    public init(job: String, row: Int, titleId: String, popularity: Double?, percentile: Double?, baseline: Double?, error: String?) {
        self.job = job
        self.row = row
        self.titleId = titleId
        self.popularity = popularity
        self.percentile = percentile
        self.baseline = baseline
        self.error = error
    }
}

extension Store {
    /// Commits a chunk of finished rows in one transaction: after a crash, a chunk is either all there or absent.
    public func commit(_ scores: [BatchScore]) throws {
        try database.write { db in
            for score in scores { try score.save(db) }
        }
    }

    /// Every finished row of a job, by row index.
    public func finishedRows(job: String) throws -> [Int: BatchScore] {
        try database.read { db in
            let rows = try BatchScore.filter(Column("job") == job).fetchAll(db)
            return Dictionary(rows.map { ($0.row, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Forgets a job (a fresh, non-resumed run starts from nothing).
    public func reset(job: String) throws {
        _ = try database.write { db in try BatchScore.filter(Column("job") == job).deleteAll(db) }
    }
}
