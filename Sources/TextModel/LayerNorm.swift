// Layer normalization over channels, caching mean and reciprocal standard deviation for backward.
//
// Shapes: input (N,C) with N = B·T rows · weight, bias (C) → output (N,C); mean, reciprocalStd (N).

/// y = (x − mean) · rstd · weight + bias, per row (Ba, Kiros, Hinton 2016; backward as llm.c's layernorm doc).
enum LayerNorm {
    /// output (N,C); caches mean (N) and reciprocalStd (N) = 1/√(var + ε), biased variance as PyTorch.
    static func forward(
        output: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, reciprocalStd: UnsafeMutablePointer<Float>,
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        rows: Int, channels: Int, epsilon: Float
    ) {
        let c = channels
        Parallel.forEachChunk(rows, minimumRows: 64) { _, range in
            for row in range {
                let x = input + row * c, y = output + row * c
                var sum: Float = 0
                for i in 0..<c { sum += x[i] }
                let m = sum / Float(c)
                var squares: Float = 0
                for i in 0..<c {
                    let d = x[i] - m
                    squares += d * d
                }
                let rstd = 1 / (squares / Float(c) + epsilon).squareRoot()
                for i in 0..<c { y[i] = (x[i] - m) * rstd * weight[i] + bias[i] }
                mean[row] = m
                reciprocalStd[row] = rstd
            }
        }
    }

    /// Accumulates dinput (N,C), dweight (C), dbias (C) from doutput (N,C) and the cached statistics.
    static func backward(
        inputGradient: UnsafeMutablePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
        biasGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        mean: UnsafePointer<Float>, reciprocalStd: UnsafePointer<Float>, rows: Int, channels: Int
    ) {
        let c = channels
        // Each chunk sums its rows' dweight and dbias privately; the partial sums are added at the end.
        let chunkCount = Parallel.workerCount
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: chunkCount * 2 * c)
        partial.initialize(repeating: 0, count: chunkCount * 2 * c)
        defer { partial.deallocate() }
        Parallel.forEachChunk(rows, minimumRows: 64) { chunk, range in
            let dweight = partial + chunk * 2 * c, dbias = dweight + c
            for row in range {
                let x = input + row * c, dy = outputGradient + row * c, dx = inputGradient + row * c
                let m = mean[row], rstd = reciprocalStd[row]
                var normGradientMean: Float = 0, normTimesGradientMean: Float = 0
                for i in 0..<c {
                    let norm = (x[i] - m) * rstd
                    let normGradient = weight[i] * dy[i]
                    normGradientMean += normGradient
                    normTimesGradientMean += normGradient * norm
                }
                normGradientMean /= Float(c)
                normTimesGradientMean /= Float(c)
                for i in 0..<c {
                    let norm = (x[i] - m) * rstd
                    let normGradient = weight[i] * dy[i]
                    dbias[i] += dy[i]
                    dweight[i] += norm * dy[i]
                    dx[i] += (normGradient - normGradientMean - norm * normTimesGradientMean) * rstd
                }
            }
        }
        for chunk in 0..<chunkCount {
            let dweight = partial + chunk * 2 * c, dbias = dweight + c
            for i in 0..<c {
                weightGradient[i] += dweight[i]
                biasGradient[i] += dbias[i]
            }
        }
    }
}
