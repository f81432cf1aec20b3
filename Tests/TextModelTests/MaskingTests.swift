// The BERT masking recipe: proportions, special tokens, padding, determinism.
import Tensor
import Testing
@testable import TextModel

@Suite("Masked-LM masking (BERT 15%, 80/10/10)")
struct MaskingTests {
    static let configuration = TextEncoderConfiguration(vocabularySize: 1000, contextLength: 128, layerCount: 1, width: 8,
                                                        headCount: 2, padTokenId: 1, maskTokenId: 2, specialTokenIds: [0, 1, 2, 3])

    /// 64 sequences of 128 tokens, ids 4..<1000, with a <cls> (3) first and padding at the end of every other one.
    static func batch() throws -> TokenBatch {
        var generator = SeededGenerator(seed: 11)
        let sequences: [[Int32]] = (0..<64).map { index in
            [3] + (0..<(index % 2 == 0 ? 127 : 90)).map { _ in Int32(4 + generator.next() % 996) }
        }
        return try TokenBatch(sequences: sequences, padTokenId: 1, maximumLength: 128)
    }

    @Test("About 15% of maskable tokens are chosen; of them ~80% <mask>, ~10% random, ~10% kept")
    func proportions() throws {
        let batch = try Self.batch()
        var generator = SeededGenerator(seed: 5)
        let masked = try MaskedLanguageModeling().mask(batch, configuration: Self.configuration, generator: &generator)
        let maskable = batch.tokenIds.filter { $0 >= 4 }.count
        let chosen = masked.positions.count
        #expect(abs(Double(chosen) / Double(maskable) - 0.15) < 0.02, "chose \(chosen) of \(maskable)")
        var maskTokens = 0, kept = 0, replaced = 0
        for (position, target) in zip(masked.positions, masked.targets) {
            let now = masked.input.tokenIds[Int(position)]
            #expect(target == batch.tokenIds[Int(position)])
            if now == 2 { maskTokens += 1 } else if now == target { kept += 1 } else { replaced += 1 }
        }
        #expect(abs(Double(maskTokens) / Double(chosen) - 0.8) < 0.05)
        #expect(abs(Double(kept) / Double(chosen) - 0.1) < 0.04)
        #expect(abs(Double(replaced) / Double(chosen) - 0.1) < 0.04)
    }

    @Test("Special tokens and padding are never chosen or used as replacements; unchosen tokens are untouched")
    func specialTokens() throws {
        let batch = try Self.batch()
        var generator = SeededGenerator(seed: 6)
        let masked = try MaskedLanguageModeling().mask(batch, configuration: Self.configuration, generator: &generator)
        #expect(masked.targets.allSatisfy { $0 >= 4 })
        let chosen = Set(masked.positions.map(Int.init))
        for index in batch.tokenIds.indices where !chosen.contains(index) {
            #expect(masked.input.tokenIds[index] == batch.tokenIds[index])
        }
        #expect(masked.positions.allSatisfy { masked.input.tokenIds[Int($0)] != 1 && masked.input.tokenIds[Int($0)] != 3 })
    }

    @Test("Same seed, same masks; another seed, other masks")
    func deterministic() throws {
        let batch = try Self.batch()
        var first = SeededGenerator(seed: 9), second = SeededGenerator(seed: 9), third = SeededGenerator(seed: 10)
        let recipe = MaskedLanguageModeling()
        let a = try recipe.mask(batch, configuration: Self.configuration, generator: &first)
        let b = try recipe.mask(batch, configuration: Self.configuration, generator: &second)
        let c = try recipe.mask(batch, configuration: Self.configuration, generator: &third)
        #expect(a == b)
        #expect(a.positions != c.positions)
    }

    @Test("A short sequence still gets one masked token; a batch of only specials is an error")
    func edges() throws {
        var generator = SeededGenerator(seed: 1)
        let short = try TokenBatch(sequences: [[3, 500]], padTokenId: 1, maximumLength: 8)
        let masked = try MaskedLanguageModeling().mask(short, configuration: Self.configuration, generator: &generator)
        #expect(masked.positions == [1] && masked.targets == [500])
        let specials = try TokenBatch(sequences: [[3, 0], []], padTokenId: 1, maximumLength: 8)
        #expect(throws: TextModelError.self) {
            try MaskedLanguageModeling().mask(specials, configuration: Self.configuration, generator: &generator)
        }
    }
}
