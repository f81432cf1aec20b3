import Foundation

/// An input a model may need.
public enum ModelInput: String, Sendable, Hashable, Codable {
    /// The synopsis text.
    case synopsis
    /// The key visual (decoded poster).
    case image
}

/// Rows handed to a model: synopses, optional poster pixels and targets, aligned (N rows).
public struct ExampleSet: Sendable {
    /// The titles (N).
    public var titles: [Title]
    /// Each title's poster file, nil when it has none (N).
    public var imageURLs: [URL?]
    /// Each title's poster as 32×32×3 floats in [0, 1] (HWC, RGB), nil when it has none or it failed to decode (N).
    public var pixels: [[Float]?]
    /// The target values (N).
    public var targets: [Double]

    /// The synopses (N).
    public var synopses: [String] { titles.map(\.synopsis) }
    /// How many rows.
    public var count: Int { titles.count }

    /// Makes a set of aligned rows.
    public init(titles: [Title], imageURLs: [URL?], pixels: [[Float]?], targets: [Double]) {
        self.titles = titles
        self.imageURLs = imageURLs
        self.pixels = pixels
        self.targets = targets
    }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> ExampleSet {
        ExampleSet(titles: indices.map { titles[$0] }, imageURLs: indices.map { imageURLs[$0] },
                   pixels: indices.map { pixels[$0] }, targets: indices.map { targets[$0] })
    }

    /// The indices of rows with decoded pixels.
    public var rowsWithImage: [Int] { pixels.indices.filter { pixels[$0] != nil } }
}

/// A model `animepop compare` can train and measure. Models that need an input some rows lack are fitted and
/// measured on the rows that have it (e.g. titles with a cover); a neural model plugs in by conforming.
public protocol PopularityModel: Sendable {
    /// The name shown in tables ("TF-IDF ridge").
    var name: String { get }
    /// The inputs it reads.
    var inputs: Set<ModelInput> { get }
    /// Fits on `training`, picking hyper-parameters on `validation`.
    /// - Throws: the model's own errors (too few rows, empty vocabulary, …).
    func fit(training: ExampleSet, validation: ExampleSet) throws -> any PopularityPredictor
}

/// A fitted model.
public protocol PopularityPredictor: Sendable {
    /// One line about what was chosen in fitting ("alpha 3.0"), for the report.
    var summary: String { get }
    /// Predicted targets for every row of `examples` (N).
    func predict(_ examples: ExampleSet) throws -> [Double]
}
