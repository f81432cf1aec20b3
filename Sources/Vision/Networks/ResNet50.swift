import Dispatch
import Tensor

/// ResNet-50 v1.5 exactly as torchvision builds it (He et al. 2016; torchvision `models/resnet.py`):
/// conv1 7×7/2 → BN → ReLU → max pool 3×3/2 → layer1…layer4 of [3, 4, 6, 3] bottlenecks (widths 64…512,
/// expansion 4; the stride sits on each bottleneck's 3×3 conv2) → global average pool → 2048 features → fc.
/// BN is folded into the convs at load (`ResNet50Weights`); input: [N, H, W, 3] normalized with ImageNet mean/std.
public final class ResNet50: ImageBackbone {
    /// One bottleneck: 1×1 reduce, 3×3 (stride), 1×1 expand, plus the residual (projected when shapes change).
    struct Bottleneck {
        var conv1: Convolution
        var conv2: Convolution
        var conv3: Convolution
        var downsample: Convolution?
    }

    /// Bottlenecks per stage.
    public static let stageDepths = [3, 4, 6, 3]
    /// Bottleneck widths per stage (output channels are 4×).
    public static let stageWidths = [64, 128, 256, 512]
    /// torchvision's names of the bottlenecks, in order: "layer1.0" … "layer4.2".
    static let blockNames = stageDepths.enumerated().flatMap { stage, depth in (0..<depth).map { "layer\(stage + 1).\($0)" } }

    var stem: Convolution
    var blocks: [Bottleneck]
    /// The `fc` layer.
    public let classifier: Classifier
    /// 2048.
    public let featureCount = 2048
    /// When set, every forward pass records each layer's wall-clock time here (`animepop-bench vision --profile`).
    public var layerTimes: LayerTimes?
    /// Slots 0–3 hold the batch's activations, 4–7 one image's (see `forward`).
    private let arena = ActivationArena(slots: 8)
    /// One arena per thread for batches run image-parallel (see `features`).
    private var workerArenas: [ActivationArena] = []

    init(stem: Convolution, blocks: [Bottleneck], classifier: Classifier) {
        self.stem = stem
        self.blocks = blocks
        self.classifier = classifier
    }

    /// This network's weights, Winograd settings included, with activation arenas of its own (see `ImageBackbone.replica`).
    public func replica() -> any ImageBackbone {
        ResNet50(stem: stem, blocks: blocks, classifier: classifier)
    }

    /// Bytes the activation arena holds now (grows to the largest batch seen, then stays).
    public var arenaBytes: Int { arena.allocatedBytes }

    /// Switches conv2 of every bottleneck to a Winograd variant (nil: back to im2col + GEMM). With F(4,3), layer4's
    /// convs, on the smallest maps (7×7 at 224×224: 4 F(4,3) tiles an image, too few), fall back to F(2,3) (16 tiles)
    /// rather than im2col + GEMM (`Convolution.usingWinograd`).
    public func useWinograd(_ variant: WinogradVariant?, minimumTiles: Int) {
        let lastStage = blocks.count - (Self.stageDepths.last ?? 0)
        for index in blocks.indices {
            let fallback: WinogradVariant? = variant == .f4x3 && index >= lastStage ? .f2x3 : nil
            blocks[index].conv2 = blocks[index].conv2.usingWinograd(variant, minimumTiles: minimumTiles, fallback: fallback)
        }
    }

