// The text encoder: embeddings → L pre-LN blocks → ln_f → masked mean pooling, plus the tied masked-LM head.
//
// Legend: B batch, T tokens, C channels (width), NH heads, V vocabulary, M masked positions.
// Forward saves activations in an arena sized for (B,T); backward runs the layers in exact reverse order
// and accumulates (+=) into `gradients`, which the caller zeroes (`gradients.zero()`) before each step.

import Tensor

/// How a `TextEncoder` spreads matrix products over the cores.
public enum Threading: Sendable {
    /// OpenBLAS single-threaded; the encoder splits each product's rows over its own workers (no BLAS spin-waiting).
    case splitRows
    /// OpenBLAS threads each product itself; the encoder's own loops still run in parallel.
    case openBLAS
    /// Everything on the calling thread (with OpenBLAS at one thread): for callers running one encoder per core.
    case serial
}

/// A small transformer encoder on raw Float buffers (llm.c style), producing t ∈ R^C per sequence.
public final class TextEncoder {
    /// The shape and special tokens.
    public let configuration: TextEncoderConfiguration
    /// Every weight, nanoGPT names (`wte.weight`, `h.0.attn.c_attn.weight`, …, `ln_f.bias`).
    public let parameters: ParameterBuffer
    /// Gradients with the same layout as `parameters`, filled by `backward`.
    public let gradients: ParameterBuffer
    /// How the two cores share big products: split by us over rows (default) or threaded by OpenBLAS.
    public var threading: Threading = .splitRows
    let weights: EncoderParameters
    let weightGradients: EncoderParameters
    private let activationArena = FloatArena()
    private let scratchArena = FloatArena()
    private let headArena = FloatArena()
    private var activations: EncoderActivations?
    private var tokenIds: [Int32] = []
    private var maskedBatch: MaskedLMBatch?
    private var headGathered: UnsafeMutablePointer<Float>?
    private var headProbabilities: UnsafeMutablePointer<Float>?

    /// Creates an encoder with GPT-2 initialization from `seed`.
    public convenience init(configuration: TextEncoderConfiguration, seed: UInt64 = 0) throws {
        try configuration.validate()
        self.init(validConfiguration: configuration)
        parameters.initializeGPT2(layerCount: configuration.layerCount, seed: seed)
    }

    /// An encoder with `configuration` and every weight from `tensors`, checked as `loadWeights` does (no random
    /// initialization first: for the shipped model that was a tenth of `animepop score`'s start-up).
    public static func loading(configuration: TextEncoderConfiguration, tensors: [String: Tensor], file: String) throws -> TextEncoder {
        try configuration.validate()
        let encoder = TextEncoder(validConfiguration: configuration)
        try encoder.loadWeights(tensors, file: file)
        return encoder
    }

    /// An encoder with zero weights for a configuration already validated.
    private init(validConfiguration configuration: TextEncoderConfiguration) {
        self.configuration = configuration
        parameters = ParameterBuffer(layout: configuration.parameterLayout)
        gradients = ParameterBuffer(layout: configuration.parameterLayout)
        weights = EncoderParameters(parameters, layerCount: configuration.layerCount)
        weightGradients = EncoderParameters(gradients, layerCount: configuration.layerCount)
    }

    /// A second encoder with this one's configuration, weights and threading, and its own activation memory
    /// (one encoder serves one call at a time; a copy per thread runs them side by side). Gradients start at zero.
    public func copy() -> TextEncoder {
        let copy = TextEncoder(validConfiguration: configuration)
        copy.parameters.base.update(from: parameters.base, count: parameters.count)
        copy.threading = threading
        return copy
    }

    // MARK: - Forward

    /// Runs the encoder on `batch` (T ≤ contextLength) and returns the pooled vectors (B·C, row per sequence).
    @discardableResult
    public func forward(_ batch: TokenBatch) throws -> [Float] {
        let state = try runForward(batch)
        return Array(UnsafeBufferPointer(start: state.pooled, count: batch.batchSize * configuration.width))
    }

    /// Pooled vectors (B·C) of the last forward pass (empty before any).
    public var pooled: [Float] {
        guard let state = activations else { return [] }
        return Array(UnsafeBufferPointer(start: state.pooled, count: state.batchSize * configuration.width))
    }

    /// ln_f output (B·T·C) of the last forward pass (empty before any).
    public var hidden: [Float] {
        guard let state = activations else { return [] }
        return Array(UnsafeBufferPointer(start: state.finalNorm, count: state.batchSize * state.tokens * configuration.width))
    }

    /// The text vector t ∈ R^C of one token sequence (truncated to contextLength; empty gives zeros).
    public func encode(_ tokenIds: [Int32]) throws -> [Float] {
        try forward(TokenBatch(sequences: [tokenIds], padTokenId: configuration.padTokenId,
                               maximumLength: configuration.contextLength))
    }

