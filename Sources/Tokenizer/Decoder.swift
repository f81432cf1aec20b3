/// The last pipeline stage: ids back to bytes (byte-level tokens to their raw bytes, added tokens to
/// their content) and to text.
extension Tokenizer {
    /// The exact bytes the ids stand for.
    /// - Throws: `TokenizerError.unknownId` for an id outside the vocabulary.
    public func decodeBytes(_ ids: [Int]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            if let added = addedTokens.first(where: { $0.id == id }) {
                bytes.append(contentsOf: added.content.utf8)
            } else if let tokenBytes = model.bytes(of: id) {
                bytes.append(contentsOf: tokenBytes)
            } else {
                throw TokenizerError.unknownId(id)
            }
        }
        return bytes
    }

    /// The text the ids stand for; byte sequences that are not valid UTF-8 (a cut inside a character)
    /// become U+FFFD, as in HF's ByteLevel decoder.
    public func decode(_ ids: [Int]) throws -> String {
        String(decoding: try decodeBytes(ids), as: UTF8.self)
    }

    /// The token strings (byte-level form as in vocab.json) of the ids.
    public func tokens(_ ids: [Int]) throws -> [String] {
        try ids.map { id in
            guard id >= 0, id < model.count else { throw TokenizerError.unknownId(id) }
            return model.vocabulary[id]
        }
    }
}
