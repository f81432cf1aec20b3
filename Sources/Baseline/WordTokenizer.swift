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
    private var starts = [Int32](repeating: 0, count: 1024)
    private var ends = [Int32](repeating: 0, count: 1024)

    /// A tokenizer with empty scratch buffers.
    init(lowercase: Bool) { self.lowercase = lowercase }

    /// Calls `body` with the UTF-8 bytes of every word of `document`, in order; the bytes live only during the call.
    mutating func forEachWord(in document: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var document = document
        let length = document.withUTF8 { source in normalize(source) }
        guard length > 0 else { return }
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
    mutating func words(_ document: String) -> [String] {
        var result: [String] = []
        forEachWord(in: document) { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }
}
