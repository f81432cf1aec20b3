import Testing
@testable import Vision

/// The per-layer profile behind `animepop-bench vision --profile`.
@Suite("Layer times")
struct LayerTimesTests {
    @Test("ResNet-50 records each of its 55 layers once per pass, by torchvision name, with the conv's FLOPs; features unchanged")
    func resnet50() throws {
        let network = try NetworkTestSupport.resNet50()
        let input = SyntheticWeights.input(batch: 2, height: 64, width: 64, seed: 6)
        let untimed = network.features(input, batch: 2, height: 64, width: 64)
        let times = LayerTimes()
        network.layerTimes = times
        let timed = network.features(input, batch: 2, height: 64, width: 64)
        network.layerTimes = nil
        #expect(timed == untimed)

        let layers = times.medians()
        #expect(layers.count == 55)   // conv1, maxpool, 16 bottlenecks × 3 convs, 4 downsamples, avgpool
        #expect(layers.prefix(6).map(\.name) == ["conv1", "maxpool", "layer1.0.conv1", "layer1.0.conv2", "layer1.0.downsample",
                                                  "layer1.0.conv3"])
        #expect(layers.last?.name == "avgpool")
        #expect(Set(layers.map(\.name)).count == 55)
        #expect(layers.allSatisfy { $0.seconds >= 0 })
        // Batch 2 runs image-parallel on two threads (one image per call) or on one (both images per call).
        #expect(layers.allSatisfy { $0.images == layers[0].images } && [1, 2].contains(layers[0].images))
        let perImage = Dictionary(uniqueKeysWithValues: layers.map { ($0.name, $0.flops / Double($0.images)) })
        // 64×64 input: conv1 → 32², max pool → 16² (layer1), then 8², 4², 2².
        let expected: [String: Double] = [
            "conv1": 2 * (32 * 32) * 64 * (7 * 7 * 3),
            "layer1.0.conv2": 2 * (16 * 16) * 64 * (3 * 3 * 64),
            "layer4.0.downsample": 2 * (2 * 2) * 2048 * 1024,
            "layer4.2.conv3": 2 * (2 * 2) * 2048 * 512,
        ]
        for (name, flops) in expected { #expect(perImage[name] == flops, "\(name)") }
        #expect(perImage["maxpool"] == 0)
    }
}
