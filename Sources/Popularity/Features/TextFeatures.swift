import Foundation
import TextModel
import Tokenizer

/// Synopsis → token ids → pooled text vector t ∈ R^C, with the shipped tokenizer and a (frozen) text encoder.
public final class TextFeaturizer {
    /// The BPE tokenizer (the shipped `vocab/`).
    public let tokenizer: Tokenizer
    /// The transformer text encoder.
    public let encoder: TextEncoder

    /// The vector cache and the digest of the encoder's weights (nil: compute every time).
    public let cache: (store: Store, encoderDigest: String)?
    /// Threads the tokenizer splits a batch over (1 in a batch job's workers, which already use every core).
    public var tokenizerThreads = 2
    /// Sequences per encoder call when scoring (`TitleScorer`); each call pads to its longest sequence, so a
    /// single-threaded worker uses 1 (no padding: 40% less text-encoder time on real synopses than 32).
    public var scoringBatchSize = 32

    /// Pairs a tokenizer with an encoder whose vocabulary it fills; with `cache`, vectors are looked up by
    /// synopsis hash first and new ones stored (rescoring a catalogue then skips the transformer).
    public init(tokenizer: Tokenizer, encoder: TextEncoder, cache: (store: Store, encoderDigest: String)? = nil) {
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.cache = cache
    }

    /// Token ids of each synopsis, cut to the encoder's context length (`tokenizerThreads` threads).
    public func tokenIds(_ synopses: [String]) -> [[Int32]] {
        let limit = encoder.configuration.contextLength
        return tokenizer.encodeBatch(synopses, threads: tokenizerThreads).map { ids in ids.prefix(limit).map { Int32(truncatingIfNeeded: $0) } }
    }

    /// Text vectors of many synopses, in batches of `batchSize` sequences sorted by length (less padding).
    public func vectors(_ synopses: [String], batchSize: Int = 32, progress: (Int) -> Void = { _ in }) throws -> [[Float]] {
        guard let cache else { return try encode(synopses, batchSize: batchSize, progress: progress) }
        let hashes = synopses.map { SHA256.hex(Data($0.utf8)) }
        let found = (try? cache.store.cachedTextFeatures(sha256s: hashes, encoderDigest: cache.encoderDigest)) ?? [:]
        let missing = synopses.indices.filter { found[hashes[$0]] == nil }
        progress(synopses.count - missing.count)
        let computed = try encode(missing.map { synopses[$0] }, batchSize: batchSize, progress: progress)
        try? cache.store.cacheTextFeatures(zip(missing, computed).map { (hashes[$0], $1) }, encoderDigest: cache.encoderDigest)
        var vectors = synopses.indices.map { found[hashes[$0]] ?? [] }
        for (index, vector) in zip(missing, computed) { vectors[index] = vector }
        return vectors
    }

    /// Runs the encoder on every synopsis (no cache).
    func encode(_ synopses: [String], batchSize: Int, progress: (Int) -> Void) throws -> [[Float]] {
        let sequences = tokenIds(synopses)
        let order = sequences.indices.sorted { sequences[$0].count < sequences[$1].count }
        var vectors = [[Float]](repeating: [], count: sequences.count)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let indices = Array(order[start..<min(start + batchSize, order.count)])
            let encoded = try encoder.encode(batch: indices.map { sequences[$0] })
            for (index, vector) in zip(indices, encoded) { vectors[index] = vector }
            progress(indices.count)
        }
        return vectors
    }
}
