// Whole-model finite-difference check on a tiny encoder (V=50, T=8, C=16, 2 layers, 2 heads).
import Tensor
import Testing
@testable import TextModel

@Suite("Tiny encoder: backward matches central finite differences")
struct EncoderGradientTests {
    static let configuration = TextEncoderConfiguration(vocabularySize: 50, contextLength: 8, layerCount: 2, width: 16,
                                                        headCount: 2, padTokenId: 1, maskTokenId: 2)

    @Test("Every parameter tensor (sampled entries): masked-LM loss + Σ pooled·R")
    func wholeEncoder() throws {
        let encoder = try TextEncoder(configuration: Self.configuration, seed: 7)
        // Larger-than-default weights so every path carries a gradient well above float32 noise.
        var generator = SeededGenerator(seed: 8)
        for i in 0..<encoder.parameters.count { encoder.parameters.base[i] += 0.3 * generator.nextGaussian() }
        let sequences: [[Int32]] = [[5, 9, 12, 7, 30, 41, 22, 8], [6, 2, 44, 19, 2]]
        let batch = MaskedLMBatch(input: try TokenBatch(sequences: sequences, padTokenId: 1, maximumLength: 8),
                                  positions: [1, 4, 9, 11], targets: [9, 30, 33, 21])
        let pooledWeight = randomValues(2 * 16, seed: 9)
        func loss() throws -> Double {
            let value = Double(try encoder.forwardMaskedLM(batch))
            return value + weightedSum(encoder.pooled, pooledWeight)
        }
        encoder.gradients.zero()
        _ = try loss()
        try encoder.backward(pooledGradient: pooledWeight)
        for specification in encoder.parameters.specifications {
            let sampled = Array(stride(from: 0, to: specification.count, by: max(1, specification.count / 12)))
            var numeric: [Double] = []
            for index in sampled {
                let pointer = encoder.parameters.base + specification.offset + index
                let saved = pointer.pointee, step: Float = 1e-2
                pointer.pointee = saved + step
                let plus = try loss()
                pointer.pointee = saved - step
                let minus = try loss()
                pointer.pointee = saved
                numeric.append((plus - minus) / Double(2 * step))
            }
            let analytic = sampled.map { Double(encoder.gradients.base[specification.offset + $0]) }
            let error = relativeError(analytic, numeric)
            #expect(error <= 1e-3, "\(specification.name): relative error \(error)")
        }
    }

    @Test("Backward accumulates: two backward passes give twice the gradient")
    func accumulates() throws {
        let encoder = try TextEncoder(configuration: Self.configuration, seed: 3)
        let batch = MaskedLMBatch(input: try TokenBatch(sequences: [[5, 9, 12, 7]], padTokenId: 1, maximumLength: 8),
                                  positions: [2], targets: [12])
        encoder.gradients.zero()
        _ = try encoder.forwardMaskedLM(batch)
        try encoder.backward()
        let once = try #require(encoder.gradients.values("h.0.attn.c_attn.weight"))
        _ = try encoder.forwardMaskedLM(batch)
        try encoder.backward()
        let twice = try #require(encoder.gradients.values("h.0.attn.c_attn.weight"))
        #expect(once.contains { $0 != 0 })
        #expect(zip(once, twice).allSatisfy { abs(2 * $0 - $1) <= 1e-6 + 1e-5 * abs($1) })
    }
}
