import Baseline

/// The ridge penalties tried on validation by the baseline models.
let baselineAlphas: [Double] = [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000]

/// TF-IDF (word 1–2-grams) of the synopsis → ridge, α picked on validation.
public struct TfidfRidgeModel: PopularityModel {
    /// The vectorizer's settings.
    public var configuration = TfidfConfiguration()
    /// The name shown in tables.
    public let name = "TF-IDF ridge"
    /// Reads the synopsis only.
    public let inputs: Set<ModelInput> = [.synopsis]

    /// Default settings.
    public init() {}

    /// Fits the vectorizer and ridge.
    public func fit(training: ExampleSet, validation: ExampleSet) throws -> any PopularityPredictor {
        FittedTfidfRidge(model: try Self.fitRidge(training: training, validation: validation, configuration: configuration))
    }

    /// The fitted TF-IDF ridge itself (also the stacking input of the fused head).
    static func fitRidge(training: ExampleSet, validation: ExampleSet, configuration: TfidfConfiguration = TfidfConfiguration()) throws -> TfidfRidge {
        try TfidfRidge.fit(trainDocuments: training.synopses, trainTargets: training.targets,
                           validationDocuments: validation.synopses, validationTargets: validation.targets,
                           alphas: baselineAlphas, configuration: configuration)
    }
}

/// A fitted TF-IDF ridge.
struct FittedTfidfRidge: PopularityPredictor {
    let model: TfidfRidge
    var summary: String { "alpha \(model.alpha), \(model.vectorizer.featureCount) features" }
    func predict(_ examples: ExampleSet) throws -> [Double] { model.predict(examples.synopses) }
}

/// Raw poster pixels (32×32×3, standardized) → ridge: the seed paper's "PILToTensor" idea done correctly.
public struct PixelRidgeModel: PopularityModel {
    /// The name shown in tables.
    public let name = "Pixel ridge"
    /// Reads the poster only.
    public let inputs: Set<ModelInput> = [.image]

    /// Default settings.
    public init() {}

    /// Fits ridge on the pixels of rows that have them.
    public func fit(training: ExampleSet, validation: ExampleSet) throws -> any PopularityPredictor {
        let model = try PixelRidge.fit(trainPixels: training.pixels.map { $0 ?? [] }, trainTargets: training.targets,
                                       validationPixels: validation.pixels.map { $0 ?? [] }, validationTargets: validation.targets,
                                       alphas: baselineAlphas.map { $0 * 1000 } + [1e6, 3e6, 1e7])
        return FittedPixelRidge(model: model)
    }
}

/// A fitted pixel ridge.
struct FittedPixelRidge: PopularityPredictor {
    let model: PixelRidge
    var summary: String { "alpha \(model.alpha)" }
    func predict(_ examples: ExampleSet) throws -> [Double] { model.predict(examples.pixels.map { $0 ?? [] }) }
}

/// TF-IDF and pixels concatenated (pixel block weighted, the weight picked on validation) → one ridge.
public struct TextPixelRidgeModel: PopularityModel {
    /// The vectorizer's settings.
    public var configuration = TfidfConfiguration()
    /// The name shown in tables.
    public let name = "TF-IDF+pixels ridge"
    /// Reads synopsis and poster.
    public let inputs: Set<ModelInput> = [.synopsis, .image]

    /// Default settings.
    public init() {}

    /// Fits the joint ridge.
    public func fit(training: ExampleSet, validation: ExampleSet) throws -> any PopularityPredictor {
        let model = try TextPixelRidge.fit(
            trainDocuments: training.synopses, trainPixels: training.pixels.map { $0 ?? [] }, trainTargets: training.targets,
            validationDocuments: validation.synopses, validationPixels: validation.pixels.map { $0 ?? [] },
            validationTargets: validation.targets, alphas: baselineAlphas, pixelBlockWeights: [0.25, 0.5, 1, 2],
            configuration: configuration)
        return FittedTextPixelRidge(model: model)
    }
}

/// A fitted text+pixel ridge.
struct FittedTextPixelRidge: PopularityPredictor {
    let model: TextPixelRidge
    var summary: String { "alpha \(model.alpha), pixel scale \(String(format: "%.3g", model.pixelScale))" }
    func predict(_ examples: ExampleSet) throws -> [Double] {
        model.predict(examples.synopses, pixels: examples.pixels.map { $0 ?? [] })
    }
}

/// The models `compare` runs by default, text first.
public enum StandardModels {
    /// TF-IDF ridge, pixel ridge, TF-IDF+pixels ridge (neural models are added here when they land).
    public static var all: [any PopularityModel] { [TfidfRidgeModel(), PixelRidgeModel(), TextPixelRidgeModel()] }
}
