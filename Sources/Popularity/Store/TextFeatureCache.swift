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
        try cachedVectors(sha256s, sql: "SELECT vector FROM textFeature WHERE sha256 = ? AND encoderDigest = ?") { [$0, encoderDigest] }
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
