import Foundation
import Testing
@testable import Tokenizer

@Suite("GPT-2 pre-tokenizer")
struct PreTokenizerTests {
    private func pieces(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            PreTokenizer.withTable { splitter in
                splitter.split(buffer).map { String(decoding: bytes[$0], as: UTF8.self) }
            }
        }
    }

    @Test("contractions are lower-case only, odd quotes split as punctuation")
    func contractions() {
        #expect(pieces("don't") == ["don", "'t"])
        #expect(pieces("they're we've I'll he'd I'm") == ["they", "'re", " we", "'ve", " I", "'ll", " he", "'d", " I", "'m"])
        #expect(pieces("IT'S") == ["IT", "'", "S"])
        #expect(pieces("''s") == ["''", "s"])
        #expect(pieces(" 's") == [" '", "s"])
        #expect(pieces("'sa") == ["'s", "a"])
    }

    @Test("a whitespace run before a word leaves its last scalar to the word (the look-ahead)")
    func lookAhead() {
        #expect(pieces("a   b") == ["a", "  ", " b"])
        #expect(pieces("x \ty") == ["x", " ", "\t", "y"])
        #expect(pieces("a\u{3000}\u{3000}b") == ["a", "\u{3000}", "\u{3000}", "b"])
        #expect(pieces("end   ") == ["end", "   "])
        #expect(pieces("a\n\nb") == ["a", "\n", "\n", "b"])
    }

    @Test("letters, numbers and other symbols form separate runs; marks count as other")
    func classes() {
        #expect(pieces("abc123!!x") == ["abc", "123", "!!", "x"])
        #expect(pieces(" 42 ?!") == [" 42", " ?!"])
        #expect(pieces("cafe\u{301}s") == ["cafe", "\u{301}", "s"])
        #expect(pieces("日本語のテキスト") == ["日本語のテキスト"])
        #expect(pieces("Ⅻ½") == ["Ⅻ½"])
    }

    @Test("invalid UTF-8 bytes are single 'other' scalars and every byte is covered")
    func invalidBytes() {
        let bytes: [UInt8] = [0x61, 0xFF, 0xFE, 0x62, 0xE2, 0x82, 0x20, 0xF0, 0x9F, 0x98, 0x80]
        let ranges = bytes.withUnsafeBufferPointer { buffer in PreTokenizer.withTable { $0.split(buffer) } }
        #expect(ranges.map(\.count).reduce(0, +) == bytes.count)
        #expect(ranges == [0..<1, 1..<3, 3..<4, 4..<6, 6..<11])
    }
}

@Suite("Character classes against HF's Oniguruma tables")
struct CharacterClassTests {
    @Test("every Unicode scalar has the class HF's GPT-2 pattern gives it (tools/tokenizer_classes.py)")
    func allScalars() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.path("character_classes.json")))
        let runs = try #require(try JSONSerialization.jsonObject(with: data) as? [[Int]])
        var mismatches: [String] = []
        for (index, run) in runs.enumerated() {
            let end = index + 1 < runs.count ? runs[index + 1][0] : 0x110000
            for value in run[0]..<end where !(0xD800...0xDFFF).contains(value) {
                let ours = value < 0x10000 ? Int(CharacterClass.basicPlane[value]) : Int(CharacterClass.classify(UInt32(value)).rawValue)
                if ours != run[1] { mismatches.append(String(format: "U+%04X ours %d HF %d", value, ours, run[1])) }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(20))")
    }
}
