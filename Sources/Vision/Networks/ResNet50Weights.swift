// MARK: - Key mapping: torchvision ResNet-50 state dict → ResNet50
// Names as in torchvision `models/resnet.py`: conv1, bn1, layer{1-4}.{i}.conv{1-3}/bn{1-3},
// layer{1-4}.0.downsample.0 (1×1 conv) / .1 (BN), fc. `num_batches_tracked` entries are ignored.

extension ResNet50 {
    /// torchvision's BatchNorm2d ε.
    static let batchNormEpsilon: Float = 1e-5

    /// ResNet-50 from a torchvision state dict; strict: a missing, unexpected or mis-shaped tensor is an error.
    /// - Throws: `CheckpointError` naming the key (and both shapes when they differ).
    public convenience init(stateDict: [String: CheckpointTensor]) throws {
        var loader = StateDictLoader(stateDict)
        let epsilon = ResNet50.batchNormEpsilon
        let stem = try loader.convolution("conv1", batchNorm: "bn1", epsilon: epsilon, input: 3, output: 64,
                                          kernel: 7, stride: 2, padding: .symmetric(3), activation: .relu)
        var blocks: [Bottleneck] = []
        var inputChannels = 64
        for (stage, depth) in ResNet50.stageDepths.enumerated() {
            let width = ResNet50.stageWidths[stage]
            for index in 0..<depth {
                let prefix = "layer\(stage + 1).\(index)."
                let stride = (stage > 0 && index == 0) ? 2 : 1
                let conv1 = try loader.convolution(prefix + "conv1", batchNorm: prefix + "bn1", epsilon: epsilon,
                                                   input: inputChannels, output: width, kernel: 1, stride: 1,
                                                   padding: .symmetric(0), activation: .relu)
                let conv2 = try loader.convolution(prefix + "conv2", batchNorm: prefix + "bn2", epsilon: epsilon,
                                                   input: width, output: width, kernel: 3, stride: stride,
                                                   padding: .symmetric(1), activation: .relu)
                let conv3 = try loader.convolution(prefix + "conv3", batchNorm: prefix + "bn3", epsilon: epsilon,
                                                   input: width, output: 4 * width, kernel: 1, stride: 1,
                                                   padding: .symmetric(0), activation: .relu)
                var downsample: Convolution?
                if index == 0 {
                    downsample = try loader.convolution(prefix + "downsample.0", batchNorm: prefix + "downsample.1",
                                                        epsilon: epsilon, input: inputChannels, output: 4 * width,
                                                        kernel: 1, stride: stride, padding: .symmetric(0), activation: .identity)
                }
                blocks.append(Bottleneck(conv1: conv1, conv2: conv2, conv3: conv3, downsample: downsample))
                inputChannels = 4 * width
            }
        }
        let classifier = try loader.classifier("fc", features: 2048, classes: 1000)
        try loader.finish()
        self.init(stem: stem, blocks: blocks, classifier: classifier)
    }

    /// Every tensor name and shape of a torchvision ResNet-50 state dict (without `num_batches_tracked`).
    public static func expectedShapes() -> [(key: String, shape: [Int])] {
        var result: [(String, [Int])] = []
        func batchNorm(_ prefix: String, _ channels: Int) {
            for suffix in ["weight", "bias", "running_mean", "running_var"] { result.append(("\(prefix).\(suffix)", [channels])) }
        }
        result.append(("conv1.weight", [64, 3, 7, 7])); batchNorm("bn1", 64)
        var inputChannels = 64
        for (stage, depth) in stageDepths.enumerated() {
            let width = stageWidths[stage]
            for index in 0..<depth {
                let prefix = "layer\(stage + 1).\(index)."
                result.append((prefix + "conv1.weight", [width, inputChannels, 1, 1])); batchNorm(prefix + "bn1", width)
                result.append((prefix + "conv2.weight", [width, width, 3, 3])); batchNorm(prefix + "bn2", width)
                result.append((prefix + "conv3.weight", [4 * width, width, 1, 1])); batchNorm(prefix + "bn3", 4 * width)
                if index == 0 {
                    result.append((prefix + "downsample.0.weight", [4 * width, inputChannels, 1, 1]))
                    batchNorm(prefix + "downsample.1", 4 * width)
                }
                inputChannels = 4 * width
            }
        }
        result.append(("fc.weight", [1000, 2048])); result.append(("fc.bias", [1000]))
        return result
    }
}
