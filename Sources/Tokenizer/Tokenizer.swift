/// Byte-level BPE tokenization in the HuggingFace pipeline shape:
///
///     added tokens → Normalizer (ICU NFKC, optional) → PreTokenizer (GPT-2 split) → ByteLevel bytes
///     → BPEModel merges by rank → ids;   Decoder: ids → bytes → String
///
/// Files: GPT-2 `vocab.json` + `merges.txt` (`GPT2Files`) and HF `tokenizer.json` (`TokenizerJSON`);
/// `Trainer` learns merges from a corpus. Usage:
///
///     let tokenizer = try Tokenizer.load(path: "vocab")
///     let ids = tokenizer.encode("A girl meets a fox god.")
///     let text = try tokenizer.decode(ids)   // == the input
public struct Tokenizer: Sendable {
    /// The BPE vocabulary and merges.
    public let model: BPEModel
    /// Normalization applied to text between added tokens.
    public let normalizer: Normalizer
    /// Tokens matched literally before splitting (special tokens).
    public let addedTokens: [AddedToken]
    let matcher: AddedTokenMatcher

    /// A tokenizer from a model, a normalizer and added tokens (whose ids must be in the model's vocabulary).
    public init(model: BPEModel, normalizer: Normalizer = .none, addedTokens: [AddedToken] = []) {
        self.model = model
        self.normalizer = normalizer
        self.addedTokens = addedTokens
        matcher = AddedTokenMatcher(addedTokens)
    }

    /// Number of ids in the vocabulary.
    public var vocabularySize: Int { model.count }

    /// The id of a token string (byte-level form, or an added token's content).
    public func id(of token: String) -> Int? {
        if let added = addedTokens.first(where: { $0.content == token }) { return added.id }
        return model.ids[token]
    }

    /// A reusable encoder holding a word cache; keep one per thread for many calls.
    public func makeEncoder() -> TokenEncoder { TokenEncoder(tokenizer: self) }

    /// Token ids of `text`.
    public func encode(_ text: String) -> [Int] {
        let encoder = makeEncoder()
        return encoder.encode(text)
    }

    /// Token ids of raw bytes; invalid UTF-8 is encoded byte by byte and decodes back exactly.
    public func encode(bytes: [UInt8]) -> [Int] {
        let encoder = makeEncoder()
        return encoder.encode(bytes: bytes)
    }
}