    /// Text vectors for several sequences at once, padded to the longest (one vector per sequence).
    public func encode(batch sequences: [[Int32]]) throws -> [[Float]] {
        let pooled = try forward(TokenBatch(sequences: sequences, padTokenId: configuration.padTokenId,
                                            maximumLength: configuration.contextLength))
        let c = configuration.width
        return (0..<sequences.count).map { Array(pooled[$0 * c..<($0 + 1) * c]) }
    }

    /// Forward pass plus the masked-LM head; returns the mean cross-entropy over the M masked positions.
    public func forwardMaskedLM(_ batch: MaskedLMBatch) throws -> Float {
        let state = try runForward(batch.input)
        let m = batch.positions.count, v = configuration.vocabularySize, c = configuration.width
        let limit = batch.input.batchSize * batch.input.tokens
        for (position, target) in zip(batch.positions, batch.targets) {
            guard position >= 0, Int(position) < limit else {
                throw TextModelError.emptyBatch("masked position \(position) is outside the batch of \(limit) tokens")
            }
            guard target >= 0, Int(target) < v else {
                throw TextModelError.tokenOutOfRange(id: target, sequence: Int(position) / batch.input.tokens,
                                                     position: Int(position) % batch.input.tokens, vocabularySize: v)
            }
        }
        guard batch.targets.count == m else { throw TextModelError.emptyBatch("\(m) positions but \(batch.targets.count) targets") }
        headArena.reset(reserving: max(1, m * (v + c)))
        let probabilities = headArena.take(m * v), gathered = headArena.take(m * c)
        headProbabilities = probabilities
        headGathered = gathered
        maskedBatch = batch
        return batch.positions.withUnsafeBufferPointer { positions in
            batch.targets.withUnsafeBufferPointer { targets in
                guard let positions = positions.baseAddress, let targets = targets.baseAddress else { return 0 }
                return withThreading { MaskedLMHead.forward(probabilities: probabilities, gathered: gathered, hidden: state.finalNorm,
                                            positions: positions, targets: targets, tokenEmbedding: weights.tokenEmbedding,
                                            maskedCount: m, vocabularySize: v, channels: c) }
            }
        }
    }

    private func runForward(_ batch: TokenBatch) throws -> EncoderActivations {
        try withThreading { try runForwardLayers(batch) }
    }

    private func withThreading<Result>(_ body: () throws -> Result) rethrows -> Result {
        switch threading {
        case .splitRows: try Parallel.withSingleThreadedBLAS(body)
        case .openBLAS: try body()
        // OpenBLAS's sums depend on its thread count, which other threads' one-thread scopes change: inside a scope of
        // its own, a serial encoder gives the same bits whatever runs beside it.
        case .serial: try Parallel.serially { try Parallel.withSingleThreadedBLAS(body) }
        }
    }

    private func runForwardLayers(_ batch: TokenBatch) throws -> EncoderActivations {
        let b = batch.batchSize, t = batch.tokens, c = configuration.width, v = configuration.vocabularySize
        guard t <= configuration.contextLength else {
            throw TextModelError.emptyBatch("sequence length \(t) exceeds contextLength \(configuration.contextLength)")
        }
        for (index, id) in batch.tokenIds.enumerated() where id < 0 || Int(id) >= v {
            throw TextModelError.tokenOutOfRange(id: id, sequence: index / t, position: index % t, vocabularySize: v)
        }
        let state = EncoderActivations(arena: activationArena, configuration: configuration, batchSize: b, tokens: t)
        activations = state
        tokenIds = batch.tokenIds
        maskedBatch = nil
        for i in 0..<(b * t) { state.valid[i] = batch.tokenIds[i] == configuration.padTokenId ? 0 : 1 }
        batch.tokenIds.withUnsafeBufferPointer { ids in
            guard let ids = ids.baseAddress else { return }
            Embedding.forward(output: state.embedded, tokenIds: ids, tokenTable: weights.tokenEmbedding,
                              positionTable: weights.positionEmbedding, batchSize: b, tokens: t, channels: c)
        }
        var stream = UnsafePointer(state.embedded)
        for (layer, block) in state.blocks.enumerated() {
            blockForward(block, weights.blocks[layer], input: stream, valid: state.valid, batchSize: b, tokens: t)
            stream = UnsafePointer(block.residual3)
        }
        LayerNorm.forward(output: state.finalNorm, mean: state.finalMean, reciprocalStd: state.finalReciprocalStd,
                          input: stream, weight: weights.finalNormWeight, bias: weights.finalNormBias,
                          rows: b * t, channels: c, epsilon: configuration.layerNormEpsilon)
        MeanPooling.forward(output: state.pooled, input: state.finalNorm, valid: state.valid,
                            batchSize: b, tokens: t, channels: c)
        return state
    }

