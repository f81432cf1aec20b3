import Foundation

/// The batch-norm statistics check of DESIGN.md, for EfficientNet-Lite0: run the network UNFOLDED on natural
/// images and compare, layer by layer, each BN input's batch mean and variance with the running statistics
/// stored in the checkpoint (measured on ImageNet with the true padding and normalization). A wrong padding
/// or input normalization shows as a mismatch from the first wrong layer on.
public enum BatchNormCheck {
    /// How far one BN layer's batch statistics are from its running statistics.
    public struct LayerStatistics: Sendable {
        /// The BN key prefix, e.g. `_blocks.3._bn1`.
        public var name: String
        /// Mean over channels of |batch mean − running mean| / √(running var + 1e-3).
        public var meanMismatch: Double
        /// Mean over channels of |log((batch var + 1e-3) / (running var + 1e-3))|.
        public var logVarianceMismatch: Double
    }

    /// Per-BN-layer mismatches of EfficientNet-Lite0 with `stateDict` on `input` [N, H, W, 3] (already normalized),
    /// for all 49 BN layers or only the first `layerLimit`.
    /// - Throws: `CheckpointError` when the state dict lacks a tensor the layers need.
    public static func efficientNetLite0(
        stateDict: [String: CheckpointTensor], input: [Float], batch: Int, height: Int, width: Int, layerLimit: Int = .max
    ) throws -> [LayerStatistics] {
        var loader = StateDictLoader(stateDict)
        var results: [LayerStatistics] = []
        var shape = FeatureMapShape(batch: batch, height: height, width: width, channels: 3)
        var activations = input
        let arena = ActivationArena(slots: 0)

        /// conv (raw weights) → statistics of its output → BN → activation.
        func stage(_ convKey: String, _ batchNormKey: String, input channels: Int, output: Int, kernel: Int, stride: Int,
                   depthwise: Bool, activation: Activation) throws {
            guard results.count < layerLimit else { return }
            let batchNorm = try loader.batchNorm(batchNormKey, channels: output, epsilon: EfficientNetLite0.batchNormEpsilon)
            var outShape = shape
            var result: [Float] = []
            if depthwise {
                let weight = try loader.take(convKey + ".weight", shape: [output, 1, kernel, kernel])
                let identity = BatchNormParameters(scale: .init(repeating: 1, count: output), shift: .init(repeating: 0, count: output),
                                                   runningMean: .init(repeating: 0, count: output),
                                                   runningVariance: .init(repeating: 1, count: output), epsilon: 0)
                let folded = foldDepthwise(weight: weight, channels: output, kernel: kernel, batchNorm: identity)
                let conv = DepthwiseConvolution(channels: output, kernel: kernel, stride: stride, padding: .tensorFlowSame,
                                                activation: .identity, weights: folded.weights, bias: folded.bias)
                outShape = conv.outputShape(shape)
                result = [Float](repeating: 0, count: outShape.count)
                activations.withUnsafeBufferPointer { source in
                    result.withUnsafeMutableBufferPointer { target in
                        guard let source = source.baseAddress, let target = target.baseAddress else { return }
                        conv.forward(source, shape: shape, output: target)
                    }
                }
            } else {
                let weight = try loader.take(convKey + ".weight", shape: [output, channels, kernel, kernel])
                let folded = foldDense(weight: weight, outputChannels: output, inputChannels: channels, kernel: kernel,
                                       convBias: nil, batchNorm: nil)
                let conv = Convolution(inputChannels: channels, outputChannels: output, kernel: kernel, stride: stride,
                                       padding: .tensorFlowSame, activation: .identity, weights: folded.weights, bias: folded.bias)
                outShape = conv.outputShape(shape)
                result = [Float](repeating: 0, count: outShape.count)
                activations.withUnsafeBufferPointer { source in
                    result.withUnsafeMutableBufferPointer { target in
                        guard let source = source.baseAddress, let target = target.baseAddress else { return }
                        conv.forward(source, shape: shape, output: target, arena: arena)
                    }
                }
            }
            results.append(compare(result, channels: output, batchNorm: batchNorm, name: batchNormKey))
            let (multiplier, offset) = batchNorm.affine()
            result.withUnsafeMutableBufferPointer { values in
                guard let base = values.baseAddress else { return }
                for pixel in 0..<outShape.pixels {
                    let line = base + pixel * output
                    for channel in 0..<output { line[channel] = line[channel] * multiplier[channel] + offset[channel] }
                    applyActivation(line, count: output, activation)
                }
            }
            activations = result
            shape = outShape
        }

        try stage("_conv_stem", "_bn0", input: 3, output: 32, kernel: 3, stride: 2, depthwise: false, activation: .relu6)
        var index = 0
        for spec in EfficientNetLite0.stages {
            for repeatIndex in 0..<spec.repeats where results.count < layerLimit {
                let prefix = "_blocks.\(index)."
                let input = repeatIndex == 0 ? spec.input : spec.output
                let stride = repeatIndex == 0 ? spec.stride : 1
                let hidden = input * spec.expansion
                let blockInput = activations
                if spec.expansion != 1 {
                    try stage(prefix + "_expand_conv", prefix + "_bn0", input: input, output: hidden, kernel: 1, stride: 1,
                              depthwise: false, activation: .relu6)
                }
                try stage(prefix + "_depthwise_conv", prefix + "_bn1", input: hidden, output: hidden, kernel: spec.kernel,
                          stride: stride, depthwise: true, activation: .relu6)
                try stage(prefix + "_project_conv", prefix + "_bn2", input: hidden, output: spec.output, kernel: 1, stride: 1,
                          depthwise: false, activation: .identity)
                if stride == 1 && input == spec.output {
                    for position in activations.indices { activations[position] += blockInput[position] }
                }
                index += 1
            }
        }
        try stage("_conv_head", "_bn1", input: 320, output: 1280, kernel: 1, stride: 1, depthwise: false, activation: .relu6)
        return results
    }

    /// Batch mean/variance per channel of `values` [pixels, C] against the running statistics.
    static func compare(_ values: [Float], channels: Int, batchNorm: BatchNormParameters, name: String) -> LayerStatistics {
        let pixels = values.count / channels
        var sums = [Double](repeating: 0, count: channels), squares = [Double](repeating: 0, count: channels)
        for pixel in 0..<pixels {
            for channel in 0..<channels {
                let value = Double(values[pixel * channels + channel])
                sums[channel] += value
                squares[channel] += value * value
            }
        }
        var meanMismatch = 0.0, varianceMismatch = 0.0
        for channel in 0..<channels {
            let mean = sums[channel] / Double(pixels)
            let variance = max(0, squares[channel] / Double(pixels) - mean * mean)
            let runningVariance = Double(batchNorm.runningVariance[channel])
            meanMismatch += abs(mean - Double(batchNorm.runningMean[channel])) / (runningVariance + 1e-3).squareRoot()
            varianceMismatch += abs(log((variance + 1e-3) / (runningVariance + 1e-3)))
        }
        return LayerStatistics(name: name, meanMismatch: meanMismatch / Double(channels),
                               logVarianceMismatch: varianceMismatch / Double(channels))
    }
}
