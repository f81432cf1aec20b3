// Words of a document, the way TfidfVectorizer sees them: ICU NFKC normalization (optionally lower-cased),
// then ICU's UAX #29 word boundaries, keeping only segments ICU tags as words (letters, numbers, kana,
// ideographs) — spaces and punctuation are dropped.
//
// Single-character words ("a", "i", "2") are KEPT, unlike scikit-learn's default token_pattern
// `(?u)\b\w\w+\b`: "season 2" and "part ii" are informative bigrams. tools/baseline_reference.py passes
// the same tokenizer to scikit-learn, so the semantics match.
import CICU

/// Splits documents into normalized word tokens (UTF-8 bytes); reuses its buffers, so keep one per thread.
struct WordTokenizer {
    /// Lower-case before normalizing (TfidfConfiguration.lowercase).
    let lowercase: Bool
    private var normalized = [CChar](repeating: 0, count: 4096)
    private var lowered = [UInt8](repeating: 0, count: 4096)
    private var characterClasses = [ASCIIWordClass](repeating: .other, count: 4096)
    private var characterStarts = [Int32](repeating: 0, count: 4096)
    private var starts = [Int32](repeating: 0, count: 1024)
    private var ends = [Int32](repeating: 0, count: 1024)

    /// A tokenizer with empty scratch buffers.
    init(lowercase: Bool) { self.lowercase = lowercase }

    /// Calls `body` with the UTF-8 bytes of every word of `document`, in order; the bytes live only during the call.
    /// Pure-ASCII text (before or after normalization) takes the ASCII word-break fast path unless `useICUOnly`.
    mutating func forEachWord(in document: String, useICUOnly: Bool = false,
                              _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var document = document
        let handled = useICUOnly ? false : document.withUTF8 { source -> Bool in
            if isASCII(source) {
                asciiWords(source, lowercase: lowercase, body)
                return true
            }
            return simpleWords(source, body)
        }
        if handled { return }
        let length = document.withUTF8 { source in normalize(source) }
        guard length > 0 else { return }
        let normalizedIsASCII = normalized.withUnsafeBufferPointer { text in
            text.withMemoryRebound(to: UInt8.self) { isASCII(UnsafeBufferPointer(rebasing: $0[..<length])) }
        }
        if normalizedIsASCII && !useICUOnly {
            let copy = normalized
            copy.withUnsafeBufferPointer { text in
                text.withMemoryRebound(to: UInt8.self) { asciiWords(UnsafeBufferPointer(rebasing: $0[..<length]), lowercase: false, body) }
            }
            return
        }
        let count = segment(length)
        normalized.withUnsafeBufferPointer { text in
            guard let base = text.baseAddress else { return }
            let bytes = UnsafeRawPointer(base).assumingMemoryBound(to: UInt8.self)
            for index in 0..<count {
                let start = Int(starts[index]), end = Int(ends[index])
                body(UnsafeBufferPointer(start: bytes + start, count: end - start))
            }
        }
    }