    /// One pre-LN block: x + attn(ln_1(x)), then + mlp(ln_2(·)); one op per line, as nanoGPT's `Block`.
    private func blockForward(_ a: BlockActivations, _ w: BlockParameters, input: UnsafePointer<Float>,
                              valid: UnsafePointer<Float>, batchSize b: Int, tokens t: Int) {
        let c = configuration.width, n = b * t, hidden = configuration.mlpWidth, epsilon = configuration.layerNormEpsilon
        LayerNorm.forward(output: a.layerNorm1, mean: a.layerNorm1Mean, reciprocalStd: a.layerNorm1ReciprocalStd,
                          input: input, weight: w.layerNorm1Weight, bias: w.layerNorm1Bias, rows: n, channels: c, epsilon: epsilon)
        Linear.forward(output: a.qkv, input: a.layerNorm1, weight: w.attentionInputWeight, bias: w.attentionInputBias,
                       rows: n, inputChannels: c, outputChannels: 3 * c)
        Attention.forward(output: a.attention, probabilities: a.attentionProbabilities, qkv: a.qkv, valid: valid,
                          batchSize: b, tokens: t, channels: c, headCount: configuration.headCount)
        Linear.forward(output: a.attentionProjection, input: a.attention, weight: w.attentionOutputWeight,
                       bias: w.attentionOutputBias, rows: n, inputChannels: c, outputChannels: c)
        Residual.forward(output: a.residual2, stream: input, branch: a.attentionProjection, count: n * c)
        LayerNorm.forward(output: a.layerNorm2, mean: a.layerNorm2Mean, reciprocalStd: a.layerNorm2ReciprocalStd,
                          input: a.residual2, weight: w.layerNorm2Weight, bias: w.layerNorm2Bias, rows: n, channels: c, epsilon: epsilon)
        Linear.forward(output: a.mlpHidden, input: a.layerNorm2, weight: w.mlpInputWeight, bias: w.mlpInputBias,
                       rows: n, inputChannels: c, outputChannels: hidden)
        GELU.forward(output: a.mlpActivation, input: a.mlpHidden, count: n * hidden)
        Linear.forward(output: a.mlpProjection, input: a.mlpActivation, weight: w.mlpOutputWeight, bias: w.mlpOutputBias,
                       rows: n, inputChannels: hidden, outputChannels: c)
        Residual.forward(output: a.residual3, stream: a.residual2, branch: a.mlpProjection, count: n * c)
    }

    // MARK: - Backward

    /// Accumulates parameter gradients of (masked-LM loss, if the last forward was `forwardMaskedLM`)
    /// + ⟨pooledGradient, pooled⟩ (if given, B·C values) for the last forward pass.
    public func backward(pooledGradient: [Float]? = nil, maskedLMWeight: Float = 1) throws {
        try withThreading { try backwardLayers(pooledGradient: pooledGradient, maskedLMWeight: maskedLMWeight) }
    }

    private func backwardLayers(pooledGradient: [Float]?, maskedLMWeight: Float) throws {
        guard let state = activations else { throw TextModelError.emptyBatch("backward called before forward") }
        let b = state.batchSize, t = state.tokens, c = configuration.width, n = b * t
        if let pooledGradient, pooledGradient.count != b * c {
            throw TextModelError.emptyBatch("pooled gradient has \(pooledGradient.count) values, expected \(b * c)")
        }
        let scratch = BackwardScratch(arena: scratchArena, configuration: configuration, batchSize: b, tokens: t)
        scratch.finalNorm.update(repeating: 0, count: n * c)
        if let batch = maskedBatch, let probabilities = headProbabilities, let gathered = headGathered, maskedLMWeight != 0 {
            batch.positions.withUnsafeBufferPointer { positions in
                batch.targets.withUnsafeBufferPointer { targets in
                    guard let positions = positions.baseAddress, let targets = targets.baseAddress else { return }
                    MaskedLMHead.backward(hiddenGradient: scratch.finalNorm, tokenEmbeddingGradient: weightGradients.tokenEmbedding,
                                          probabilities: probabilities, gathered: gathered, positions: positions, targets: targets,
                                          tokenEmbedding: weights.tokenEmbedding, maskedCount: batch.positions.count,
                                          vocabularySize: configuration.vocabularySize, channels: c, lossScale: maskedLMWeight)
                }
            }
            maskedBatch = nil  // the head's probabilities now hold dlogits
        }
        pooledGradient?.withUnsafeBufferPointer { pooled in
            guard let pooled = pooled.baseAddress else { return }
            MeanPooling.backward(inputGradient: scratch.finalNorm, outputGradient: pooled, valid: state.valid,
                                 batchSize: b, tokens: t, channels: c)
        }
        var streamOut = scratch.streamOut, streamIn = scratch.streamIn
        streamOut.update(repeating: 0, count: n * c)
        let lastStream = UnsafePointer(state.blocks.last?.residual3 ?? state.embedded)
        LayerNorm.backward(inputGradient: streamOut, weightGradient: weightGradients.finalNormWeight,
                           biasGradient: weightGradients.finalNormBias, outputGradient: scratch.finalNorm,
                           input: lastStream, weight: weights.finalNormWeight, mean: state.finalMean,
                           reciprocalStd: state.finalReciprocalStd, rows: n, channels: c)
        for layer in stride(from: configuration.layerCount - 1, through: 0, by: -1) {
            let input = UnsafePointer(layer == 0 ? state.embedded : state.blocks[layer - 1].residual3)
            streamIn.update(repeating: 0, count: n * c)
            blockBackward(state.blocks[layer], weights.blocks[layer], weightGradients.blocks[layer], scratch,
                          input: input, inputGradient: streamIn, outputGradient: streamOut, batchSize: b, tokens: t)
            swap(&streamOut, &streamIn)
        }
        tokenIds.withUnsafeBufferPointer { ids in
            guard let ids = ids.baseAddress else { return }
            Embedding.backward(tokenTableGradient: weightGradients.tokenEmbedding,
                               positionTableGradient: weightGradients.positionEmbedding,
                               outputGradient: streamOut, tokenIds: ids, batchSize: b, tokens: t, channels: c)
        }
    }

