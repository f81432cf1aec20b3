/// GPT-2's pre-tokenizer, written by hand over UTF-8 bytes: it splits text exactly where the pattern
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// does (openai/gpt-2 `src/encoder.py`), leftmost alternative first at each position:
/// - contractions are lower-case only (`'S` is punctuation then a letter, as in GPT-2);
/// - one ASCII space joins the run that follows it (letters, numbers or other symbols);
/// - a whitespace run followed by a non-space keeps its last scalar for the next piece
///   (`\s+(?!\S)` backtracks by one scalar), so `"a   b"` splits as `a`, `  `, ` b`.
///
/// Invalid UTF-8 policy: each byte that does not start a well-formed scalar is one "other" scalar of
/// length 1, so any byte sequence splits without error and the byte-level model encodes it exactly.
struct PreTokenizer {
    /// The BMP class table (`CharacterClass.basicPlane`), borrowed for the duration of one encode.
    let classes: UnsafeBufferPointer<UInt8>

    /// Calls `body` with the table ready; the hot loop then reads classes without global accesses.
    static func withTable<R>(_ body: (PreTokenizer) throws -> R) rethrows -> R {
        try CharacterClass.basicPlane.withUnsafeBufferPointer { try body(PreTokenizer(classes: $0)) }
    }

    /// Splits `bytes` into pieces (byte ranges, in order, covering everything).
    func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = 0
        while start < bytes.count {
            let end = pieceEnd(bytes, from: start)
            pieces.append(start..<end)
            start = end
        }
        return pieces
    }

    /// The class and byte length of the scalar starting at `index`.
    @inline(__always)
    func scalar(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (CharacterClass, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (CharacterClass(rawValue: classes[Int(lead)]) ?? .other, 1) }
        return decodeMultibyte(bytes, index)
    }

    /// Decodes and classifies a scalar of 2–4 bytes; an ill-formed sequence is one "other" byte.
    private func decodeMultibyte(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (CharacterClass, Int) {
        let lead = bytes[index]
        let remaining = bytes.count - index
        @inline(__always) func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> UInt32? {
            guard offset < remaining else { return nil }
            let byte = bytes[index + offset]
            return byte >= low && byte <= high ? UInt32(byte & 0x3F) : nil
        }
        var value: UInt32
        var length: Int
        switch lead {
        case 0xC2...0xDF:
            guard let c1 = continuation(1) else { return (.other, 1) }
            value = (UInt32(lead & 0x1F) << 6) | c1
            length = 2
        case 0xE0...0xEF:
            let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
            guard let c1 = continuation(1, low, high), let c2 = continuation(2) else { return (.other, 1) }
            value = (UInt32(lead & 0x0F) << 12) | (c1 << 6) | c2
            length = 3
        case 0xF0...0xF4:
            let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
            guard let c1 = continuation(1, low, high), let c2 = continuation(2), let c3 = continuation(3) else {
                return (.other, 1)
            }
            value = (UInt32(lead & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
            length = 4
        default:
            return (.other, 1)
        }
        if value < 0x10000 { return (CharacterClass(rawValue: classes[Int(value)]) ?? .other, length) }
        return (CharacterClass.classify(value), length)
    }

    /// The end of the run of scalars of class `kind` starting at `index`.
    @inline(__always)
    private func runEnd(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int, of kind: CharacterClass) -> Int {
        var end = index
        while end < bytes.count {
            let lead = bytes[end]
            if lead < 0x80 {
                if classes[Int(lead)] != kind.rawValue { break }
                end += 1
            } else {
                let (found, length) = decodeMultibyte(bytes, end)
                if found != kind { break }
                end += length
            }
        }
        return end
    }

    /// The end of the piece that starts at `start`, by the pattern's alternatives in order.
    func pieceEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = bytes.count
        let lead = bytes[start]
        if lead == 0x27, start + 1 < count {  // 's 't 're 've 'm 'll 'd
            switch bytes[start + 1] {
            case 0x73, 0x74, 0x6D, 0x64: return start + 2  // s t m d
            case 0x72, 0x76:  // r v, then e
                if start + 2 < count, bytes[start + 2] == 0x65 { return start + 3 }
            case 0x6C:  // l, then l
                if start + 2 < count, bytes[start + 2] == 0x6C { return start + 3 }
            default: break
            }
        }
        if lead == 0x20, start + 1 < count {  // " ?X+": a space joins the run after it
            let (next, length) = scalar(bytes, start + 1)
            if next != .whitespace { return runEnd(bytes, from: start + 1 + length, of: next) }
        }
        let (kind, length) = scalar(bytes, start)
        if kind != .whitespace { return runEnd(bytes, from: start + length, of: kind) }
        // \s+(?!\S) | \s+
        var end = start + length
        var lastStart = start
        while end < count {
            let (next, nextLength) = scalar(bytes, end)
            if next != .whitespace { break }
            lastStart = end
            end += nextLength
        }
        if end == count { return count }
        return lastStart > start ? lastStart : end
    }
}
