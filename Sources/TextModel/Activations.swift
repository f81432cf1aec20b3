// Preallocated activation memory: one arena, carved into named buffers for a batch shape (B, T).
//
// Legend: B batch, T tokens, C channels, NH heads, 4C the MLP width.

/// A growable block of Floats handed out front to back; the memory is reused across batches.
final class FloatArena {
    private(set) var base: UnsafeMutablePointer<Float>
    private(set) var capacity: Int
    private var cursor = 0

    init() {
        base = .allocate(capacity: 1)
        capacity = 1
    }

    deinit { base.deallocate() }

    /// Makes room for `count` Floats (contents are lost when it grows) and restarts handing out at the front.
    func reset(reserving count: Int) {
        if count > capacity {
            base.deallocate()
            base = .allocate(capacity: count)
            base.initialize(repeating: 0, count: count)
            capacity = count
        }
        cursor = 0
    }

    /// The next `count` Floats.
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        precondition(cursor + count <= capacity, "FloatArena: layout exceeds the reserved size")  // sizes are computed by us
        defer { cursor += count }
        return base + cursor
    }
}

/// What one block's forward saves for backward (llm.c's per-layer activation tensors).
struct BlockActivations {
    /// ln_1 output (B,T,C), its mean and reciprocal std (B,T).
    var layerNorm1, layerNorm1Mean, layerNorm1ReciprocalStd: UnsafeMutablePointer<Float>
    /// c_attn output (B,T,3C).
    var qkv: UnsafeMutablePointer<Float>
    /// Attention probabilities (B,NH,T,T).
    var attentionProbabilities: UnsafeMutablePointer<Float>
    /// Attention output before c_proj (B,T,C), c_proj output (B,T,C), stream after it (B,T,C).
    var attention, attentionProjection, residual2: UnsafeMutablePointer<Float>
    /// ln_2 output (B,T,C), its mean and reciprocal std (B,T).
    var layerNorm2, layerNorm2Mean, layerNorm2ReciprocalStd: UnsafeMutablePointer<Float>
    /// c_fc output (B,T,4C), after GELU (B,T,4C).
    var mlpHidden, mlpActivation: UnsafeMutablePointer<Float>
    /// mlp c_proj output (B,T,C), the block's output stream (B,T,C).
    var mlpProjection, residual3: UnsafeMutablePointer<Float>

    static func floatCount(_ b: Int, _ t: Int, _ c: Int, headCount: Int, mlpWidth: Int) -> Int {
        let btc = b * t * c, bt = b * t
        return 9 * btc + 4 * bt + b * t * 3 * c + b * headCount * t * t + 2 * b * t * mlpWidth
    }

    init(arena: FloatArena, _ b: Int, _ t: Int, _ c: Int, headCount: Int, mlpWidth: Int) {
        let btc = b * t * c, bt = b * t
        layerNorm1 = arena.take(btc); layerNorm1Mean = arena.take(bt); layerNorm1ReciprocalStd = arena.take(bt)
        qkv = arena.take(3 * btc)
        attentionProbabilities = arena.take(b * headCount * t * t)
        attention = arena.take(btc); attentionProjection = arena.take(btc); residual2 = arena.take(btc)
        layerNorm2 = arena.take(btc); layerNorm2Mean = arena.take(bt); layerNorm2ReciprocalStd = arena.take(bt)
        mlpHidden = arena.take(b * t * mlpWidth); mlpActivation = arena.take(b * t * mlpWidth)
        mlpProjection = arena.take(btc); residual3 = arena.take(btc)
    }
}

/// All activations of one forward pass for a batch shape (B, T).
struct EncoderActivations {
    let batchSize: Int, tokens: Int
    /// Embedding output (B,T,C): the stream entering block 0.
    var embedded: UnsafeMutablePointer<Float>
    /// Per block.
    var blocks: [BlockActivations]
    /// ln_f output (B,T,C), its mean and reciprocal std (B,T).
    var finalNorm, finalMean, finalReciprocalStd: UnsafeMutablePointer<Float>
    /// 1 for real tokens, 0 for <pad> (B,T).
    var valid: UnsafeMutablePointer<Float>
    /// Pooled text vectors (B,C).
    var pooled: UnsafeMutablePointer<Float>

    init(arena: FloatArena, configuration: TextEncoderConfiguration, batchSize b: Int, tokens t: Int) {
        let c = configuration.width, heads = configuration.headCount, hidden = configuration.mlpWidth
        let total = 2 * b * t * c + 3 * b * t + b * c
            + configuration.layerCount * BlockActivations.floatCount(b, t, c, headCount: heads, mlpWidth: hidden)
        arena.reset(reserving: total)
        batchSize = b
        tokens = t
        embedded = arena.take(b * t * c)
        blocks = (0..<configuration.layerCount).map { _ in
            BlockActivations(arena: arena, b, t, c, headCount: heads, mlpWidth: hidden)
        }
        finalNorm = arena.take(b * t * c); finalMean = arena.take(b * t); finalReciprocalStd = arena.take(b * t)
        valid = arena.take(b * t)
        pooled = arena.take(b * c)
    }
}

/// Gradient buffers for backward: one block's worth, reused block after block, plus the stream.
struct BackwardScratch {
    /// Gradient of the stream leaving and entering the current block (B,T,C); swapped after each block.
    var streamOut, streamIn: UnsafeMutablePointer<Float>
    /// Gradient of ln_f's output (B,T,C).
    var finalNorm: UnsafeMutablePointer<Float>
    /// Per-block gradients, named as the activations they belong to.
    var residual2, mlpProjection, mlpActivation, mlpHidden, layerNorm2: UnsafeMutablePointer<Float>
    var attentionProjection, attention, qkv, layerNorm1: UnsafeMutablePointer<Float>
    /// Floats to zero at the start of each block (everything from residual2 to layerNorm1).
    let blockFloatCount: Int

    init(arena: FloatArena, configuration: TextEncoderConfiguration, batchSize b: Int, tokens t: Int) {
        let btc = b * t * configuration.width, hidden = b * t * configuration.mlpWidth
        blockFloatCount = 6 * btc + 2 * hidden + 3 * btc
        arena.reset(reserving: 3 * btc + blockFloatCount)
        streamOut = arena.take(btc); streamIn = arena.take(btc); finalNorm = arena.take(btc)
        residual2 = arena.take(btc); mlpProjection = arena.take(btc)
        mlpActivation = arena.take(hidden); mlpHidden = arena.take(hidden)
        layerNorm2 = arena.take(btc); attentionProjection = arena.take(btc); attention = arena.take(btc)
        qkv = arena.take(3 * btc); layerNorm1 = arena.take(btc)
    }
}
