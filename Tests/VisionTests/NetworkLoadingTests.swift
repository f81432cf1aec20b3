import Testing
@testable import Vision

@Suite("Strict weight loading")
struct NetworkLoadingTests {
    static let shapes = EfficientNetLite0.expectedShapes()

    @Test("a missing tensor is an error naming it and its shape")
    func missing() {
        var dict = SyntheticWeights.stateDict(Self.shapes, seed: 1)
        dict["_blocks.3._depthwise_conv.weight"] = nil
        #expect(throws: CheckpointError.missingTensor(key: "_blocks.3._depthwise_conv.weight", expectedShape: [144, 1, 5, 5])) {
            try EfficientNetLite0(stateDict: dict)
        }
    }

    @Test("an unexpected tensor is an error; num_batches_tracked is ignored")
    func unexpected() throws {
        var dict = SyntheticWeights.stateDict(Self.shapes, seed: 1)
        dict["_bn0.num_batches_tracked"] = CheckpointTensor(shape: [], values: [0])
        _ = try EfficientNetLite0(stateDict: dict)
        dict["_extra.weight"] = CheckpointTensor(shape: [2], values: [0, 0])
        #expect(throws: CheckpointError.unexpectedTensor(key: "_extra.weight", shape: [2])) {
            try EfficientNetLite0(stateDict: dict)
        }
    }

    @Test("a mis-shaped tensor is an error naming both shapes")
    func misShaped() {
        var dict = SyntheticWeights.stateDict(ResNet50.expectedShapes(), seed: 1)
        dict["layer2.0.downsample.0.weight"] = CheckpointTensor(shape: [512, 256, 3, 3], values: [Float](repeating: 0, count: 512 * 256 * 9))
        #expect(throws: CheckpointError.shapeMismatch(key: "layer2.0.downsample.0.weight", expectedShape: [512, 256, 1, 1],
                                                      actualShape: [512, 256, 3, 3])) {
            try ResNet50(stateDict: dict)
        }
    }

    @Test("ResNet-50 has torchvision's 267 tensors (without num_batches_tracked) and 25,557,032 parameters")
    func resnetShapes() {
        let shapes = ResNet50.expectedShapes()
        #expect(shapes.count == 267)
        let parameters = shapes.filter { !$0.key.contains("running_") }.map { $0.shape.reduce(1, *) }.reduce(0, +)
        #expect(parameters == 25_557_032)
    }
}
