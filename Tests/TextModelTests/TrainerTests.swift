// Masked-LM training end to end: a tiny model overfits, seeded runs repeat, checkpoints round-trip.
import Foundation
import Tensor
import Testing
@testable import TextModel

@Suite("Masked-LM trainer and checkpoints")
struct TrainerTests {
    static let configuration = TextEncoderConfiguration(vocabularySize: 40, contextLength: 12, layerCount: 2, width: 32,
                                                        headCount: 2, padTokenId: 1, maskTokenId: 2)

    /// Four fixed sequences (the tiny synthetic corpus); the last one is shorter, so it is padded.
    static let corpus: [[Int32]] = [
        [4, 9, 14, 19, 24, 29, 34, 39, 5, 10, 15, 20],
        [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
        [30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8],
        [33, 4, 33, 5, 33, 6, 33, 7],
    ]

    /// Mean loss over every position of the corpus, each masked alone (a fixed, exhaustive evaluation).
    static func exhaustiveLoss(_ encoder: TextEncoder) throws -> Float {
        var total: Float = 0, count = 0
        for (index, sequence) in corpus.enumerated() {
            for position in sequence.indices {
                var input = sequence
                input[position] = 2
                let batch = MaskedLMBatch(input: try TokenBatch(sequences: [input], padTokenId: 1, maximumLength: 12),
                                          positions: [Int32(position)], targets: [sequence[position]])
                total += try encoder.forwardMaskedLM(batch)
                count += 1
                _ = index
            }
        }
        return total / Float(count)
    }

    @Test("A tiny encoder overfits 4 sequences: exhaustive masked-LM loss from ~ln 40 = 3.7 to below 0.5 in 400 steps")
    func overfits() throws {
        let encoder = try TextEncoder(configuration: Self.configuration, seed: 1)
        let before = try Self.exhaustiveLoss(encoder)
        let trainer = MaskedLMTrainer(encoder: encoder, peakLearningRate: 3e-3, warmupSteps: 20, totalSteps: 400,
                                      weightDecay: 0, seed: 2)
        trainer.masking.maskProbability = 0.3
        for _ in 0..<400 { try trainer.step(sequences: Self.corpus) }
        let after = try Self.exhaustiveLoss(encoder)
        #expect(before > 3.3)
        #expect(after < 0.5, "exhaustive loss \(before) → \(after)")
    }

    @Test("Seeded training repeats exactly")
    func reproducible() throws {
        func run() throws -> [Float] {
            let trainer = MaskedLMTrainer(encoder: try TextEncoder(configuration: Self.configuration, seed: 4), seed: 5)
            return try (0..<5).map { _ in try trainer.step(sequences: Self.corpus) }
        }
        let first = try run(), second = try run()
        #expect(first == second)
        #expect(first[4] != first[0])
    }

    @Test("save → load gives the same configuration, weights and text vectors")
    func checkpointRoundTrip() throws {
        let encoder = try TextEncoder(configuration: Self.configuration, seed: 6)
        let trainer = MaskedLMTrainer(encoder: encoder, seed: 7)
        for _ in 0..<3 { try trainer.step(sequences: Self.corpus) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("textmodel-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try encoder.save(to: url)
        let loaded = try TextEncoder.load(from: url)
        #expect(loaded.configuration == encoder.configuration)
        #expect(loaded.parameters.tensors() == encoder.parameters.tensors())
        #expect(try loaded.encode(Self.corpus[3]) == (try encoder.encode(Self.corpus[3])))
    }

    @Test("Loading rejects a missing parameter, a wrong shape and an unknown one, naming it")
    func strictLoading() throws {
        let encoder = try TextEncoder(configuration: Self.configuration, seed: 6)
        var tensors = encoder.weightTensors()
        tensors["ln_f.bias"] = nil
        #expect(throws: TextModelError.missingParameter(name: "ln_f.bias", file: "x")) { try encoder.loadWeights(tensors, file: "x") }
        tensors["ln_f.bias"] = Tensor.zeros([31])
        #expect(throws: TextModelError.shapeMismatch(name: "ln_f.bias", expected: [32], actual: [31], file: "x")) {
            try encoder.loadWeights(tensors, file: "x")
        }
        tensors["ln_f.bias"] = Tensor.zeros([32])
        tensors["h.9.mlp.c_fc.weight"] = Tensor.zeros([1])
        #expect(throws: TextModelError.unexpectedParameter(name: "h.9.mlp.c_fc.weight", file: "x")) {
            try encoder.loadWeights(tensors, file: "x")
        }
    }

    @Test("Bad inputs throw located errors: token out of range, impossible configuration")
    func errors() throws {
        let encoder = try TextEncoder(configuration: Self.configuration, seed: 1)
        #expect(throws: TextModelError.tokenOutOfRange(id: 40, sequence: 0, position: 2, vocabularySize: 40)) {
            try encoder.encode([5, 6, 40])
        }
        var bad = Self.configuration
        bad.headCount = 3
        #expect(throws: TextModelError.self) { try TextEncoder(configuration: bad) }
        #expect(try encoder.encode([]).allSatisfy { $0 == 0 }, "an empty text pools to the zero vector")
    }
}

@Suite("Trainer optimizer groups")
struct OptimizerGroupTests {
    @Test("Groups cover every parameter once and balance their sizes")
    func balanced() {
        let groups = MaskedLMTrainer.balancedGroups([100, 10, 60, 30, 5], groupCount: 2)
        #expect(groups.flatMap { $0 }.sorted() == [0, 1, 2, 3, 4])
        #expect(groups.map { $0.map { [100, 10, 60, 30, 5][$0] }.reduce(0, +) }.sorted() == [100, 105])
    }

    @Test("Parallel per-group AdamW + clipping equals one AdamW over all parameters with Tensor's clipGradients")
    func equalsSingleOptimizer() throws {
        let configuration = TrainerTests.configuration
        var generator = SeededGenerator(seed: 14)
        let batch = try MaskedLanguageModeling().mask(
            try TokenBatch(sequences: TrainerTests.corpus, padTokenId: 1, maximumLength: 12),
            configuration: configuration, generator: &generator)
        let trained = try TextEncoder(configuration: configuration, seed: 12)
        let trainer = MaskedLMTrainer(encoder: trained, peakLearningRate: 1e-2, warmupSteps: 2, totalSteps: 10,
                                      maxGradientNorm: 0.5, seed: 13)
        let reference = try TextEncoder(configuration: configuration, seed: 12)
        let shapes = reference.parameters.specifications.map(\.shape)
        let optimizer = AdamW(configuration: AdamWConfiguration(learningRate: 1e-2, weightDecay: 0.01),
                              parameterShapes: shapes, decays: shapes.map { $0.count >= 2 })
        for step in 0..<3 {
            try trainer.step(batch)
            reference.gradients.zero()
            _ = try reference.forwardMaskedLM(batch)
            try reference.backward()
            var gradients = reference.gradients.tensors(), parameters = reference.parameters.tensors()
            _ = clipGradients(&gradients, maxNorm: 0.5)
            optimizer.step(parameters: &parameters, gradients: gradients, learningRate: trainer.schedule.learningRate(at: step))
            reference.parameters.update(from: parameters)
        }
        let a = trained.parameters.tensors().flatMap(\.scalars), b = reference.parameters.tensors().flatMap(\.scalars)
        #expect(toleranceRatio(a, b, atol: 1e-6, rtol: 1e-5) <= 1)
        #expect(trainer.groups.count == min(2, Parallel.workerCount))
    }
}