    /// Fast path for text of ASCII plus `simpleCharacter`s; returns false (having called nothing) on any other character.
    private mutating func simpleWords(_ source: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        if lowered.count < source.count + 1 { lowered = [UInt8](repeating: 0, count: source.count * 2 + 1) }
        if characterClasses.count < source.count + 1 {
            characterClasses = [ASCIIWordClass](repeating: .other, count: source.count * 2 + 1)
            characterStarts = [Int32](repeating: 0, count: source.count * 2 + 1)
        }
        let lowercase = self.lowercase
        var characters = 0
        let known = lowered.withUnsafeMutableBufferPointer { output in
            characterClasses.withUnsafeMutableBufferPointer { classes in
                characterStarts.withUnsafeMutableBufferPointer { starts in
                    ASCIIWordClass.table.withUnsafeBufferPointer { table -> Bool in
                        var index = 0
                        while index < source.count {
                            let byte = source[index]
                            starts[characters] = Int32(index)
                            if byte < 0x80 {
                                output[index] = lowercase && byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
                                classes[characters] = table[Int(byte)]
                                index += 1
                            } else {
                                // Only 2- and 3-byte sequences can be simple characters.
                                let length = byte >= 0xE0 ? 3 : 2
                                guard byte >= 0xC2, byte < 0xF0, index + length <= source.count else { return false }
                                var scalar = UInt32(byte & (length == 2 ? 0x1F : 0x0F))
                                for offset in 1..<length {
                                    let continuation = source[index + offset]
                                    guard continuation & 0xC0 == 0x80 else { return false }
                                    scalar = scalar << 6 | UInt32(continuation & 0x3F)
                                }
                                guard let simple = simpleCharacter(scalar) else { return false }
                                let written = lowercase ? simple.lowercase : scalar
                                if length == 2 {
                                    output[index] = UInt8(0xC0 | (written >> 6))
                                    output[index + 1] = UInt8(0x80 | (written & 0x3F))
                                } else {
                                    output[index] = UInt8(0xE0 | (written >> 12))
                                    output[index + 1] = UInt8(0x80 | ((written >> 6) & 0x3F))
                                    output[index + 2] = UInt8(0x80 | (written & 0x3F))
                                }
                                classes[characters] = simple.wordClass
                                index += length
                            }
                            characters += 1
                        }
                        starts[characters] = Int32(source.count)
                        return true
                    }
                }
            }
        }
        guard known else { return false }
        lowered.withUnsafeBufferPointer { text in
            characterClasses.withUnsafeBufferPointer { classes in
                characterStarts.withUnsafeBufferPointer { starts in
                    forEachWordSegment(count: characters, classAt: { classes[$0] }) { first, end in
                        body(UnsafeBufferPointer(rebasing: text[Int(starts[first])..<Int(starts[end])]))
                    }
                }
            }
        }
        return true
    }

    /// ASCII fast path: word-break `source`, lower-casing each word into a scratch buffer when asked.
    private mutating func asciiWords(_ source: UnsafeBufferPointer<UInt8>, lowercase: Bool,
                                     _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard lowercase else {
            forEachASCIIWord(source) { start, end in body(UnsafeBufferPointer(rebasing: source[start..<end])) }
            return
        }
        if lowered.count < source.count { lowered = [UInt8](repeating: 0, count: source.count * 2) }
        lowered.withUnsafeMutableBufferPointer { output in
            for index in 0..<source.count {
                let byte = source[index]
                output[index] = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
            }
            let text = UnsafeBufferPointer(rebasing: output[0..<source.count])
            forEachASCIIWord(text) { start, end in body(UnsafeBufferPointer(rebasing: text[start..<end])) }
        }
    }

    /// NFKC (+ lowercase) of `source` into `normalized`; returns its byte length (0 on an ICU failure).
    private mutating func normalize(_ source: UnsafeBufferPointer<UInt8>) -> Int {
        guard source.count > 0, let base = source.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
        for _ in 0..<2 {
            let capacity = normalized.count
            let written = normalized.withUnsafeMutableBufferPointer { output in
                ap_icu_nfkc(raw, Int32(source.count), lowercase ? 1 : 0, output.baseAddress, Int32(capacity))
            }
            if written < 0 { return 0 }
            if Int(written) < capacity { return Int(written) }
            normalized = [CChar](repeating: 0, count: Int(written) * 2 + 16)
        }
        return 0
    }

    /// Word boundaries of the first `length` bytes of `normalized` into `starts`/`ends`; returns the word count.
    private mutating func segment(_ length: Int) -> Int {
        for _ in 0..<2 {
            let capacity = starts.count
            let found = normalized.withUnsafeBufferPointer { text in
                starts.withUnsafeMutableBufferPointer { startBuffer in
                    ends.withUnsafeMutableBufferPointer { endBuffer in
                        ap_icu_words(text.baseAddress, Int32(length), startBuffer.baseAddress,
                                     endBuffer.baseAddress, Int32(capacity))
                    }
                }
            }
            if found < 0 { return 0 }
            if Int(found) <= capacity { return Int(found) }
            starts = [Int32](repeating: 0, count: Int(found) * 2)
            ends = [Int32](repeating: 0, count: Int(found) * 2)
        }
        return 0
    }

    /// The words of `document` as Strings (for explanations and tests).
    mutating func words(_ document: String, useICUOnly: Bool = false) -> [String] {
        var result: [String] = []
        forEachWord(in: document, useICUOnly: useICUOnly) { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }
}
