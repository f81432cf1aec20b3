import Baseline
import Foundation
import Tensor
import TextModel
import Tokenizer

/// Everything `animepop train` decides, saved in the model's configuration.
public struct TrainingSettings: Codable, Sendable {
    /// The target predicted ("popularity" or "score").
    public var target = "popularity"
    /// The text encoder's shape.
    public var encoder = TextEncoderConfiguration(layerCount: 2, width: 128, headCount: 4)
    /// Masked-LM pre-training.
    public var pretraining = PretrainingSettings()
    /// Joint-head training.
    public var head = HeadTrainingSettings()
    /// The variant shipped as the model (the comparison reports all of them).
    public var shippedVariant = HeadVariant.fusedBlend
    /// Seed for the encoder's initialisation.
    public var seed: UInt64 = 1

    /// Typical settings.
    public init() {}

    /// A few-minute run for smoke tests: a tiny encoder, a short pre-training, few head epochs.
    public static var quick: TrainingSettings {
        var settings = TrainingSettings()
        settings.encoder = TextEncoderConfiguration(contextLength: 128, layerCount: 1, width: 64, headCount: 2)
        settings.pretraining.maximumSteps = 150
        settings.pretraining.timeBudgetSeconds = 120
        settings.head.epochs = 30
        return settings
    }
}

/// What a training run produced: the shipped model's parts and the comparison on the time split.
public struct TrainingOutcome {
    /// The trained text encoder.
    public var encoder: TextEncoder
    /// The shipped head, its input scaler, its output calibration and its stacked (or blended) TF-IDF ridge.
    public var head: JointHead, scaler: FeatureScaler, calibration: HeadCalibration, baseline: TfidfRidge
    /// The blend of the head's output with the ridge's prediction (blend variants only).
    public var blend: HeadBlend?
    /// Predictions of the shipped model on its training titles → the percentile table.
    public var percentiles: PercentileTable
    /// Every model measured on the same split (TF-IDF ridge, pixel ridge, head ablations).
    public var comparison: ComparisonResult
    /// The last pre-training record.
    public var pretraining: PretrainingProgress
}

/// The `animepop train` pipeline: pre-train the text encoder on earlier synopses, compute frozen text and
/// image features, measure every model on the time split, then fit and return the shipped head.
public enum TrainingPipeline {
    /// Runs the pipeline on `catalogue`; masked-LM pre-training reads `pretrainingTitles` (default: the catalogue's),
    /// of which only those that started before the validation years are used. `log` receives progress lines.
    public static func run(catalogue: Catalogue, pretrainingTitles: [Title]? = nil, tokenizer: Tokenizer, images: ImageFeaturizer?,
                           settings: TrainingSettings, log: (String) -> Void) throws -> TrainingOutcome {
        guard let target = TargetKind(rawValue: settings.target) else { throw TrainingError.unknownTarget(settings.target) }
        let titles = catalogue.titles
        let split = Splits.time(titles)
        // 1. Masked-LM pre-training on the synopses of titles that started before the validation years
        //    (titles without a popularity figure too; never a validation or test title).
        let encoder = try TextEncoder(configuration: settings.encoder, seed: settings.seed)
        let featurizer = TextFeaturizer(tokenizer: tokenizer, encoder: encoder)
        let corpus = featurizer.tokenIds((pretrainingTitles ?? titles).filter { $0.startDate.year < 2021 }.map(\.synopsis))
        log("pre-training the text encoder on \(corpus.count) synopses (\(corpus.reduce(0) { $0 + $1.count }) tokens)")
        let pretraining = try Pretraining.run(encoder: encoder, sequences: corpus, settings: settings.pretraining) { record in
            if record.step % 100 == 0 {
                log(String(format: "  step %d/%d  masked-LM loss %.3f  %.0f tokens/s", record.step, record.plannedSteps,
                           record.loss, Double(record.tokens) / max(record.seconds, 1e-9)))
            }
        }
        // The encoder ships in fp16: round it now so every feature below comes from the shipped weights.
        try encoder.loadWeights(encoder.weightTensors().mapValues(\.roundedToHalf), file: "(fp16 rounding)")
        // 2. Frozen features; 3. every model on the same split.
        let features = try NeuralFeatures.compute(catalogue: catalogue, text: featurizer, images: images, log: log)
        let models = StandardModels.all + StandardModels.heads(features: features, settings: settings.head)
        var comparisonSettings = ComparisonSettings()
        comparisonSettings.target = target
        let comparison = Comparison.run(catalogue: catalogue, models: models, settings: comparisonSettings, progress: log)
        // 4. The shipped head, fitted on the same training rows.
        let targets = Targets.values(target, titles: titles, trainingRows: split.train)
        let all = ExampleSet(titles: titles, imageURLs: titles.map { catalogue.imageURL(for: $0) },
                             pixels: Array(repeating: nil, count: titles.count), targets: targets.map { $0 ?? .nan })
        let keep = { (rows: [Int]) in rows.filter { targets[$0] != nil } }
        let training = all.subset(keep(split.train)), validation = all.subset(keep(split.validation))
        var shipped = JointHeadModel(variant: settings.shippedVariant, features: features)
        shipped.settings = settings.head
        log("fitting the shipped model (\(settings.shippedVariant.rawValue)) on \(training.count) titles")
        guard let fitted = try shipped.fit(training: training, validation: validation) as? FittedJointHead,
              let baseline = fitted.stack ?? (try? TfidfRidgeModel.fitRidge(training: training, validation: validation))
        else { throw TrainingError.noModel }
        let percentiles = PercentileTable(scores: try fitted.predict(training))
        if let blend = fitted.blend { log(String(format: "  blend: head weight %.2f, chosen on validation Spearman", blend.headWeight)) }
        return TrainingOutcome(encoder: encoder, head: fitted.head, scaler: fitted.scaler, calibration: fitted.calibration, baseline: baseline,
                               blend: fitted.blend, percentiles: percentiles, comparison: comparison, pretraining: pretraining)
    }
}

/// Errors of `animepop train`.
public enum TrainingError: LocalizedError, Sendable {
    /// The target name is not one of popularity, score.
    case unknownTarget(String)
    /// Fitting produced no usable model.
    case noModel

    public var errorDescription: String? {
        switch self {
        case let .unknownTarget(name): "unknown target '\(name)' (expected: \(TargetKind.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .noModel: "training produced no model"
        }
    }
}
