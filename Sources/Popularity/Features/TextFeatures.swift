import Foundation
import TextModel
import Tokenizer

/// Synopsis → token ids → pooled text vector t ∈ R^C, with the shipped tokenizer and a (frozen) text encoder.
public final class TextFeaturizer {
    /// The BPE tokenizer (the shipped `vocab/`).
    public let tokenizer: Tokenizer
    /// The transformer text encoder.
    public let encoder: TextEncoder

    /// Pairs a tokenizer with an encoder whose vocabulary it fills.
    public init(tokenizer: Tokenizer, encoder: TextEncoder) {
        self.tokenizer = tokenizer
        self.encoder = encoder
    }

    /// Token ids of each synopsis, cut to the encoder's context length (2 threads).
    public func tokenIds(_ synopses: [String]) -> [[Int32]] {
        let limit = encoder.configuration.contextLength
        return tokenizer.encodeBatch(synopses, threads: 2).map { ids in ids.prefix(limit).map { Int32(truncatingIfNeeded: $0) } }
    }

    /// Text vectors of many synopses, in batches of `batchSize` sequences sorted by length (less padding).
    public func vectors(_ synopses: [String], batchSize: Int = 32, progress: (Int) -> Void = { _ in }) throws -> [[Float]] {
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
