// Masked-LM head tied to the token embedding, evaluated only at the masked positions.
//
// Shapes: hidden (B·T,C) · positions (M) flat indices b·T+t · targets (M) · wte (V,C)
// → gathered (M,C), probabilities (M,V), loss = mean over the M rows of −log p[target].

import Foundation
import Tensor

/// logits = hidden[positions] · wteᵀ; softmax cross-entropy against the original tokens.
enum MaskedLMHead {
    /// Fills gathered (M,C) and probabilities (M,V); returns the mean cross-entropy (0 when M = 0).
    static func forward(
        probabilities: UnsafeMutablePointer<Float>, gathered: UnsafeMutablePointer<Float>,
        hidden: UnsafePointer<Float>, positions: UnsafePointer<Int32>, targets: UnsafePointer<Int32>,
        tokenEmbedding: UnsafePointer<Float>, maskedCount: Int, vocabularySize: Int, channels: Int
    ) -> Float {
        let m = maskedCount, v = vocabularySize, c = channels
        guard m > 0 else { return 0 }
        for row in 0..<m { (gathered + row * c).update(from: hidden + Int(positions[row]) * c, count: c) }
        Parallel.rowSplitGemm(.none, .transposed, m: m, n: v, k: c, a: gathered, lda: c, b: tokenEmbedding, ldb: c,
             c: probabilities, ldc: v)
        let losses = UnsafeMutablePointer<Double>.allocate(capacity: m)
        defer { losses.deallocate() }
        Parallel.forEachChunk(m, minimumRows: 8) { _, range in
            for row in range {
                let p = probabilities + row * v
                VectorMath.softmax(p, count: v)
                losses[row] = -Foundation.log(max(Double(p[Int(targets[row])]), Double(Float.leastNonzeroMagnitude)))
            }
        }
        var total: Double = 0
        for row in 0..<m { total += losses[row] }
        return Float(total / Double(m))
    }

    /// Accumulates dhidden (B·T,C) at the masked rows and dwte (V,C), for d(loss) = 1.
    /// Overwrites `probabilities` with dlogits = (p − onehot(target)) / M.
    static func backward(
        hiddenGradient: UnsafeMutablePointer<Float>, tokenEmbeddingGradient: UnsafeMutablePointer<Float>,
        probabilities: UnsafeMutablePointer<Float>, gathered: UnsafePointer<Float>,
        positions: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, tokenEmbedding: UnsafePointer<Float>,
        maskedCount: Int, vocabularySize: Int, channels: Int, lossScale: Float = 1
    ) {
        let m = maskedCount, v = vocabularySize, c = channels
        guard m > 0 else { return }
        let scale = lossScale / Float(m)
        Parallel.forEachChunk(m * v, minimumRows: 65536) { _, range in
            for i in range { probabilities[i] *= scale }
        }
        for row in 0..<m { probabilities[row * v + Int(targets[row])] -= scale }
        Parallel.rowSplitGemm(.transposed, .none, m: v, n: c, k: m, a: probabilities, lda: v, b: gathered, ldb: c,
             beta: 1, c: tokenEmbeddingGradient, ldc: c)
        let gatheredGradient = UnsafeMutablePointer<Float>.allocate(capacity: m * c)
        defer { gatheredGradient.deallocate() }
        Parallel.rowSplitGemm(.none, .none, m: m, n: c, k: v, a: probabilities, lda: v, b: tokenEmbedding, ldb: c,
             c: gatheredGradient, ldc: c)
        for row in 0..<m {
            let dx = hiddenGradient + Int(positions[row]) * c, dg = gatheredGradient + row * c
            for i in 0..<c { dx[i] += dg[i] }
        }
    }
}
