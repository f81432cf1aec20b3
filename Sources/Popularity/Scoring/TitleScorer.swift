import Baseline
import Foundation
import TextModel
import Tokenizer
import Vision

/// One upcoming title to score: its synopsis and, optionally, its key visual.
public struct TitleInput: Sendable {
    /// The synopsis (must not be blank).
    public var synopsis: String
    /// The key visual (JPEG), nil when there is none.
    public var image: URL?

    /// Creates an input.
    public init(synopsis: String, image: URL?) {
        self.synopsis = synopsis
        self.image = image
    }
}

/// What the scorer says about one title.
public struct TitleScore: Codable, Sendable {
    /// Normalized popularity ŷ ∈ [0, 1] (the model's target scale).
    public var popularity: Double
    /// Percentile of ŷ among the model's scores of its training titles, 0–100.
    public var percentile: Double
    /// The TF-IDF ridge's prediction on the same scale (the baseline beside it).
    public var baseline: Double
    /// Whether a key visual was used.
    public var usedImage: Bool
    /// Words that moved the TF-IDF ridge most (term, contribution), largest |contribution| first.
    public var words: [WordDriver]
    /// Regions of the key visual that moved the score most (occlusion: score − score with the region greyed).
    public var regions: [RegionDriver] = []
    /// Model version string.
    public var model: String
}

/// One word (or bigram) and how much it moved the baseline's prediction.
public struct WordDriver: Codable, Sendable {
    /// The term.
    public var term: String
    /// weight × tf-idf value.
    public var contribution: Double
}

/// One region of the key visual and how much it moved the model's score.
public struct RegionDriver: Codable, Sendable {
    /// "top left" … "bottom right" (3×3 grid).
    public var region: String
    /// Score with the image minus score with this region greyed out.
    public var contribution: Double
}

/// Errors about one title's input.
public enum TitleInputError: LocalizedError, Sendable {
    /// The synopsis is empty or only whitespace.
    case emptySynopsis

    public var errorDescription: String? {
        switch self {
        case .emptySynopsis: "the synopsis is empty"
        }
    }
}

/// Scores titles with a loaded model bundle: tokenizer → text encoder → t; key visual → backbone → v;
/// TF-IDF ridge → baseline; joint head → ŷ; percentile table → percentile.
public final class TitleScorer {
    /// The loaded model.
    public let bundle: ModelBundle
    let text: TextFeaturizer
    /// The tokenizer the model reads synopses with.
    public var tokenizer: Tokenizer { text.tokenizer }
    /// The image featurizer (nil for a text-only model).
    public let images: ImageFeaturizer?

    /// Loads a model directory and its tokenizer; the backbone comes from the weights cache (or `images`).
    /// With `store`, text vectors are cached there by synopsis hash and the encoder's weights digest.
    public init(bundle: ModelBundle, tokenizer: Tokenizer, images: ImageFeaturizer?, store: Store? = nil) {
        self.bundle = bundle
        text = TextFeaturizer(tokenizer: tokenizer, encoder: bundle.encoder,
                              cache: store.map { ($0, bundle.encoderDigest) })
        self.images = images
    }

    init(bundle: ModelBundle, text: TextFeaturizer, images: ImageFeaturizer?) {
        self.bundle = bundle
        self.text = text
        self.images = images
    }

    /// An independent scorer for one worker thread of several: the same weights, caches and tokenizer, with its own
    /// text encoder copy and backbone replica (each keeps scratch memory for one call at a time), and everything on the
    /// calling thread — the encoder `.serial` on one sequence at a time, the tokenizer on 1 thread (OpenBLAS must be
    /// at one thread too).
    public func singleThreadedReplica() -> TitleScorer {
        var copy = bundle
        copy.encoder = bundle.encoder.copy()
        copy.encoder.threading = .serial
        let images = self.images?.replica()
        let text = TextFeaturizer(tokenizer: text.tokenizer, encoder: copy.encoder, cache: text.cache)
        text.tokenizerThreads = 1
        text.scoringBatchSize = 1
        return TitleScorer(bundle: copy, text: text, images: images)
    }

