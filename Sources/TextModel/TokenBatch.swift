// A batch of token id sequences, padded or truncated to one length.
//
// Shapes: tokenIds (B,T), row-major; T ≤ contextLength.

/// B sequences of T token ids each, right-padded with `<pad>`.
public struct TokenBatch: Sendable, Equatable {
    /// B·T token ids, sequence after sequence.
    public var tokenIds: [Int32]
    /// B: number of sequences.
    public let batchSize: Int
    /// T: tokens per sequence after padding.
    public let tokens: Int

    /// Wraps already padded ids (count must be batchSize · tokens).
    public init(tokenIds: [Int32], batchSize: Int, tokens: Int) throws {
        guard batchSize > 0, tokens > 0, tokenIds.count == batchSize * tokens else {
            throw TextModelError.emptyBatch("\(tokenIds.count) ids do not form \(batchSize) sequences of \(tokens) tokens")
        }
        self.tokenIds = tokenIds
        self.batchSize = batchSize
        self.tokens = tokens
    }

    /// Pads every sequence with `padTokenId` to the longest one, truncated to `maximumLength`
    /// (or to exactly `fixedLength` when given). Empty sequences become all padding.
    public init(sequences: [[Int32]], padTokenId: Int32, maximumLength: Int, fixedLength: Int? = nil) throws {
        guard !sequences.isEmpty else { throw TextModelError.emptyBatch("no sequences") }
        let longest = min(maximumLength, sequences.map(\.count).max() ?? 0)
        let length = max(1, min(maximumLength, fixedLength ?? longest))
        var ids = [Int32](repeating: padTokenId, count: sequences.count * length)
        for (b, sequence) in sequences.enumerated() {
            for (t, id) in sequence.prefix(length).enumerated() { ids[b * length + t] = id }
        }
        tokenIds = ids
        batchSize = sequences.count
        tokens = length
    }
}

/// A batch prepared for masked-LM: corrupted inputs, and the positions whose original token is the target.
public struct MaskedLMBatch: Sendable, Equatable {
    /// The corrupted input (B,T).
    public var input: TokenBatch
    /// M flat positions b·T+t that are predicted, ascending.
    public var positions: [Int32]
    /// M original token ids at those positions.
    public var targets: [Int32]

    /// Bundles a corrupted batch with its targets (positions and targets must have equal counts).
    public init(input: TokenBatch, positions: [Int32], targets: [Int32]) {
        self.input = input
        self.positions = positions
        self.targets = targets
    }
}
