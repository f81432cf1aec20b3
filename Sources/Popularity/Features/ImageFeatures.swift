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
    public init(backbone: any ImageBackbone, backboneName: String, weightsDigest: String, normalization: PixelNormalization,
                store: Store?) {
        self.backbone = backbone
        self.backboneName = backboneName
        self.weightsDigest = weightsDigest
        self.normalization = normalization
        self.store = store
    }

    /// A featurizer for another thread: the same weights, store and cache keys, with the backbone's own activation
    /// memory (`ImageBackbone.replica`: weights shared, so a replica costs no load time and no weight memory).
    public func replica() -> ImageFeaturizer {
        ImageFeaturizer(backbone: backbone.replica(), backboneName: backboneName, weightsDigest: weightsDigest,
                        normalization: normalization, store: store)
    }

    /// The default backbone: EfficientNet-Lite0 from the weights cache (see `tools/setup.sh`).
    /// - Throws: `ModelFileError.missingFile` with the setup hint when the weights are absent; checkpoint errors.
    public static func efficientNetLite0(store: Store?) throws -> ImageFeaturizer {
        let url = WeightsCache.efficientNetLite0
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw ModelFileError.missingFile(path: url.path, hint: "run tools/setup.sh to fetch the EfficientNet-Lite0 weights")
        }
        return try efficientNetLite0(stateDict: TorchCheckpoint.read(bytes: [UInt8](bytes), path: url.path),
                                     weightsDigest: SHA256.hex(bytes), store: store)
    }

    /// EfficientNet-Lite0 from an already read checkpoint whose file has SHA-256 `weightsDigest` (the cache key).
    /// - Throws: `CheckpointError` when a tensor is missing, extra or mis-shaped.
    public static func efficientNetLite0(stateDict: [String: CheckpointTensor], weightsDigest: String, store: Store?) throws -> ImageFeaturizer {
        ImageFeaturizer(backbone: try EfficientNetLite0(stateDict: stateDict), backboneName: "efficientnet-lite0",
                        weightsDigest: weightsDigest, normalization: .tensorFlowLite, store: store)
    }

    /// Features (or the reason there are none) for each image file; nil entries (no key visual) stay nil.
    /// Cached vectors are reused; the rest are decoded and run through the backbone in batches of `batchSize`.
    public func features(_ urls: [URL?], batchSize: Int = 8, progress: (Int) -> Void = { _ in })
        -> [Result<[Float], Error>?] {
        var results: [Result<[Float], Error>?] = []
        results.reserveCapacity(urls.count)
        for start in stride(from: 0, to: urls.count, by: batchSize) {
            let chunk = Array(urls[start..<min(start + batchSize, urls.count)])
            results += compute(prepare(chunk), batchSize: batchSize)
            progress(chunk.count)
        }
        return results
    }

    /// Step 1 of 2 (any thread), for several key visuals (nil: none): read and hash each file, look all of them up
    /// in the cache at once, then decode and preprocess the ones it lacks.
    public func prepare(_ urls: [URL?]) -> [PreparedImage?] {
        let files = urls.map { url in
            url.map { url -> Result<(data: Data, sha256: String), Error> in
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    return .failure(ImageFeatureError.unreadable(path: url.path))
                }
                return .success((data, SHA256.hex(data)))
            }
        }
        let hashes = files.compactMap { try? $0?.get().sha256 }
        let cached: [String: [Float]]
        do {
            cached = try store?.cachedFeatures(sha256s: hashes, backbone: backboneName, weightsDigest: weightsDigest) ?? [:]
        } catch {
            return files.map { $0.map { _ in .failed(error) } }
        }
        return zip(urls, files).map { url, file -> PreparedImage? in
            guard let url, let file else { return nil }
            do {
                let (data, sha256) = try file.get()
                if let vector = cached[sha256] { return .cached(vector) }
                let image = try JPEGDecoder.decode(data: data, name: url.path, minimumSide: Preprocessor.decodingMinimumSide())
                return .decoded(sha256: sha256, input: Preprocessor.input(image, normalization: normalization))
            } catch {
                return .failed(error)
            }
        }
    }

    /// Step 2 of 2: run the backbone on the decoded images, `batchSize` at a time, and cache the new vectors.
    public func compute(_ prepared: [PreparedImage?], batchSize: Int = 8) -> [Result<[Float], Error>?] {
        var fresh: [(sha256: String, index: Int, input: [Float])] = []
        for (index, item) in prepared.enumerated() {
            if case let .decoded(sha256, input)? = item { fresh.append((sha256, index, input)) }
        }
        var computed: [Int: [Float]] = [:]
        if !fresh.isEmpty {
            let side = 224, width = backbone.featureCount
            for start in stride(from: 0, to: fresh.count, by: max(1, batchSize)) {
                let part = fresh[start..<min(start + max(1, batchSize), fresh.count)]
                let output = backbone.features(part.flatMap(\.input), batch: part.count, height: side, width: side)
                for (row, item) in part.enumerated() { computed[item.index] = Array(output[row * width..<(row + 1) * width]) }
            }
            try? store?.cacheFeatures(fresh.compactMap { item in computed[item.index].map { (item.sha256, $0) } },
                                      backbone: backboneName, weightsDigest: weightsDigest)
        }
        return prepared.enumerated().map { index, item -> Result<[Float], Error>? in
            switch item {
            case nil: return nil
            case let .cached(vector)?: return .success(vector)
            case let .failed(error)?: return .failure(error)
            case .decoded?: return computed[index].map { .success($0) }
            }
        }
    }
}

