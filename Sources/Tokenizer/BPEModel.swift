/// The byte-level BPE model: a vocabulary of byte strings and merges by rank (rank = line order in
/// merges.txt). Encoding a pre-tokenized piece starts from one token per byte and repeatedly merges the
/// adjacent pair of lowest rank, leftmost first: the same result as GPT-2's `bpe()`.
public struct BPEModel: Sendable {
    /// One merge rule: the two token ids it joins and the id it makes.
    public struct Merge: Sendable, Equatable {
        /// Left token id.
        public let left: Int
        /// Right token id.
        public let right: Int
        /// Id of the merged token.
        public let merged: Int
    }

    /// Token strings by id, in the byte-level alphabet of vocab.json (added tokens as written).
    public let vocabulary: [String]
    /// Merge rules in rank order (index = rank).
    public let merges: [Merge]
    /// Id of each token string.
    public let ids: [String: Int]
    /// Raw bytes of every token, flat; token `i` is `tokenBytes[tokenOffsets[i]..<tokenOffsets[i+1]]`.
    let tokenBytes: [UInt8]
    let tokenOffsets: [Int]
    /// Id of the single-byte token for each byte.
    let byteIds: [UInt32]
    let pairs: PairTable

    /// Builds the model from token strings by id and merges given as token-string pairs.
    /// - Throws: `TokenizerError.badMerge` for a merge naming unknown tokens (line = index + 2, as in
    ///   merges.txt after its version line), `.missingByteSymbol` if a byte has no token.
    public init(vocabulary: [String], merges: [(String, String)], source: String = "merges") throws {
        self.vocabulary = vocabulary
        var ids: [String: Int] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (id, token) in vocabulary.enumerated() where ids[token] == nil { ids[token] = id }
        self.ids = ids
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]
        offsets.reserveCapacity(vocabulary.count + 1)
        for token in vocabulary {
            bytes.append(contentsOf: ByteLevel.decode(token) ?? Array(token.utf8))
            offsets.append(bytes.count)
        }
        tokenBytes = bytes
        tokenOffsets = offsets
        var byteIds = [UInt32](repeating: 0, count: 256)
        for byte in 0..<256 {
            guard let id = ids[String(ByteLevel.scalars[byte])] else { throw TokenizerError.missingByteSymbol(byte: UInt8(byte)) }
            byteIds[byte] = UInt32(id)
        }
        self.byteIds = byteIds
        var table = PairTable(capacity: merges.count)
        var rules: [Merge] = []
        rules.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            guard let leftId = ids[left], let rightId = ids[right], let mergedId = ids[left + right] else {
                throw TokenizerError.badMerge(path: source, line: rank + 2, text: "\(left) \(right)")
            }
            rules.append(Merge(left: leftId, right: rightId, merged: mergedId))
            table.insert(left: UInt32(leftId), right: UInt32(rightId), rank: UInt32(rank), merged: UInt32(mergedId))
        }
        self.merges = rules
        pairs = table
    }

    /// Number of token ids.
    public var count: Int { vocabulary.count }

    /// Raw bytes of one token, or nil for an id outside the vocabulary.
    public func bytes(of id: Int) -> ArraySlice<UInt8>? {
        guard id >= 0, id < vocabulary.count else { return nil }
        return tokenBytes[tokenOffsets[id]..<tokenOffsets[id + 1]]
    }
}