    /// One block's backward: the forward's calls mirrored, bottom to top.
    private func blockBackward(_ a: BlockActivations, _ w: BlockParameters, _ g: BlockParameters, _ s: BackwardScratch,
                               input: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
                               outputGradient: UnsafePointer<Float>, batchSize b: Int, tokens t: Int) {
        let c = configuration.width, n = b * t, hidden = configuration.mlpWidth
        s.residual2.update(repeating: 0, count: s.blockFloatCount)  // the block's gradient buffers are contiguous
        Residual.backward(streamGradient: s.residual2, branchGradient: s.mlpProjection, outputGradient: outputGradient, count: n * c)
        Linear.backward(inputGradient: s.mlpActivation, weightGradient: g.mlpOutputWeight, biasGradient: g.mlpOutputBias,
                        outputGradient: s.mlpProjection, input: a.mlpActivation, weight: w.mlpOutputWeight,
                        rows: n, inputChannels: hidden, outputChannels: c)
        GELU.backward(inputGradient: s.mlpHidden, input: a.mlpHidden, outputGradient: s.mlpActivation, count: n * hidden)
        Linear.backward(inputGradient: s.layerNorm2, weightGradient: g.mlpInputWeight, biasGradient: g.mlpInputBias,
                        outputGradient: s.mlpHidden, input: a.layerNorm2, weight: w.mlpInputWeight,
                        rows: n, inputChannels: c, outputChannels: hidden)
        LayerNorm.backward(inputGradient: s.residual2, weightGradient: g.layerNorm2Weight, biasGradient: g.layerNorm2Bias,
                           outputGradient: s.layerNorm2, input: a.residual2, weight: w.layerNorm2Weight,
                           mean: a.layerNorm2Mean, reciprocalStd: a.layerNorm2ReciprocalStd, rows: n, channels: c)
        Residual.backward(streamGradient: inputGradient, branchGradient: s.attentionProjection, outputGradient: s.residual2, count: n * c)
        Linear.backward(inputGradient: s.attention, weightGradient: g.attentionOutputWeight, biasGradient: g.attentionOutputBias,
                        outputGradient: s.attentionProjection, input: a.attention, weight: w.attentionOutputWeight,
                        rows: n, inputChannels: c, outputChannels: c)
        Attention.backward(qkvGradient: s.qkv, outputGradient: s.attention, probabilities: a.attentionProbabilities,
                           qkv: a.qkv, batchSize: b, tokens: t, channels: c, headCount: configuration.headCount)
        Linear.backward(inputGradient: s.layerNorm1, weightGradient: g.attentionInputWeight, biasGradient: g.attentionInputBias,
                        outputGradient: s.qkv, input: a.layerNorm1, weight: w.attentionInputWeight,
                        rows: n, inputChannels: c, outputChannels: 3 * c)
        LayerNorm.backward(inputGradient: inputGradient, weightGradient: g.layerNorm1Weight, biasGradient: g.layerNorm1Bias,
                           outputGradient: s.layerNorm1, input: input, weight: w.layerNorm1Weight,
                           mean: a.layerNorm1Mean, reciprocalStd: a.layerNorm1ReciprocalStd, rows: n, channels: c)
    }
}
