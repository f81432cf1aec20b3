// The ASCII word-break fast path must equal ICU's UAX #29 segmentation on every ASCII input.
import Tensor
import Foundation
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

    @Test("non-ASCII fast path (Latin-1, macrons, curly quotes, dashes) equals ICU on 20,000 random strings")
    func simpleFastPathEqualsICU() {
        var random = SplitMix64(seed: 31)
        // Simple characters the fast path handles, characters it must hand to ICU (combining acute, kana,
        // zero-width space, dotted İ, sigma, ﬁ ligature), and rule-relevant ASCII.
        let simple = "ÀÉÖØÞßéöøÿ×÷°ĀāĒēĪīŌōŪū‘’–—―“”…★☆\u{A0}"
        let handedToICU = "\u{301}の\u{200B}İΣﬁ"
        let alphabet = Array("aZ9_.',;: -\"" + simple + simple + handedToICU)
        var tokenizer = WordTokenizer(lowercase: true)
        var raw = WordTokenizer(lowercase: false)
        var mismatches: [String] = []
        for _ in 0..<20000 {
            let length = 1 + Int(random.next() % 16)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            if tokenizer.words(text) != tokenizer.words(text, useICUOnly: true) { mismatches.append(text) }
            if raw.words(text) != raw.words(text, useICUOnly: true) { mismatches.append("raw: " + text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3).map(\.debugDescription).joined(separator: " "))")
        #expect(tokenizer.words("Ōkami’s CAFÉ—open") == ["ōkami’s", "café", "open"])
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
    @Test("sortAscending and radixSort equal the standard library's sort on random rows with repeats, 0…400 long")
    func sortsLikeStandardLibrary() {
        var random = SplitMix64(seed: 3)
        for length in [0, 1, 2, 23, 24, 25, 100, 400] {
            for _ in 0..<20 {
                var values = (0..<length).map { _ in Int32(random.next() % 50) }
                let expected = values.sorted()
                var radix = values.map { $0 * 5000 }
                var scratch = [Int32](repeating: 0, count: length)
                values.withUnsafeMutableBufferPointer { sortAscending($0) }
                #expect(values == expected, "length \(length)")
                radix.withUnsafeMutableBufferPointer { buffer in
                    scratch.withUnsafeMutableBufferPointer { radixSort(buffer, scratch: $0, bits: 18) }
                }
                #expect(radix == expected.map { $0 * 5000 }, "radix, length \(length)")
            }
        }
    }
}


/// ../shared/data's mal-tv synopses, when present (never committed; read at run time).
private let sharedSynopsesFolder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    .deletingLastPathComponent().appendingPathComponent("shared/data/mal-tv")

@Suite("Word tokenizer on real synopses")
struct RealSynopsisTokenizerTests {
    @Test("fast paths equal ICU on every mal-tv synopsis",
          .enabled(if: FileManager.default.fileExists(atPath: sharedSynopsesFolder.path),
                   "needs ../shared/data/mal-tv (not part of the repository)"))
    func realSynopses() throws {
        var synopses: [String] = []
        let years = try FileManager.default.contentsOfDirectory(atPath: sharedSynopsesFolder.path)
        for year in years {
            let folder = sharedSynopsesFolder.appendingPathComponent(year)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where file.hasSuffix(".json") {
                let titles = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(file)))
                for title in titles as? [[String: Any]] ?? [] {
                    if let synopsis = title["synopsis"] as? String { synopses.append(synopsis) }
                }
            }
        }
        #expect(synopses.count > 1000)
        var tokenizer = WordTokenizer(lowercase: true)
        let mismatches = synopses.filter { tokenizer.words($0) != tokenizer.words($0, useICUOnly: true) }
        #expect(mismatches.isEmpty, "\(mismatches.count) synopses differ, first: \(mismatches.first?.prefix(80) ?? "")")
    }
}
