// Text encoder throughput: masked-LM training tokens/s (forward + backward + AdamW) and encode titles/s.
//
// Reference (same machine, 2 threads): PyTorch 2.13 trains seq 256, batch 16, vocab 16000, 4 layers,
// d=256, 4 heads, tied masked-LM head at 1,150 tokens/s; target ≥ 2× (2,300 tokens/s).
import Foundation
import Tensor
import TextModel

/// The `textmodel` suite (a computed global: `Suite` is not Sendable).
var textModelSuite: Suite {
    Suite(
    name: "textmodel",
    summary: "text encoder: masked-LM training tokens/s vs PyTorch's 1,150, encode titles/s  [--steps N] [--sizes]",
    run: runTextModelBench
    )
}

private let pytorchTokensPerSecond = 1150.0

private func runTextModelBench(_ arguments: [String]) throws {
    let options = BenchOptions(arguments)
    func option(_ name: String, _ fallback: Int) throws -> Int { try options.positive(name, fallback) }
    let steps = try option("--steps", 4), batchSize = try option("--batch", 16), tokens = try option("--tokens", 256)
    print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, OpenBLAS \(BLAS.coreName) kernel, \(BLAS.threadCount) BLAS threads")
    print("(timings are medians of \(steps) steps after one warm-up step; the machine may be shared)")
    let gemmRate = referenceGemmRate()
    print(String(format: "reference: sgemm 4096×1024×256 (the c_fc shape) alone runs at %.0f GFLOP/s now", gemmRate / 1e9))
    var shapes = [(layers: try option("--layers", 4), width: try option("--width", 256), heads: try option("--heads", 4),
                   batch: batchSize, tokens: tokens)]
    if arguments.contains("--sizes") {
        // Real synopses average ~110 tokens (median 94): length-bucketed batches of 32 × 128 cost less attention.
        shapes += [(4, 256, 4, 32, 128), (2, 256, 4, 32, 128), (4, 192, 3, 32, 128), (2, 256, 4, 16, 256), (6, 256, 4, 16, 256)]
    }
    for shape in shapes {
        let configuration = TextEncoderConfiguration(vocabularySize: 16000, contextLength: shape.tokens, layerCount: shape.layers,
                                                     width: shape.width, headCount: shape.heads)
        try benchTraining(configuration, batchSize: shape.batch, tokens: shape.tokens, steps: steps, gemmRate: gemmRate)
        if shape == shapes[0] {
            try benchTraining(configuration, batchSize: shape.batch, tokens: shape.tokens, steps: steps, gemmRate: gemmRate,
                              threading: .openBLAS)
        }
    }
    let configuration = TextEncoderConfiguration(vocabularySize: 16000, contextLength: tokens, layerCount: shapes[0].layers,
                                                 width: shapes[0].width, headCount: shapes[0].heads)
    try benchEncode(configuration, batchSize: batchSize, tokens: tokens, steps: steps)
}

/// Random non-special token ids, B sequences of exactly T tokens.
private func randomSequences(_ configuration: TextEncoderConfiguration, batchSize: Int, tokens: Int, seed: UInt64) -> [[Int32]] {
    var generator = SeededGenerator(seed: seed)
    return (0..<batchSize).map { _ in (0..<tokens).map { _ in Int32(4 + generator.next() % UInt64(configuration.vocabularySize - 4)) } }
}

private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Wall seconds that `body` takes.
private func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Floating-point operations of the matrix products in one training step (forward + backward):
/// per layer 72·N·C² (linears) + 12·B·T²·C (attention), plus 6·M·V·C for the tied head.
private func trainingFlops(_ configuration: TextEncoderConfiguration, batchSize: Int, tokens: Int, masked: Int) -> Double {
    let c = Double(configuration.width), n = Double(batchSize * tokens), t = Double(tokens)
    let perLayer = 6 * n * c * c * Double(4 + 2 * configuration.mlpRatio) + 12 * Double(batchSize) * t * t * c
    return Double(configuration.layerCount) * perLayer + 6 * Double(masked) * Double(configuration.vocabularySize) * c
}

/// FLOP/s of one big sgemm (4096×1024×256) through the seam, median of 5: the machine's current matrix rate.
private func referenceGemmRate() -> Double {
    let (m, n, k) = (4096, 1024, 256)
    let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: n * k)
    var c = [Float](repeating: 0, count: m * n)
    var times: [Double] = []
    for _ in 0..<6 {
        times.append(seconds {
            gemm(.none, .transposed, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, c: &c, ldc: n)
        })
    }
    return 2 * Double(m * n * k) / median(Array(times.dropFirst()))
}