    /// Pooled features [N, 2048] for `input` [N, H, W, 3].
    ///
    /// A batch of at least as many images as threads runs image-parallel: each thread takes a contiguous share of
    /// the images through the whole network on its own arena, with no synchronization between layers. Smaller
    /// batches split every layer's work over the threads instead.
    public func features(_ input: [Float], batch: Int, height: Int, width: Int) -> [Float] {
        precondition(input.count == batch * height * width * 3, "input does not hold batch×height×width×3 values")
        var result = [Float](repeating: 0, count: batch * featureCount)
        let workers = engineWorkers()
        input.withUnsafeBufferPointer { inputBuffer in
            result.withUnsafeMutableBufferPointer { resultBuffer in
                guard let source = inputBuffer.baseAddress, let destination = resultBuffer.baseAddress else { return }
                guard workers > 1, batch >= workers, Convolution.packedEngine else {
                    forward(source, batch: batch, height: height, width: width, arena: arena, features: destination)
                    return
                }
                while workerArenas.count < workers { workerArenas.append(ActivationArena(slots: 8)) }
                let pixels = height * width * 3, featureCount = featureCount
                // Each worker reads the shared (immutable) weights and writes only its own arena and output rows.
                nonisolated(unsafe) let (input, output, network, arenas) = (source, destination, self, workerArenas)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let first = batch * worker / workers, end = batch * (worker + 1) / workers
                    SerialScope.run {
                        network.forward(input + first * pixels, batch: end - first, height: height, width: width,
                                     arena: arenas[worker], features: output + first * featureCount)
                    }
                }
            }
        }
        return result
    }

    /// Bottlenecks that a batch runs one image at a time: layer1 and layer2, whose activations (3.2 MB per image and
    /// tensor in layer1) outweigh their weights, so one image's tensors stay near the core while it runs them.
    /// layer3 and layer4 run the whole batch per layer, so each of their weights (94 MB in all) is read once per batch.
    static let imageByImageBlocks = 7

    /// The arena slots a pass rotates through: 0–3 for the batch, 4–7 for one image at a time.
    private static let batchSlots = 0..<4, imageSlots = 4..<8

    /// The network on `batch` images [batch, H, W, 3] → `features` [batch, 2048], activations in `arena`.
    /// A batch of several runs the stem, layer1 and layer2 image by image in the image slots, the last of those
    /// bottlenecks writing each image's place in batch slot 0; then layer3 and layer4 on the batch (`imageByImageBlocks`).
    private func forward(_ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, arena: ActivationArena,
                         features: UnsafeMutablePointer<Float>) {
        var watch = LayerStopwatch(layerTimes)
        var current: Int, shape: FeatureMapShape
        let early = batch > 1 ? Self.imageByImageBlocks : 0
        if early > 0 {
            let imageShape = FeatureMapShape(batch: 1, height: height, width: width, channels: 3)
            (current, shape) = (0, imageShape)
            for image in 0..<batch {
                (current, shape) = stem(input + image * imageShape.count, shape: imageShape, slots: Self.imageSlots, arena: arena,
                                        watch: &watch)
                for index in 0..<early {
                    let into = index == early - 1 ? BatchPlace(slot: Self.batchSlots.lowerBound, image: image, batch: batch) : nil
                    (current, shape) = bottleneck(index, from: current, slots: Self.imageSlots, shape: shape, into: into, arena: arena,
                                                  watch: &watch)
                }
            }
            shape.batch = batch
        } else {
            (current, shape) = stem(input, shape: FeatureMapShape(batch: batch, height: height, width: width, channels: 3),
                                    slots: Self.batchSlots, arena: arena, watch: &watch)
        }
        for index in early..<blocks.count {
            (current, shape) = bottleneck(index, from: current, slots: Self.batchSlots, shape: shape, into: nil, arena: arena,
                                          watch: &watch)
        }
        Pooling.globalAverage(arena.input(current), shape: shape, output: features)
        watch.lap("avgpool", images: batch, flops: 0)
    }

    /// Where a bottleneck run on one image writes its output instead: that image's place in a batch tensor in `slot`.
    private struct BatchPlace {
        let slot: Int
        let image: Int
        let batch: Int
    }

    /// conv1 and the max pool on `input` [N, H, W, 3], in two of `slots`. Returns the result's slot and shape.
    private func stem(_ input: UnsafePointer<Float>, shape: FeatureMapShape, slots: Range<Int>, arena: ActivationArena,
                      watch: inout LayerStopwatch) -> (Int, FeatureMapShape) {
        let (convolved, pooled) = (slots.lowerBound + 1, slots.lowerBound)
        let stemShape = stem.outputShape(shape)
        stem.forward(input, shape: shape, output: arena.output(convolved, count: stemShape.count), arena: arena)
        watch.lap("conv1", images: shape.batch, flops: stem.flops(stemShape))
        let pooledShape = Pooling.outputShape(stemShape, kernel: 3, stride: 2, padding: .symmetric(1))
        Pooling.max(arena.input(convolved), shape: stemShape, output: arena.output(pooled, count: pooledShape.count),
                    kernel: 3, stride: 2, padding: .symmetric(1))
        watch.lap("maxpool", images: shape.batch, flops: 0)
        return (pooled, pooledShape)
    }

    /// Bottleneck `index` on `shape`'s images, from slot `current` to another of `slots` (or to `into`). The sum is written
    /// over the identity where the engine allows (its lines are read anyway), else where conv1's output was.
    /// Returns the result's slot and shape.
    private func bottleneck(_ index: Int, from current: Int, slots: Range<Int>, shape: FeatureMapShape, into: BatchPlace?,
                            arena: ActivationArena, watch: inout LayerStopwatch) -> (Int, FeatureMapShape) {
        let block = blocks[index], name = Self.blockNames[index], batch = shape.batch
        let free = slots.filter { $0 != current }
        let (reduced, middle, projected) = (free[0], free[1], free[2])
        let shape1 = block.conv1.outputShape(shape)
        block.conv1.forward(arena.input(current), shape: shape, output: arena.output(reduced, count: shape1.count), arena: arena)
        watch.lap(name + ".conv1", images: batch, flops: block.conv1.flops(shape1))
        let shape2 = block.conv2.outputShape(shape1)
        block.conv2.forward(arena.input(reduced), shape: shape1, output: arena.output(middle, count: shape2.count), arena: arena)
        watch.lap(name + ".conv2", images: batch, flops: block.conv2.flops(shape2))
        let shape3 = block.conv3.outputShape(shape2)
        var identity = current
        if let downsample = block.downsample {
            downsample.forward(arena.input(current), shape: shape, output: arena.output(projected, count: shape3.count), arena: arena)
            watch.lap(name + ".downsample", images: batch, flops: downsample.flops(shape3))
            identity = projected
        }
        let target: Int, output: UnsafeMutablePointer<Float>
        if let into {
            // The first image sizes the batch tensor; later ones find it large enough, so earlier images' results stay.
            (target, output) = (into.slot, arena.output(into.slot, count: into.batch * shape3.count) + into.image * shape3.count)
        } else if block.conv3.addsResidualInPlace {
            (target, output) = (identity, arena.input(identity))
        } else {
            (target, output) = (reduced, arena.output(reduced, count: shape3.count))   // conv1's output is no longer needed
        }
        block.conv3.forward(arena.input(middle), shape: shape2, output: output, residual: arena.input(identity), arena: arena)
        watch.lap(name + ".conv3", images: batch, flops: block.conv3.flops(shape3))
        return (target, shape3)
    }
}
