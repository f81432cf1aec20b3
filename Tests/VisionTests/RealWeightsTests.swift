import Testing
@testable import Vision

/// EfficientNet-Lite0 with the real ImageNet weights against the reference's committed features and logits
/// (tools/vision_net_reference.py fixtures) on three formula-made 224×224 images.
@Suite("EfficientNet-Lite0 with real weights",
       .enabled(if: NetworkTestSupport.hasRealWeights, "needs ~/.cache/animepop/efficientnet-lite0-57934424.pth (tools/setup.sh)"))
struct RealWeightsTests {
    typealias Support = NetworkTestSupport

    /// The images of `real_test_images()` in the reference, pixel for pixel, scaled (x − 127) / 128, NHWC.
    static func images() -> [Float] {
        var pixels: [Float] = []
        for image in 0..<3 {
            for y in 0..<224 {
                for x in 0..<224 {
                    let rgb: [Int]
                    switch image {
                    case 0: rgb = [x * 255 / 223, y * 255 / 223, (x + y) * 255 / 446]
                    case 1: rgb = [(x * 7 + y * 3) % 256, (x * x + 5 * y) % 256, (x ^ y) % 256]
                    default:
                        let disc = (x - 112) * (x - 112) + (y - 100) * (y - 100) < 3600 ? 1 : 0
                        rgb = [210 * disc + 20, 120 * disc + 60, 40]
                    }
                    pixels += rgb.map { (Float($0) - 127) / 128 }
                }
            }
        }
        return pixels
    }

    @Test("features and logits match the reference (≤ 1e-4 relative), same top-5")
    func logits() throws {
        let network = try EfficientNetLite0(stateDict: try TorchCheckpoint.read(contentsOf: WeightsCache.efficientNetLite0))
        let expected = try Support.json("vision_net_lite0_real.json")
        let input = Self.images()
        let features = network.features(input, batch: 3, height: 224, width: 224)
        let logits = network.classifier.logits(features, batch: 3)
        let featureError = Support.relativeError(features, Support.floats(expected["features"]))
        let logitError = Support.relativeError(logits, Support.floats(expected["logits"]))
        #expect(featureError <= 1e-4, "feature relative error \(featureError)")
        #expect(logitError <= 1e-4, "logit relative error \(logitError)")
        let top5 = (0..<3).map { image in
            (0..<1000).sorted { logits[image * 1000 + $0] > logits[image * 1000 + $1] }.prefix(5).map { $0 }
        }
        #expect(top5 == (expected["top5"] as? [[Int]] ?? []))
    }
}