    /// Scores a batch of titles whose image features are already known (nil: no key visual).
    public func score(_ inputs: [TitleInput], imageFeatures: [[Float]?], explain: Int = 0) throws -> [TitleScore] {
        for input in inputs where input.synopsis.allSatisfy(\.isWhitespace) { throw TitleInputError.emptySynopsis }
        let synopses = inputs.map(\.synopsis)
        let configuration = bundle.configuration
        // Each distinct synopsis goes through the TF-IDF ridge and the text encoder once (an occlusion map scores
        // one title with ten image variants).
        var slots: [String: Int] = [:], distinct: [String] = []
        let slot = synopses.map { synopsis in
            if let known = slots[synopsis] { return known }
            slots[synopsis] = distinct.count
            distinct.append(synopsis)
            return distinct.count - 1
        }
        let distinctBaseline = bundle.baseline.predict(distinct)
        let baseline = slot.map { distinctBaseline[$0] }
        let distinctVectors = configuration.head.inputs.textWidth > 0
            ? try text.vectors(distinct, batchSize: text.scoringBatchSize) : Array(repeating: [], count: distinct.count)
        let vectors = slot.map { distinctVectors[$0] }
        let usesImage = configuration.head.inputs.imageWidth > 0
        let examples = HeadExamples(text: vectors, image: usesImage ? imageFeatures : Array(repeating: nil, count: inputs.count),
                                    baseline: baseline.map(Float.init), targets: Array(repeating: 0, count: inputs.count),
                                    years: Array(repeating: 0, count: inputs.count))
        let predictions = bundle.head.predict(examples.batch(Array(0..<inputs.count), inputs: configuration.head.inputs,
                                                             scaler: configuration.scaler,
                                                             imputeMissing: configuration.training.head.imputeMissingImages))
        let blended = configuration.blend.map { blend in zip(predictions, baseline).map { blend.apply(head: Double($0), baseline: $1) } }
            ?? predictions.map(Double.init)
        let calibrated = blended.map { configuration.calibration.apply($0) }
        let distinctWords = distinct.map { synopsis in
            explain > 0
                ? bundle.baseline.contributions(for: synopsis).prefix(explain).map { WordDriver(term: $0.term, contribution: $0.contribution) }
                : []
        }
        return inputs.indices.map { row in
            TitleScore(popularity: calibrated[row], percentile: bundle.percentiles.percentile(of: calibrated[row]),
                       baseline: baseline[row], usedImage: usesImage && imageFeatures[row] != nil, words: distinctWords[slot[row]],
                       model: "animepop \(configuration.version) (\(configuration.variant.rawValue), \(configuration.target), trained \(configuration.createdAt))")
        }
    }

    /// Scores one title, computing its image features (errors in the image are thrown, naming the file).
    /// With `explain` > 0 and a key visual, also the occlusion map over a 3×3 grid of the visual.
    public func score(_ input: TitleInput, explain: Int = 0) throws -> TitleScore {
        guard let url = input.image, let images, bundle.configuration.head.inputs.imageWidth > 0 else {
            guard let only = try score([input], imageFeatures: [nil], explain: explain).first else { throw TitleInputError.emptySynopsis }
            return only
        }
        // Without an explanation the cached features serve; with one, the visual and its nine occlusions are all computed.
        let features: [[Float]?]
        if explain > 0 {
            features = try images.occludedFeatures(url)
        } else {
            switch images.features([url]).first ?? nil {
            case let .success(vector)?: features = [vector]
            case let .failure(error)?: throw error
            case nil: features = [nil]
            }
        }
        let scores = try score(Array(repeating: input, count: features.count), imageFeatures: features, explain: explain)
        guard var result = scores.first else { throw TitleInputError.emptySynopsis }
        result.regions = zip(ImageFeaturizer.regionNames, scores.dropFirst())
            .map { RegionDriver(region: $0, contribution: result.popularity - $1.popularity) }
            .sorted { abs($0.contribution) > abs($1.contribution) }
        return result
    }
}
