import Testing
@testable import Vision

/// Features of both networks with seeded synthetic weights (the formula in `SyntheticWeights`, shared with
/// tools/vision_net_reference.py) against the numpy float64 reference's committed outputs.
@Suite("Networks against the independent reference")
struct NetworkReferenceTests {
    typealias Support = NetworkTestSupport

    static func cases(_ model: String) throws -> [[String: Any]] {
        let all = try Support.json("vision_net_synthetic.json")["cases"] as? [[String: Any]] ?? []
        return all.filter { $0["model"] as? String == model }
    }

    static func run(_ network: ImageBackbone, _ fixture: [String: Any]) -> (actual: [Float], expected: [Float]) {
        let batch = fixture["batch"] as? Int ?? 0, height = fixture["height"] as? Int ?? 0, width = fixture["width"] as? Int ?? 0
        let seed = UInt32(fixture["inputSeed"] as? Int ?? 0)
        let input = SyntheticWeights.input(batch: batch, height: height, width: width, seed: seed)
        return (network.features(input, batch: batch, height: height, width: width), Support.floats(fixture["features"]))
    }

    @Test("ResNet-50 (full size, 64×64 inputs): fp32 path within 1e-4, Winograd F(2,3) and F(4,3) within 2e-2")
    func resnet50() throws {
        let cases = try Self.cases("resnet50")
        #expect(cases.count == 1)
        for fixture in cases {
            let seed = UInt32(fixture["weightSeed"] as? Int ?? 0)
            let network = try ResNet50(stateDict: SyntheticWeights.stateDict(ResNet50.expectedShapes(), seed: seed))
            let plain = Self.run(network, fixture)
            #expect(plain.actual.count == 2 * 2048)
            let error = Support.relativeError(plain.actual, plain.expected)
            #expect(error <= 1e-4, "fp32 relative error \(error)")
            for variant in [WinogradVariant.f2x3, .f4x3] {
                network.useWinograd(variant, minimumTiles: 0)   // every stride-1 3×3 conv, however small its map
                let winograd = Self.run(network, fixture)
                let winogradError = Support.relativeError(winograd.actual, winograd.expected)
                #expect(winogradError <= 2e-2, "Winograd \(variant) relative error \(winogradError)")
            }
        }
    }

    @Test("EfficientNet-Lite0 (64×64 batch 2, 57×71 for asymmetric SAME padding) within 1e-4")
    func efficientNet() throws {
        let cases = try Self.cases("efficientnet-lite0")
        #expect(cases.count == 2)
        for fixture in cases {
            let seed = UInt32(fixture["weightSeed"] as? Int ?? 0)
            let network = try EfficientNetLite0(stateDict: SyntheticWeights.stateDict(EfficientNetLite0.expectedShapes(), seed: seed))
            let result = Self.run(network, fixture)
            let error = Support.relativeError(result.actual, result.expected)
            #expect(error <= 1e-4, "relative error \(error) at \(fixture["height"] ?? 0)×\(fixture["width"] ?? 0)")
        }
    }
}
