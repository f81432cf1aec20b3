// Multi-head self-attention, non-causal, with a key padding mask. All products go through `gemm`.
//
// Shapes: qkv (B,T,3C) = [q | k | v], head h uses channels h·hs..<(h+1)·hs of each (hs = C/NH);
// valid (B,T) is 1 for real tokens, 0 for <pad>; probabilities (B,NH,T,T) are cached; output (B,T,C).
// Heads are read and written in place with leading dimensions 3C and C, so nothing is transposed.
import Foundation
import Tensor

/// softmax(q·kᵀ/√hs, keys masked) · v per (batch, head); heads run in parallel, one BLAS thread each.
enum Attention {
    /// output (B,T,C) and cached probabilities (B,NH,T,T) from qkv (B,T,3C) and valid (B,T).
    /// Query rows at padded positions are computed too (their outputs are ignored downstream).
    static func forward(
        output: UnsafeMutablePointer<Float>, probabilities: UnsafeMutablePointer<Float>,
        qkv: UnsafePointer<Float>, valid: UnsafePointer<Float>,
        batchSize: Int, tokens: Int, channels: Int, headCount: Int
    ) {
        let t = tokens, c = channels, hs = channels / headCount
        let scale = 1 / Float(hs).squareRoot()
        // A sequence without <pad> takes the unmasked softmax: the same numbers, without the mask's selects.
        let sequenceHasPadding = (0..<batchSize).map { b in (0..<t).contains { valid[b * t + $0] == 0 } }
        Parallel.withSingleThreadedBLAS {
            Parallel.forEachChunk(batchSize * headCount) { _, range in
                for item in range {
                    let b = item / headCount, h = item % headCount
                    let query = qkv + b * t * 3 * c + h * hs, key = query + c, value = query + 2 * c
                    let scores = probabilities + item * t * t
                    gemm(.none, .transposed, m: t, n: t, k: hs, alpha: scale,
                         a: query, lda: 3 * c, b: key, ldb: 3 * c, c: scores, ldc: t)
                    maskedSoftmax(scores, rows: t, valid: sequenceHasPadding[b] ? valid + b * t : nil)
                    gemm(.none, .none, m: t, n: hs, k: t,
                         a: scores, lda: t, b: value, ldb: 3 * c, c: output + b * t * c + h * hs, ldc: c)
                }
            }
        }
    }

    /// Row-wise softmax over the T columns of `scores` (rows × T) where valid[column] ≠ 0 (every column when `valid`
    /// is nil); masked columns get 0.
    static func maskedSoftmax(_ scores: UnsafeMutablePointer<Float>, rows: Int, valid: UnsafePointer<Float>?) {
        for row in 0..<rows { VectorMath.softmax(scores + row * rows, count: rows, valid: valid) }
    }

    /// Accumulates dqkv (B,T,3C) from doutput (B,T,C), the cached probabilities (B,NH,T,T) and qkv (B,T,3C).
    ///
    /// Per head: dP = dY·vᵀ; dv += Pᵀ·dY; dS = P ⊙ (dP − rowsum(P ⊙ dP)) / √hs; dq += dS·k; dk += dSᵀ·q.
    static func backward(
        qkvGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
        probabilities: UnsafePointer<Float>, qkv: UnsafePointer<Float>,
        batchSize: Int, tokens: Int, channels: Int, headCount: Int
    ) {
        let t = tokens, c = channels, hs = channels / headCount
        let scale = 1 / Float(hs).squareRoot()
        let workers = Parallel.workerCount
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * t * t)
        defer { scratch.deallocate() }
        Parallel.withSingleThreadedBLAS {
            Parallel.forEachChunk(batchSize * headCount) { chunk, range in
                let scoresGradient = scratch + chunk * t * t
                for item in range {
                    let b = item / headCount, h = item % headCount
                    let headOffset = b * t * 3 * c + h * hs
                    let query = qkv + headOffset, key = query + c, value = query + 2 * c
                    let queryGradient = qkvGradient + headOffset, keyGradient = queryGradient + c
                    let valueGradient = queryGradient + 2 * c
                    let outGradient = outputGradient + b * t * c + h * hs
                    let p = probabilities + item * t * t
                    gemm(.none, .transposed, m: t, n: t, k: hs,
                         a: outGradient, lda: c, b: value, ldb: 3 * c, c: scoresGradient, ldc: t)
                    gemm(.transposed, .none, m: t, n: hs, k: t,
                         a: p, lda: t, b: outGradient, ldb: c, beta: 1, c: valueGradient, ldc: 3 * c)
                    for row in 0..<t {
                        let pr = p + row * t, dr = scoresGradient + row * t
                        var dot: Float = 0
                        for j in 0..<t { dot += pr[j] * dr[j] }
                        for j in 0..<t { dr[j] = pr[j] * (dr[j] - dot) * scale }
                    }
                    gemm(.none, .none, m: t, n: hs, k: t,
                         a: scoresGradient, lda: t, b: key, ldb: 3 * c, beta: 1, c: queryGradient, ldc: 3 * c)
                    gemm(.transposed, .none, m: t, n: hs, k: t,
                         a: scoresGradient, lda: t, b: query, ldb: 3 * c, beta: 1, c: keyGradient, ldc: 3 * c)
                }
            }
        }
    }
}