private func benchTraining(_ configuration: TextEncoderConfiguration, batchSize: Int, tokens: Int, steps: Int, gemmRate: Double,
                           threading: Threading = .splitRows) throws {
    let encoder = try TextEncoder(configuration: configuration, seed: 1)
    encoder.threading = threading
    let trainer = MaskedLMTrainer(encoder: encoder, peakLearningRate: 1e-3, warmupSteps: 10, totalSteps: 1000, seed: 2)
    let sequences = randomSequences(configuration, batchSize: batchSize, tokens: tokens, seed: 3)
    var generator = SeededGenerator(seed: 4)
    let batch = try MaskedLanguageModeling().mask(
        TokenBatch(sequences: sequences, padTokenId: configuration.padTokenId, maximumLength: tokens),
        configuration: configuration, generator: &generator)
    let tokensPerStep = Double(batchSize * tokens)
    try trainer.step(batch)  // warm-up: arena allocation, first touch
    var forward: [Double] = [], backward: [Double] = [], full: [Double] = [], cpu: [Double] = []
    for _ in 0..<steps {
        encoder.gradients.zero()
        forward.append(try seconds { _ = try encoder.forwardMaskedLM(batch) })
        backward.append(try seconds { try encoder.backward() })
        let cpuStart = CPUClock.process()
        full.append(try seconds { try trainer.step(batch) })
        cpu.append(CPUClock.process() - cpuStart)
    }
    let rate = tokensPerStep / median(full)
    print(String(format: "train  [%@] L=%d C=%d NH=%d B=%d T=%d V=%d (%.1fM params, M=%d masked): forward %.0f ms, backward %.0f ms, "
                 + "step (fwd+bwd+clip+AdamW) %.0f ms → %.0f tokens/s = %.2f× PyTorch (1,150)",
                 threading == .splitRows ? "split rows" : "OpenBLAS threads",
                 configuration.layerCount, configuration.width, configuration.headCount, batchSize, tokens,
                 configuration.vocabularySize, Double(configuration.parameterCount) / 1e6, batch.positions.count,
                 median(forward) * 1e3, median(backward) * 1e3, median(full) * 1e3, rate, rate / pytorchTokensPerSecond))
    print(String(format: "       best step %.0f ms → %.0f tokens/s; CPU time per step %.2f s (all threads) → %.0f tokens per CPU-second, "
                 + "upper bound %.0f tokens/s on %d idle cores (perfect scaling; OpenBLAS spin-waiting counts as CPU)", (full.min() ?? 0) * 1e3, tokensPerStep / (full.min() ?? 1),
                 median(cpu), tokensPerStep / median(cpu), tokensPerStep / median(cpu) * Double(ProcessInfo.processInfo.activeProcessorCount),
                 ProcessInfo.processInfo.activeProcessorCount))
    let flops = trainingFlops(configuration, batchSize: batchSize, tokens: tokens, masked: batch.positions.count)
    print(String(format: "       %.0f GFLOP of products per step → %.0f GFLOP/s achieved = %.0f%% of the reference sgemm rate",
                 flops / 1e9, flops / median(full) / 1e9, 100 * flops / median(full) / gemmRate))
    print(String(format: "       masked-LM pre-training on 6M tokens at this rate: %.1f min per epoch", 6e6 / rate / 60))
}

private func benchEncode(_ configuration: TextEncoderConfiguration, batchSize: Int, tokens: Int, steps: Int) throws {
    let encoder = try TextEncoder(configuration: configuration, seed: 1)
    let sequences = randomSequences(configuration, batchSize: batchSize, tokens: tokens, seed: 5)
    _ = try encoder.encode(batch: sequences)
    var batched: [Double] = [], single: [Double] = []
    for _ in 0..<steps {
        batched.append(try seconds { _ = try encoder.encode(batch: sequences) })
        single.append(try seconds { _ = try encoder.encode(sequences[0]) })
    }
    print(String(format: "encode L=%d C=%d T=%d: batch of %d in %.0f ms → %.0f titles/s; one title alone %.1f ms → %.0f titles/s",
                 configuration.layerCount, configuration.width, tokens, batchSize, median(batched) * 1e3,
                 Double(batchSize) / median(batched), median(single) * 1e3, 1 / median(single)))
}
