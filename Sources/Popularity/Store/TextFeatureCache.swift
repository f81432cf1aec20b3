import Foundation
import GRDB

/// One cached text vector, keyed by the synopsis' SHA-256 and the encoder weights' digest.
public struct TextFeature: Codable, Sendable, FetchableRecord, PersistableRecord {
    /// Hex SHA-256 of the synopsis' UTF-8 bytes.
    public var sha256: String
    /// Digest of the encoder weights: new weights never reuse old vectors.
    public var encoderDigest: String
    /// Little-endian Float32 vector.
    public var vector: Data
}

extension Store {
    /// Cached text vectors for the given synopsis hashes (those present), by hash.
    public func cachedTextFeatures(sha256s: [String], encoderDigest: String) throws -> [String: [Float]] {
        try database.read { db in
            var found: [String: [Float]] = [:]
            for sha256 in sha256s {
                if let row = try TextFeature.fetchOne(db, key: ["sha256": sha256, "encoderDigest": encoderDigest]) {
                    found[sha256] = Self.floats(from: row.vector)
                }
            }
            return found
        }
    }

    /// Stores text vectors in one transaction (replacing existing rows).
    public func cacheTextFeatures(_ entries: [(sha256: String, vector: [Float])], encoderDigest: String) throws {
        try database.write { db in
            for entry in entries {
                try TextFeature(sha256: entry.sha256, encoderDigest: encoderDigest, vector: Self.data(from: entry.vector)).save(db)
            }
        }
    }
}
