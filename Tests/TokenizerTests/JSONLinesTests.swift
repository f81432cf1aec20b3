import Foundation
import Testing
@testable import Tokenizer

@Suite("JSON lines wire format of `tokenizer encode --jsonl`")
struct JSONLinesTests {
    private func parse(_ line: String) -> String? {
        JSONLines.parseString(ArraySlice(Array(line.utf8))).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("escapes, surrogate pairs and raw UTF-8 decode like JSONSerialization")
    func strings() throws {
        let samples = ["plain", "tab\tand\nnewline", "quote \" backslash \\ slash /", "é 日本 😀", "\u{0}\u{1f}", ""]
        for sample in samples {
            let encoded = try JSONSerialization.data(withJSONObject: [sample], options: [])
            let line = String(decoding: encoded.dropFirst().dropLast(), as: UTF8.self)
            #expect(parse(line) == sample)
        }
        #expect(parse(#"  "\u00e9\ud83d\ude00\/"  "#) == "é😀/")
        #expect(parse(#""\ud800x""#) == "\u{FFFD}x")
    }

    @Test("anything but one JSON string is rejected")
    func rejects() {
        for line in ["", "abc", "\"open", "\"a\" x", "[\"a\"]", "\"bad \\q\"", "\"\\u12\"", "\"raw\ttab\""] {
            #expect(parse(line) == nil)
        }
    }

    @Test("id arrays are written as compact JSON, one per line")
    func arrays() {
        var out: [UInt8] = []
        JSONLines.appendArray([0, 15496, 995], to: &out)
        JSONLines.appendArray([], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "[0,15496,995]\n[]\n")
    }
}
