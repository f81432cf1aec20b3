import Tensor
import Foundation
import Testing
@testable import Tokenizer

@Suite("GPT-2 parity with HF tokenizers and tiktoken")
struct GPT2ParityTests {
    @Test("every golden case encodes to the reference ids")
    func goldenIds() throws {
        let tokenizer = try Fixtures.gpt2.get()
        let cases = try Fixtures.golden("gpt2_golden.json")
        #expect(cases.count >= 50)
        var mismatches = 0
        for golden in cases {
            let ids = tokenizer.encode(golden.text)
            if ids != golden.ids {
                mismatches += 1
                Issue.record("mismatch on \(golden.text.debugDescription.prefix(80)): \(ids.prefix(12)) vs \(golden.ids.prefix(12))")
            }
        }
        #expect(mismatches == 0)
    }

    @Test("decode(encode(x)) == x on every golden text")
    func roundTrip() throws {
        let tokenizer = try Fixtures.gpt2.get()
        for golden in try Fixtures.golden("gpt2_golden.json") {
            #expect(try tokenizer.decode(tokenizer.encode(golden.text)) == golden.text)
        }
    }

    @Test("a reused encoder (warm word cache) gives the same ids as a fresh one")
    func cacheConsistency() throws {
        let tokenizer = try Fixtures.gpt2.get()
        let encoder = tokenizer.makeEncoder()
        let cases = try Fixtures.golden("gpt2_golden.json")
        for _ in 0..<2 {
            for golden in cases { #expect(encoder.encode(golden.text) == golden.ids) }
        }
    }

    @Test("the known ids of \"Hello world\" in GPT-2")
    func helloWorld() throws {
        let tokenizer = try Fixtures.gpt2.get()
        #expect(tokenizer.encode("Hello world") == [15496, 995])
        #expect(try tokenizer.tokens([15496, 995]) == ["Hello", "Ġworld"])
    }

    @Test("invalid UTF-8 is encoded byte by byte and decodes back to the exact bytes")
    func invalidUTF8() throws {
        let tokenizer = try Fixtures.gpt2.get()
        let samples: [[UInt8]] = [
            [0xFF], [0xC0, 0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            Array("ok ".utf8) + [0x80, 0x80] + Array(" done\u{1F600}".utf8) + [0xF0, 0x9F],
        ]
        for bytes in samples {
            let ids = tokenizer.encode(bytes: bytes)
            #expect(try tokenizer.decodeBytes(ids) == bytes)
        }
        #expect(try tokenizer.decode(tokenizer.encode(bytes: [0x61, 0xFF])) == "a\u{FFFD}")
    }

    @Test("random byte strings round-trip exactly")
    func randomBytes() throws {
        let tokenizer = try Fixtures.gpt2.get()
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let count = Int(generator.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(try tokenizer.decodeBytes(tokenizer.encode(bytes: bytes)) == bytes)
        }
    }

    @Test("an unknown id is a typed error")
    func unknownId() throws {
        let tokenizer = try Fixtures.gpt2.get()
        #expect(throws: TokenizerError.unknownId(60000)) { try tokenizer.decode([60000]) }
    }
}

