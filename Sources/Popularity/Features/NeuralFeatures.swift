import Foundation

/// Neural inputs of every title, by MyAnimeList id: pooled text vectors t and backbone features v.
public struct NeuralFeatures: Sendable {
    /// Title id → t (text encoder, frozen).
    public var text: [Int: [Float]]
    /// Title id → v (image backbone, frozen); titles without a decodable key visual are absent.
    public var image: [Int: [Float]]

    /// Creates a feature table.
    public init(text: [Int: [Float]], image: [Int: [Float]]) {
        self.text = text
        self.image = image
    }

    /// Computes t for every title and v for every title with a key visual (cached in the featurizer's store).
    public static func compute(catalogue: Catalogue, text: TextFeaturizer, images: ImageFeaturizer?,
                               log: (String) -> Void) throws -> NeuralFeatures {
        let titles = catalogue.titles
        log("encoding \(titles.count) synopses")
        let vectors = try text.vectors(titles.map(\.synopsis))
        var image: [Int: [Float]] = [:]
        if let images {
            let urls = titles.map { catalogue.imageURL(for: $0) }
            log("backbone features for \(urls.compactMap { $0 }.count) key visuals (\(images.backboneName), cached in the store)")
            var failures = 0
            for (title, result) in zip(titles, images.features(urls)) {
                switch result {
                case let .success(vector)?: image[title.id] = vector
                case .failure?: failures += 1
                case nil: break
                }
            }
            if failures > 0 { log("\(failures) key visuals could not be used") }
        }
        return NeuralFeatures(text: Dictionary(zip(titles.map(\.id), vectors), uniquingKeysWith: { first, _ in first }), image: image)
    }
}
