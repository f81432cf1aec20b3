import Foundation
import Vision

/// Key visual → frozen backbone features v, cached in the store by image content hash, backbone and weights digest.
public final class ImageFeaturizer {
    /// The frozen backbone (EfficientNet-Lite0 by default).
    public let backbone: any ImageBackbone
    /// Backbone name stored with each cached vector.
    public let backboneName: String
    /// Digest of the weights file: new weights never reuse old vectors.
    public let weightsDigest: String
    /// Input normalization the backbone was trained with.
    public let normalization: PixelNormalization
    /// The feature cache (nil: compute every time).
    public let store: Store?

    /// Wraps a loaded backbone.
    public init(backbone: any ImageBackbone, backboneName: String, weightsDigest: String,
                normalization: PixelNormalization, store: Store?) {
        self.backbone = backbone
        self.backboneName = backboneName
        self.weightsDigest = weightsDigest
        self.normalization = normalization
        self.store = store
    }

    /// The default backbone: EfficientNet-Lite0 from the weights cache (see `tools/setup.sh`).
    /// - Throws: `ModelFileError.missingFile` with the setup hint when the weights are absent; checkpoint errors.
    public static func efficientNetLite0(store: Store?) throws -> ImageFeaturizer {
        let url = WeightsCache.efficientNetLite0
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw ModelFileError.missingFile(path: url.path, hint: "run tools/setup.sh to fetch the EfficientNet-Lite0 weights")
        }
        let stateDict = try TorchCheckpoint.read(bytes: [UInt8](bytes), path: url.path)
        return ImageFeaturizer(backbone: try EfficientNetLite0(stateDict: stateDict), backboneName: "efficientnet-lite0",
                               weightsDigest: SHA256.hex(bytes), normalization: .tensorFlowLite, store: store)
    }

    /// Features (or the reason there are none) for each image file; nil entries (no key visual) stay nil.
    /// Decoding and the backbone run in batches of `batchSize`; cached vectors are reused and new ones stored.
    public func features(_ urls: [URL?], batchSize: Int = 8, progress: (Int) -> Void = { _ in })
        -> [Result<[Float], Error>?] {
        var results = [Result<[Float], Error>?](repeating: nil, count: urls.count)
        var pending: [(index: Int, sha256: String, input: [Float])] = []
        func flush() {
            guard !pending.isEmpty else { return }
            let side = 224
            let input = pending.flatMap(\.input)
            let output = backbone.features(input, batch: pending.count, height: side, width: side)
            let width = backbone.featureCount
            var fresh: [(sha256: String, features: [Float])] = []
            for (row, item) in pending.enumerated() {
                let vector = Array(output[row * width..<(row + 1) * width])
                results[item.index] = .success(vector)
                fresh.append((item.sha256, vector))
            }
            try? store?.cacheFeatures(fresh, backbone: backboneName, weightsDigest: weightsDigest)
            progress(pending.count)
            pending.removeAll(keepingCapacity: true)
        }
        for (index, url) in urls.enumerated() {
            guard let url else { continue }
            do {
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw ImageFeatureError.unreadable(path: url.path)
                }
                let sha256 = SHA256.hex(data)
                if let cached = try store?.cachedFeatures(sha256: sha256, backbone: backboneName, weightsDigest: weightsDigest) {
                    results[index] = .success(cached)
                    progress(1)
                    continue
                }
                let image = try JPEGDecoder.decode(data: data, name: url.path, minimumSide: Preprocessor.decodingMinimumSide())
                pending.append((index, sha256, Preprocessor.input(image, normalization: normalization)))
                if pending.count == batchSize { flush() }
            } catch {
                results[index] = .failure(error)
                progress(1)
            }
        }
        flush()
        return results
    }
}

/// Errors reading a key visual before it reaches the decoder.
public enum ImageFeatureError: LocalizedError, Sendable {
    /// The file is missing or unreadable.
    case unreadable(path: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadable(path): "\(path): image file missing or unreadable"
        }
    }
}
