import Testing
@testable import Tokenizer

@Suite("Pipeline pieces: normalizer, long inputs, model input")
struct PipelineTests {
    @Test("NFKC folds full-width forms; lower-casing is optional")
    func normalizer() {
        let text = Array("Ａｎｉｍｅ ① ﬁ".utf8)
        let plain = text.withUnsafeBufferPointer { Normalizer.nfkc(lowercase: false).normalize($0) }
        let lower = text.withUnsafeBufferPointer { Normalizer.nfkc(lowercase: true).normalize($0) }
        #expect(String(decoding: plain, as: UTF8.self) == "Anime 1 fi")
        #expect(String(decoding: lower, as: UTF8.self) == "anime 1 fi")
        let none = text.withUnsafeBufferPointer { Normalizer.none.normalize($0) }
        #expect(none == text)
    }

    @Test("long pathological pieces (heap merge path) round-trip and equal the short-path result on repeats")
    func longPieces() throws {
        let tokenizer = try Fixtures.gpt2.get()
        for text in [String(repeating: "a", count: 100_000), String(repeating: " ", count: 50_000),
                     String(repeating: "😀", count: 20_000), String(repeating: "ab", count: 30_000)] {
            let ids = tokenizer.encode(text)
            #expect(try tokenizer.decode(ids) == text)
            #expect(ids.count <= text.utf8.count)
        }
        // 96 'a's take the linear path, 192 the heap: the heap result is the linear one twice.
        let short = tokenizer.encode(String(repeating: "a", count: 64))
        let long = tokenizer.encode(String(repeating: "a", count: 128))
        #expect(long == short + short)
    }

    @Test("truncation and padding on either side, with attention masks")
    func modelInput() {
        let rows = [[1, 2, 3, 4, 5], [6, 7]]
        let right = Tokenizer.prepare(rows, options: ModelInputOptions(maximumLength: 4, padding: .toMaximumLength, paddingId: 9))
        #expect(right == [ModelInput(ids: [1, 2, 3, 4], attentionMask: [1, 1, 1, 1]),
                          ModelInput(ids: [6, 7, 9, 9], attentionMask: [1, 1, 0, 0])])
        let left = Tokenizer.prepare(rows, options: ModelInputOptions(maximumLength: 3, truncationSide: .left,
                                                                       padding: .toMaximumLength, paddingSide: .left, paddingId: 0))
        #expect(left == [ModelInput(ids: [3, 4, 5], attentionMask: [1, 1, 1]),
                         ModelInput(ids: [0, 6, 7], attentionMask: [0, 1, 1])])
        let longest = Tokenizer.prepare(rows, options: ModelInputOptions(padding: .toLongest, paddingId: 0))
        #expect(longest.map(\.ids.count) == [5, 5])
    }

    @Test("batch encoding on two threads equals one-by-one encoding, in order")
    func batch() throws {
        let tokenizer = try Fixtures.gpt2.get()
        let texts = try Fixtures.golden("gpt2_golden.json").map(\.text)
        #expect(tokenizer.encodeBatch(texts, threads: 2) == texts.map { tokenizer.encode($0) })
    }
}
