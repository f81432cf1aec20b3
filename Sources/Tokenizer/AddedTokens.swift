/// A token matched in the raw text before normalization and pre-tokenization, such as `<|endoftext|>`.
public struct AddedToken: Sendable, Equatable {
    /// The literal text that is matched.
    public let content: String
    /// Its id in the vocabulary.
    public let id: Int
    /// True for control tokens (padding, masks, separators); HF's `special` flag.
    public let special: Bool

    /// An added token with its literal text and id.
    public init(content: String, id: Int, special: Bool = true) {
        self.content = content
        self.id = id
        self.special = special
    }
}

/// Finds added tokens in text: leftmost match, longest token first when several start at one place.
struct AddedTokenMatcher: Sendable {
    private let tokens: [(bytes: [UInt8], id: UInt32)]
    private let firstBytes: [Bool]

    /// A matcher for these tokens (empty contents are ignored).
    init(_ added: [AddedToken]) {
        tokens = added.filter { !$0.content.isEmpty }
            .map { (Array($0.content.utf8), UInt32($0.id)) }
            .sorted { $0.bytes.count > $1.bytes.count }
        var first = [Bool](repeating: false, count: 256)
        for token in tokens { first[Int(token.bytes[0])] = true }
        firstBytes = first
    }

    /// True when there is nothing to match.
    var isEmpty: Bool { tokens.isEmpty }

    /// The added token (id and byte length) that starts at `index`, if any.
    @inline(__always)
    func match(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (id: UInt32, length: Int)? {
        guard firstBytes[Int(bytes[index])] else { return nil }
        let remaining = bytes.count - index
        for token in tokens where token.bytes.count <= remaining {
            var equal = true
            for offset in 0..<token.bytes.count where bytes[index + offset] != token.bytes[offset] {
                equal = false
                break
            }
            if equal { return (token.id, token.bytes.count) }
        }
        return nil
    }
}
