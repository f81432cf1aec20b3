import Dispatch
import Testing
@testable import Vision

/// `ImageBackbone.replica`: another instance for another thread, sharing the weights.
@Suite("Backbone replicas")
struct BackboneReplicaTests {
    @Test("an EfficientNet-Lite0 replica shares the packed weights and, run beside the original, gives identical features")
    func efficientNet() throws {
        let original = try EfficientNetLite0(stateDict: SyntheticWeights.stateDict(EfficientNetLite0.expectedShapes(), seed: 2))
        let replica = try #require(original.replica() as? EfficientNetLite0)
        #expect(replica !== original)
        let originalPanels = try #require(original.head.panels), replicaPanels = try #require(replica.head.panels)
        #expect(replicaPanels === originalPanels, "the replica copied the weights")

        let first = SyntheticWeights.input(batch: 2, height: 64, width: 64, seed: 3)
        let second = SyntheticWeights.input(batch: 1, height: 64, width: 64, seed: 4)
        let expected = [original.features(first, batch: 2, height: 64, width: 64), original.features(second, batch: 1, height: 64, width: 64)]
        // Both at once, each on its own thread with its own activation memory.
        nonisolated(unsafe) var results: [[Float]] = [[], []]
        nonisolated(unsafe) let networks: [EfficientNetLite0] = [original, replica]
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let input = index == 0 ? first : second
            results[index] = networks[index].features(input, batch: index == 0 ? 2 : 1, height: 64, width: 64)
        }
        #expect(results == expected)
    }

    @Test("a ResNet-50 replica shares the packed weights and gives identical features")
    func resnet() throws {
        let original = try NetworkTestSupport.resNet50()
        let replica = try #require(original.replica() as? ResNet50)
        for (mine, theirs) in zip(replica.blocks, original.blocks) {
            let (a, b) = (try #require(mine.conv3.panels), try #require(theirs.conv3.panels))
            #expect(a === b, "the replica copied the weights")
        }
        let input = SyntheticWeights.input(batch: 1, height: 64, width: 64, seed: 3)
        let expected = original.features(input, batch: 1, height: 64, width: 64)
        #expect(replica.features(input, batch: 1, height: 64, width: 64) == expected)
    }
}
