import Foundation
import GRDB

/// One cached backbone feature vector, keyed by image content hash, backbone and weights digest.
public struct ImageFeature: Codable, Sendable, FetchableRecord, PersistableRecord {
    /// Hex SHA-256 of the image file's bytes.
    public var sha256: String
    /// Backbone name, e.g. "efficientnet-lite0".
    public var backbone: String
    /// Digest of the weights file: a weights change invalidates every cached vector.
    public var weightsDigest: String
    /// Feature dimensions (1280 or 2048).
    public var dimensions: Int
    /// Little-endian Float32 features.
    public var vector: Data

    /// Columns of `imageFeature`.
    public enum Columns {
        static let sha256 = Column(CodingKeys.sha256)
        static let backbone = Column(CodingKeys.backbone)
        static let weightsDigest = Column(CodingKeys.weightsDigest)
    }
}

extension Store {
    /// The cached features for an image, or nil when this backbone and weights have not seen it.
    public func cachedFeatures(sha256: String, backbone: String, weightsDigest: String) throws -> [Float]? {
        try cachedFeatures(sha256s: [sha256], backbone: backbone, weightsDigest: weightsDigest)[sha256]
    }

    /// Cached features for the given image hashes (those this backbone and weights have seen), by hash: one read
    /// transaction and one prepared statement for all (a query built per image cost more than hashing it).
    public func cachedFeatures(sha256s: [String], backbone: String, weightsDigest: String) throws -> [String: [Float]] {
        try cachedVectors(sha256s, sql: "SELECT vector FROM imageFeature WHERE sha256 = ? AND backbone = ? AND weightsDigest = ?") {
            [$0, backbone, weightsDigest]
        }
    }

    /// The `vector` that `sql` (one prepared statement, `arguments(hash)` bound) finds for each distinct hash, by
    /// hash, all in one read transaction; hashes it finds nothing for are absent.
    func cachedVectors(_ sha256s: [String], sql: String, arguments: (String) -> StatementArguments) throws -> [String: [Float]] {
        guard !sha256s.isEmpty else { return [:] }
        return try database.read { db in
            let statement = try db.cachedStatement(sql: sql)
            var found: [String: [Float]] = [:]
            for sha256 in sha256s where found[sha256] == nil {
                if let vector = try Data.fetchOne(statement, arguments: arguments(sha256)) { found[sha256] = Self.floats(from: vector) }
            }
            return found
        }
    }

    /// Stores features for many images in one transaction (replacing existing rows).
    public func cacheFeatures(_ entries: [(sha256: String, features: [Float])], backbone: String, weightsDigest: String) throws {
        try database.write { db in
            for entry in entries {
                let record = ImageFeature(sha256: entry.sha256, backbone: backbone, weightsDigest: weightsDigest,
                                          dimensions: entry.features.count, vector: Self.data(from: entry.features))
                try record.save(db)
            }
        }
    }

    /// Deletes cached features computed with any other weights for `backbone`; returns how many were removed.
    @discardableResult
    public func evictFeatures(backbone: String, keepingWeightsDigest digest: String) throws -> Int {
        try database.write { db in
            try ImageFeature
                .filter(ImageFeature.Columns.backbone == backbone && ImageFeature.Columns.weightsDigest != digest)
                .deleteAll(db)
        }
    }

    static func data(from floats: [Float]) -> Data {
        floats.withUnsafeBytes { Data($0) }
    }

    static func floats(from data: Data) -> [Float] {
        var floats = [Float](repeating: 0, count: data.count / MemoryLayout<Float>.size)
        _ = floats.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return floats
    }
}
