// The ASCII word-break fast path must equal ICU's UAX #29 segmentation on every ASCII input.
import Testing
@testable import Baseline

@Suite("Word tokenizer")
struct WordTokenizerTests {
    @Test("ASCII fast path equals ICU on 20,000 random strings of word-break-relevant characters")
    func asciiFastPathEqualsICU() {
        var random = SplitMix64(seed: 29)
        // Characters that matter to the rules, repeated so they dominate, plus every ASCII character once.
        let alphabet = Array("aZ9_.',;:\"-!? \t\n\r/()&@#$%0xQ" + "aZ9_.',;" + String((1..<128).map { Character(Unicode.Scalar(UInt8($0))) }))
        var tokenizer = WordTokenizer(lowercase: true)
        var mismatches: [String] = []
        for _ in 0..<20000 {
            let length = 1 + Int(random.next() % 24)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            if tokenizer.words(text) != tokenizer.words(text, useICUOnly: true) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3).map(\.debugDescription).joined(separator: " "))")
    }

    @Test("documents that normalize to ASCII (full-width, ellipsis) equal ICU too")
    func normalizedASCII() {
        var tokenizer = WordTokenizer(lowercase: true)
        for text in ["ＦＵＬＬ-width ＴＥＸＴ… ok", "wait… 1,000 ＨＯＵＲＳ", "ﬁne ligature"] {
            #expect(tokenizer.words(text) == tokenizer.words(text, useICUOnly: true), "\(text)")
        }
        #expect(tokenizer.words("ﬁne ligature") == ["fine", "ligature"])
    }
}

@Suite("Row sort")
struct RowSortTests {
    @Test("sortAscending equals the standard library's sort on random rows with repeats, 0…400 long")
    func sortsLikeStandardLibrary() {
        var random = SplitMix64(seed: 3)
        for length in [0, 1, 2, 23, 24, 25, 100, 400] {
            for _ in 0..<20 {
                var values = (0..<length).map { _ in Int32(random.next() % 50) }
                let expected = values.sorted()
                values.withUnsafeMutableBufferPointer { sortAscending($0) }
                #expect(values == expected, "length \(length)")
            }
        }
    }
}

/// Deterministic 64-bit generator (SplitMix64) for tests.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
