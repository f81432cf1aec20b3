/// Batch-norm parameters of one layer (PyTorch `BatchNorm2d` tensors), folded into the preceding conv at load.
public struct BatchNormParameters: Sendable {
    /// γ, per channel.
    public var scale: [Float]
    /// β, per channel.
    public var shift: [Float]
    /// Running mean, per channel.
    public var runningMean: [Float]
    /// Running variance, per channel.
    public var runningVariance: [Float]
    /// ε added to the variance (1e-5 torchvision, 1e-3 EfficientNet).
    public var epsilon: Float

    /// Parameters from the four per-channel tensors and ε.
    public init(scale: [Float], shift: [Float], runningMean: [Float], runningVariance: [Float], epsilon: Float) {
        self.scale = scale
        self.shift = shift
        self.runningMean = runningMean
        self.runningVariance = runningVariance
        self.epsilon = epsilon
    }

    /// Per-channel multiplier m and offset a such that BN(x) = m·x + a (computed in Double).
    public func affine() -> (multiplier: [Float], offset: [Float]) {
        var multiplier = [Float](repeating: 0, count: scale.count)
        var offset = [Float](repeating: 0, count: scale.count)
        for channel in scale.indices {
            let m = Double(scale[channel]) / (Double(runningVariance[channel]) + Double(epsilon)).squareRoot()
            multiplier[channel] = Float(m)
            offset[channel] = Float(Double(shift[channel]) - Double(runningMean[channel]) * m)
        }
        return (multiplier, offset)
    }
}

/// Folds BN into a dense conv: PyTorch weight [Cout, Cin, kH, kW] → engine layout [kH, kW, Cin, Cout]
/// scaled per output channel; bias = BN offset (+ scaled conv bias when present).
func foldDense(
    weight: [Float], outputChannels: Int, inputChannels: Int, kernel: Int,
    convBias: [Float]?, batchNorm: BatchNormParameters?
) -> (weights: [Float], bias: [Float]) {
    let (multiplier, offset) = batchNorm?.affine()
        ?? ([Float](repeating: 1, count: outputChannels), [Float](repeating: 0, count: outputChannels))
    var folded = [Float](repeating: 0, count: weight.count)
    for out in 0..<outputChannels {
        for input in 0..<inputChannels {
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let source = ((out * inputChannels + input) * kernel + ky) * kernel + kx
                    let target = ((ky * kernel + kx) * inputChannels + input) * outputChannels + out
                    folded[target] = weight[source] * multiplier[out]
                }
            }
        }
    }
    let bias = (0..<outputChannels).map { offset[$0] + (convBias?[$0] ?? 0) * multiplier[$0] }
    return (folded, bias)
}

/// Folds BN into a depthwise conv: PyTorch weight [C, 1, kH, kW] → engine layout [kH, kW, C].
func foldDepthwise(
    weight: [Float], channels: Int, kernel: Int, batchNorm: BatchNormParameters
) -> (weights: [Float], bias: [Float]) {
    let (multiplier, offset) = batchNorm.affine()
    var folded = [Float](repeating: 0, count: weight.count)
    for channel in 0..<channels {
        for tap in 0..<(kernel * kernel) {
            folded[tap * channels + channel] = weight[channel * kernel * kernel + tap] * multiplier[channel]
        }
    }
    return (folded, offset)
}
