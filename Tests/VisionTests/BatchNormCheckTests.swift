import Foundation
import Testing
@testable import Vision

/// DESIGN.md's batch-norm statistics check on natural images (posters from ../shared/data, read at run time,
/// never committed): with TF-lite input scaling and SAME padding the first BN layers' batch statistics agree with
/// the running statistics; ImageNet mean/std scaling visibly does not. The full 49-layer check on 64+ posters
/// runs in release: `animepop-bench vision --bn-check ../shared/data/posters/anime-wall`.
@Suite("Batch-norm statistics check",
       .enabled(if: NetworkTestSupport.hasRealWeights && NetworkTestSupport.posterDirectory != nil,
                "needs the EfficientNet-Lite0 weights and ../shared/data/posters/anime-wall"))
struct BatchNormCheckTests {
    @Test("first BN layers: TF-lite scaling matches the running statistics, ImageNet scaling does not")
    func firstLayers() throws {
        let directory = try #require(NetworkTestSupport.posterDirectory)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jpg") }.sorted().prefix(8)
        let images = try names.map {
            try JPEGDecoder.decode(contentsOf: directory.appendingPathComponent($0), minimumSide: Preprocessor.decodingMinimumSide())
        }
        let stateDict = try TorchCheckpoint.read(contentsOf: WeightsCache.efficientNetLite0)
        func firstLayers(_ normalization: PixelNormalization) throws -> [BatchNormCheck.LayerStatistics] {
            try BatchNormCheck.efficientNetLite0(stateDict: stateDict, input: Preprocessor.batch(images, normalization: normalization),
                                                 batch: images.count, height: 224, width: 224, layerLimit: 3)
        }
        let tensorFlowLite = try firstLayers(.tensorFlowLite), imageNet = try firstLayers(.imageNet)
        #expect(tensorFlowLite.map(\.name) == ["_bn0", "_blocks.0._bn1", "_blocks.0._bn2"])
        for (right, wrong) in zip(tensorFlowLite, imageNet) {
            #expect(right.logVarianceMismatch < 0.5, "\(right.name): \(right.logVarianceMismatch)")
            #expect(right.logVarianceMismatch < wrong.logVarianceMismatch, "\(right.name) TF-lite vs ImageNet")
        }
    }
}
