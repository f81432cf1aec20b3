/// EfficientNet-Lite0 as the `efficientnet-lite0-57934424.pth` checkpoint implies (Tan & Le 2019; the Lite
/// variant: ReLU6, no squeeze-excite, stem and head unscaled): stem 3×3/2 conv 3→32 → 16 MBConv blocks →
/// 1×1 head conv 320→1280 → global average pool → 1280 features → fc. Every conv pads TensorFlow-style
/// ("SAME", asymmetric for stride 2), as the model was trained in TensorFlow. BN (ε = 1e-3) is folded at load.
/// Input: [N, H, W, 3] scaled (x − 127) / 128 (TensorFlow-Lite normalization, not ImageNet mean/std).
public final class EfficientNetLite0: ImageBackbone {
    /// One MBConv stage of the B0 layout: repeats, kernel, first stride, expansion ratio, channels in → out.
    struct StageSpec {
        var repeats: Int, kernel: Int, stride: Int, expansion: Int, input: Int, output: Int
    }

    /// One inverted-residual block: optional 1×1 expand, depthwise k×k, 1×1 project, skip when shapes allow.
    struct MBConvBlock {
        var expand: Convolution?
        var depthwise: DepthwiseConvolution
        var project: Convolution
        var hasSkip: Bool
    }

    /// The seven stages (lukemelas `efficientnet_params` block strings for B0 with width = depth = 1.0).
    static let stages: [StageSpec] = [
        StageSpec(repeats: 1, kernel: 3, stride: 1, expansion: 1, input: 32, output: 16),
        StageSpec(repeats: 2, kernel: 3, stride: 2, expansion: 6, input: 16, output: 24),
        StageSpec(repeats: 2, kernel: 5, stride: 2, expansion: 6, input: 24, output: 40),
        StageSpec(repeats: 3, kernel: 3, stride: 2, expansion: 6, input: 40, output: 80),
        StageSpec(repeats: 3, kernel: 5, stride: 1, expansion: 6, input: 80, output: 112),
        StageSpec(repeats: 4, kernel: 5, stride: 2, expansion: 6, input: 112, output: 192),
        StageSpec(repeats: 1, kernel: 3, stride: 1, expansion: 6, input: 192, output: 320),
    ]

    var stem: Convolution
    var blocks: [MBConvBlock]
    var head: Convolution
    /// The `_fc` layer.
    public let classifier: Classifier
    /// 1280.
    public let featureCount = 1280
    private let arena = ActivationArena(slots: 4)

    init(stem: Convolution, blocks: [MBConvBlock], head: Convolution, classifier: Classifier) {
        self.stem = stem
        self.blocks = blocks
        self.head = head
        self.classifier = classifier
    }

    /// This network's weights with an activation arena of its own (see `ImageBackbone.replica`).
    public func replica() -> any ImageBackbone {
        EfficientNetLite0(stem: stem, blocks: blocks, head: head, classifier: classifier)
    }

    /// Bytes the activation arena holds now.
    public var arenaBytes: Int { arena.allocatedBytes }

    /// EfficientNet-Lite0 has no stride-1 3×3 dense convs, so Winograd does not apply; kept for the protocol.
    public func useWinograd(_ variant: WinogradVariant?, minimumTiles: Int) {}

    /// Pooled features [N, 1280] for `input` [N, H, W, 3].
    public func features(_ input: [Float], batch: Int, height: Int, width: Int) -> [Float] {
        precondition(input.count == batch * height * width * 3, "input does not hold batch×height×width×3 values")
        var shape = FeatureMapShape(batch: batch, height: height, width: width, channels: 3)
        var current = 0
        input.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let stemShape = stem.outputShape(shape)
            stem.forward(base, shape: shape, output: arena.output(current, count: stemShape.count), arena: arena)
            shape = stemShape
        }
        for block in blocks {
            let free = (0..<4).filter { $0 != current }
            var expanded = current
            var expandedShape = shape
            if let expand = block.expand {
                expanded = free[0]
                expandedShape = expand.outputShape(shape)
                expand.forward(arena.input(current), shape: shape, output: arena.output(expanded, count: expandedShape.count), arena: arena)
            }
            let filtered = free[1]
            let filteredShape = block.depthwise.outputShape(expandedShape)
            block.depthwise.forward(arena.input(expanded), shape: expandedShape, output: arena.output(filtered, count: filteredShape.count))
            let projected = free[2]
            let projectedShape = block.project.outputShape(filteredShape)
            block.project.forward(arena.input(filtered), shape: filteredShape, output: arena.output(projected, count: projectedShape.count),
                                  residual: block.hasSkip ? UnsafePointer(arena.input(current)) : nil, arena: arena)
            current = projected
            shape = projectedShape
        }
        let headShape = head.outputShape(shape)
        let headSlot = (current + 1) % 4
        head.forward(arena.input(current), shape: shape, output: arena.output(headSlot, count: headShape.count), arena: arena)
        var result = [Float](repeating: 0, count: batch * featureCount)
        result.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            Pooling.globalAverage(arena.input(headSlot), shape: headShape, output: base)
        }
        return result
    }
}
