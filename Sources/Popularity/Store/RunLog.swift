import Foundation
import GRDB

/// One recorded training or comparison run: its configuration and metrics as JSON text.
public struct Run: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    /// Auto-incremented id.
    public var id: Int64?
    /// When the run finished.
    public var createdAt: Date
    /// "train", "compare", …
    public var kind: String
    /// The run's configuration, JSON.
    public var config: String
    /// The run's metrics, JSON.
    public var metrics: String

    /// Creates a run record (the store assigns `id` on insert).
    public init(createdAt: Date = Date(), kind: String, config: String, metrics: String) {
        self.createdAt = createdAt
        self.kind = kind
        self.config = config
        self.metrics = metrics
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension Store {
    /// Records a run and returns it with its id.
    @discardableResult
    public func record(_ run: Run) throws -> Run {
        try database.write { db in
            var run = run
            try run.insert(db)
            return run
        }
    }

    /// Every run of a kind, newest first.
    public func runs(kind: String) throws -> [Run] {
        try database.read { db in
            try Run.filter(Column("kind") == kind).order(Column("id").desc).fetchAll(db)
        }
    }
}
