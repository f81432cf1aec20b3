// Layer normalization over the last axis (Ba et al. 2016), as llm.c's layernorm_forward/backward.
//   x [..., C], gain [C], bias [C] → y [..., C];  y = (x − μ)·r·gain + bias,  r = 1/√(σ² + ε)
// Saved per row: mean μ and reciprocal standard deviation r (the rows are R = count / C).
// Backward, with n = (x − μ)·r and dn = G ⊙ gain:
//   dgain = Σ_rows G ⊙ n,  dbias = Σ_rows G,  dx = r · (dn − mean(dn) − n · mean(dn ⊙ n)).

extension Tensor {
    /// Layer norm over the last axis with the statistics backward needs: (y, mean [R], reciprocalStd [R]).
    static func layerNormWithStatistics(_ x: Tensor, gain: Tensor, bias: Tensor, epsilon: Float)
        -> (output: Tensor, mean: [Float], reciprocalStd: [Float]) {
        let width = x.shape.last ?? 1
        precondition(gain.shape == [width] && bias.shape == [width],
                     "layerNorm: gain \(gain.shape) and bias \(bias.shape) must be [\(width)] for input \(x.shape)")
        let rows = width == 0 ? 0 : x.count / width
        var output = [Float](repeating: 0, count: x.count)
        var means = [Float](repeating: 0, count: rows)
        var reciprocalStds = [Float](repeating: 0, count: rows)
        x.scalars.withUnsafeBufferPointer { input in
            gain.scalars.withUnsafeBufferPointer { g in
                bias.scalars.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { y in
                        guard let base = input.baseAddress else { return }
                        for row in 0..<rows {
                            let start = row * width
                            let mean = vectorSum(base + start, width) / Float(width)
                            let squares = vectorSquaredDeviations(base + start, width, mean: mean)
                            let reciprocalStd = 1 / (squares / Float(width) + epsilon).squareRoot()
                            for i in 0..<width { y[start + i] = (input[start + i] - mean) * reciprocalStd * g[i] + b[i] }
                            means[row] = mean
                            reciprocalStds[row] = reciprocalStd
                        }
                    }
                }
            }
        }
        return (Tensor(shape: x.shape, scalars: output), means, reciprocalStds)
    }

    /// Layer norm over the last axis: x [..., C], gain [C], bias [C] → [..., C].
    public static func layerNorm(_ x: Tensor, gain: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
        layerNormWithStatistics(x, gain: gain, bias: bias, epsilon: epsilon).output
    }
}

extension Tape {
    /// Differentiable layer norm: x [..., C], gain [C], bias [C] → [..., C].
    public func layerNorm(_ x: Variable, gain: Variable, bias: Variable, epsilon: Float = 1e-5) -> Variable {
        let input = value(x), gainValue = value(gain)
        let (output, means, reciprocalStds) = Tensor.layerNormWithStatistics(input, gain: gainValue, bias: value(bias), epsilon: epsilon)
        return record(output, inputs: [x, gain, bias]) { gradient, _ in
            let width = input.shape.last ?? 1
            var dx = [Float](repeating: 0, count: input.count)
            var dGain = [Float](repeating: 0, count: width)
            var dBias = [Float](repeating: 0, count: width)
            for row in 0..<means.count {
                let start = row * width, mean = means[row], reciprocalStd = reciprocalStds[row]
                var meanDNorm: Float = 0, meanDNormTimesNorm: Float = 0
                for i in 0..<width {
                    let norm = (input.scalars[start + i] - mean) * reciprocalStd
                    let dNorm = gradient.scalars[start + i] * gainValue.scalars[i]
                    meanDNorm += dNorm
                    meanDNormTimesNorm += dNorm * norm
                    dGain[i] += gradient.scalars[start + i] * norm
                    dBias[i] += gradient.scalars[start + i]
                }
                meanDNorm /= Float(width)
                meanDNormTimesNorm /= Float(width)
                for i in 0..<width {
                    let norm = (input.scalars[start + i] - mean) * reciprocalStd
                    let dNorm = gradient.scalars[start + i] * gainValue.scalars[i]
                    dx[start + i] = reciprocalStd * (dNorm - meanDNorm - norm * meanDNormTimesNorm)
                }
            }
            return [Tensor(shape: input.shape, scalars: dx), Tensor(shape: [width], scalars: dGain),
                    Tensor(shape: [width], scalars: dBias)]
        }
    }
}
