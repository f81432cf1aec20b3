/// The encoding loop with its reusable state (word cache, merge buffers). Not shared between threads
/// (it is not `Sendable`): make one per thread with `Tokenizer.makeEncoder()`.
public final class TokenEncoder {
    /// The tokenizer this encoder runs.
    public let tokenizer: Tokenizer
    /// Made once this encoder has seen `cacheAfterBytes` bytes, so one-shot short texts allocate nothing.
    private var cache: WordCache?
    private var bytesSeen = 0
    private static let cacheAfterBytes = 4096
    private var merger = BPEMerger()
    private var scratch: [UInt32] = []

    /// An encoder for `tokenizer`.
    public init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// Token ids of `text`.
    public func encode(_ text: String) -> [Int] {
        var text = text
        return text.withUTF8 { encode(bytes: $0) }
    }

    /// Token ids of raw bytes (see `PreTokenizer` for the invalid-UTF-8 policy).
    public func encode(bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBufferPointer { encode(bytes: $0) }
    }

    /// Token ids of raw bytes.
    public func encode(bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var ids = scratch
        scratch = []
        ids.removeAll(keepingCapacity: true)
        append(bytes, to: &ids)
        defer { scratch = ids }
        return ids.map { Int($0) }
    }

    /// Appends the ids of `bytes` to `output` (the allocation-free form used by benchmarks and batches).
    public func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt32]) {
        let matcher = tokenizer.matcher
        if matcher.isEmpty {
            appendText(bytes, to: &output)
            return
        }
        var segmentStart = 0
        var index = 0
        while index < bytes.count {
            if let found = matcher.match(bytes, at: index) {
                if index > segmentStart { appendText(UnsafeBufferPointer(rebasing: bytes[segmentStart..<index]), to: &output) }
                output.append(found.id)
                index += found.length
                segmentStart = index
            } else {
                index += 1
            }
        }
        if segmentStart < bytes.count { appendText(UnsafeBufferPointer(rebasing: bytes[segmentStart...]), to: &output) }
    }

    /// Normalizes (if configured), splits and merges one stretch of text without added tokens.
    private func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt32]) {
        if tokenizer.normalizer != .none {
            let normalized = tokenizer.normalizer.normalize(bytes)
            normalized.withUnsafeBufferPointer { appendPieces($0, to: &output) }
        } else {
            appendPieces(bytes, to: &output)
        }
    }

    private func appendPieces(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt32]) {
        let model = tokenizer.model
        bytesSeen += bytes.count
        if cache == nil, bytesSeen >= Self.cacheAfterBytes { cache = WordCache() }
        let cache = self.cache
        model.byteIds.withUnsafeBufferPointer { byteIds in
            PreTokenizer.withTable { splitter in
                var start = 0
                while start < bytes.count {
                    let end = splitter.pieceEnd(bytes, from: start)
                    let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    start = end
                    if piece.count == 1 {
                        output.append(byteIds[Int(piece[0])])
                        continue
                    }
                    guard let cache, piece.count <= WordCache.maximumPieceLength else {
                        merger.merge(piece, model: model, into: &output)
                        continue
                    }
                    let hash = WordCache.hash(piece)
                    if cache.lookup(piece, hash: hash, into: &output) { continue }
                    let before = output.count
                    merger.merge(piece, model: model, into: &output)
                    cache.insert(piece, hash: hash, ids: output[before...])
                }
            }
        }
    }
}
