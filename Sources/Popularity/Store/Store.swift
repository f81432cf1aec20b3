import Foundation
import GRDB

/// The project's SQLite store (WAL mode): cached image features, training runs and batch-scoring journals.
///
/// Schema (one `Codable` record per table, see the sibling files):
/// - `imageFeature(sha256, backbone, weightsDigest, dimensions, vector)` — frozen-backbone features by content hash
/// - `run(id, createdAt, kind, config, metrics)` — one row per `animepop train`/`compare` run
/// - `batchScore(job, row, titleId, popularity, percentile, baseline, error)` — what a batch job has finished
/// - `textFeature(sha256, encoderDigest, vector)` — text-encoder vectors by synopsis hash and encoder weights
public final class Store: Sendable {
    /// The underlying connection pool (readers run concurrently with one writer).
    public let database: DatabasePool

    /// Opens (creating if needed) the store at `url` and brings its schema up to date.
    /// - Throws: `StoreError.cannotOpen` naming the file when SQLite refuses it.
    public init(url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try DatabasePool(path: url.path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw StoreError.cannotOpen(path: url.path, reason: "\(error)")
        }
    }

    /// Named migrations, one transaction each; never edited once shipped (add a new one instead).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "imageFeature") { t in
                t.column("sha256", .text).notNull()
                t.column("backbone", .text).notNull()
                t.column("weightsDigest", .text).notNull()
                t.column("dimensions", .integer).notNull()
                t.column("vector", .blob).notNull()
                t.primaryKey(["sha256", "backbone", "weightsDigest"])
            }
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("createdAt", .datetime).notNull()
                t.column("kind", .text).notNull()
                t.column("config", .text).notNull()
                t.column("metrics", .text).notNull()
            }
            try db.create(table: "batchScore") { t in
                t.column("job", .text).notNull()
                t.column("row", .integer).notNull()
                t.column("titleId", .text).notNull()
                t.column("popularity", .double)
                t.column("percentile", .double)
                t.column("baseline", .double)
                t.column("error", .text)
                t.primaryKey(["job", "row"])
            }
        }
        migrator.registerMigration("v2-textFeature") { db in
            try db.create(table: "textFeature") { t in
                t.column("sha256", .text).notNull()
                t.column("encoderDigest", .text).notNull()
                t.column("vector", .blob).notNull()
                t.primaryKey(["sha256", "encoderDigest"])
            }
        }
        return migrator
    }
}

/// Errors from the SQLite store, each naming the database file.
public enum StoreError: LocalizedError, Sendable {
    /// SQLite could not open or migrate the file.
    case cannotOpen(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .cannotOpen(path, reason): "cannot open store \(path): \(reason)"
        }
    }
}