extension ImageFeaturizer {
    /// Region names of a 3×3 occlusion grid, row by row.
    public static let regionNames = ["top left", "top", "top right", "left", "center", "right", "bottom left", "bottom", "bottom right"]

    /// Backbone features of the key visual (first) and of `grid`² copies, each with one cell of the
    /// preprocessed 224×224 input set to the normalization's zero (mid-grey): the occlusion map behind
    /// "which image regions drove the score".
    /// - Throws: the decoder's errors, naming the file.
    public func occludedFeatures(_ url: URL, grid: Int = 3) throws -> [[Float]] {
        let side = 224
        let image = try JPEGDecoder.decode(contentsOf: url, minimumSide: Preprocessor.decodingMinimumSide())
        let inputs = Self.occlusions(of: Preprocessor.input(image, normalization: normalization), side: side, grid: grid)
        let output = backbone.features(inputs.flatMap { $0 }, batch: inputs.count, height: side, width: side)
        let width = backbone.featureCount
        return (0..<inputs.count).map { Array(output[$0 * width..<($0 + 1) * width]) }
    }

    /// The input itself, then one copy per grid cell (row-major) with that cell's pixels set to 0.
    /// `input` is one NHWC image, side × side × 3.
    static func occlusions(of input: [Float], side: Int, grid: Int) -> [[Float]] {
        var copies = [input]
        for cell in 0..<(grid * grid) {
            var copy = input
            let rows = (cell / grid * side / grid)..<((cell / grid + 1) * side / grid)
            let columns = (cell % grid * side / grid)..<((cell % grid + 1) * side / grid)
            for y in rows {
                for x in columns { for c in 0..<3 { copy[(y * side + x) * 3 + c] = 0 } }
            }
            copies.append(copy)
        }
        return copies
    }
}

/// A key visual between decoding and the backbone.
public enum PreparedImage: @unchecked Sendable {
    /// Features found in the cache.
    case cached([Float])
    /// Decoded and preprocessed input (224×224×3, NHWC) with the file's content hash.
    case decoded(sha256: String, input: [Float])
    /// Why the image cannot be used (unreadable, unsupported, corrupt, too large).
    case failed(Error)
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
