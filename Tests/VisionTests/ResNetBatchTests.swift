import Tensor
import Testing
@testable import Vision

/// How ResNet-50 runs a batch on one thread: the stem, layer1 and layer2 image by image (`imageByImageBlocks`),
/// layer3 and layer4 on the whole batch, every bottleneck's sum written over its identity.
@Suite("ResNet-50 batches")
struct ResNetBatchTests {
    @Test("a batch run on one thread gives each image exactly the features it gets alone")
    func imageByImage() throws {
        let network = try NetworkTestSupport.resNet50()
        let batch = 3, height = 64, width = 64, pixels = height * width * 3
        let input = SyntheticWeights.input(batch: batch, height: height, width: width, seed: 7)
        #expect(ResNet50.imageByImageBlocks > 0 && ResNet50.imageByImageBlocks < network.blocks.count)
        let together = SerialScope.run { network.features(input, batch: batch, height: height, width: width) }
        for image in 0..<batch {
            let alone = SerialScope.run {
                network.features(Array(input[(image * pixels)..<((image + 1) * pixels)]), batch: 1, height: height, width: width)
            }
            let same = Array(together[(image * 2048)..<((image + 1) * 2048)]) == alone
            #expect(same, "image \(image) of the batch differs from its features alone")
        }
        // The images differ, so a mix-up of their slots would show.
        let distinct = together[0..<2048] != together[2048..<4096]
        #expect(distinct, "two different images gave the same features")
    }

    @Test("features do not depend on how many threads split the layers: two threads and one give the same bits")
    func threadCountInvariance() throws {
        let network = try NetworkTestSupport.resNet50()
        let height = 64, width = 64
        let input = SyntheticWeights.input(batch: 2, height: height, width: width, seed: 11)
        let serial = SerialScope.run { network.features(input, batch: 2, height: height, width: width) }
        // On the engine's threads: batch 2 runs an image per thread, batch 1 splits every GEMM over the threads.
        let split = network.features(input, batch: 2, height: height, width: width)
        let first = network.features(Array(input[0..<(height * width * 3)]), batch: 1, height: height, width: width)
        #expect(split == serial, "the batch on the engine's threads differs from the batch on one thread")
        #expect(first == Array(serial[0..<2048]), "one image split over the threads differs from it on one thread")
    }
}
