import Baseline
import Foundation

/// The ablations of the joint head, as rows of the comparison table.
public enum HeadVariant: String, CaseIterable, Codable, Sendable {
    /// Text encoder vector only.
    case text = "Text encoder head"
    /// Key visual features only (+ the image-present flag).
    case image = "Image backbone head"
    /// Text vector + key visual: the multimodal model.
    case fused = "Fused head"
    /// Fused + the TF-IDF ridge's prediction as an input (stacking; cross-fitted on training rows).
    case fusedStacked = "Fused head + TF-IDF stack"
    /// Text head's output blended with the TF-IDF ridge's prediction, the weight chosen on validation (`HeadBlend`).
    case textBlend = "Text head + TF-IDF blend"
    /// Fused head's output blended with the TF-IDF ridge's prediction, the weight chosen on validation (`HeadBlend`).
    case fusedBlend = "Fused head + TF-IDF blend"

    /// Whether the head reads the text vector.
    public var readsText: Bool { self != .image }
    /// Whether the head reads the key visual's features.
    public var readsImage: Bool { self != .text && self != .textBlend }
    /// Whether the head's output is blended with the TF-IDF ridge's prediction.
    public var blendsBaseline: Bool { self == .textBlend || self == .fusedBlend }
}

/// A joint head variant as a `PopularityModel`, so `compare` measures it on the same split as the baselines.
public struct JointHeadModel: PopularityModel {
    /// Which inputs the head reads.
    public let variant: HeadVariant
    /// Precomputed features for every title.
    public let features: NeuralFeatures
    /// Head sizes (inputs are set from the variant).
    public var projection = 64, hidden = 128
    /// Training settings.
    public var settings = HeadTrainingSettings()

    /// A model for one variant over precomputed features.
    public init(variant: HeadVariant, features: NeuralFeatures) {
        self.variant = variant
        self.features = features
    }

    /// The table name.
    public var name: String { variant.rawValue }

    /// The image-only head needs a key visual; the others score titles without one (missing-image vector).
    public var inputs: Set<ModelInput> { variant == .image ? [.image] : [.synopsis] }

    /// Head input widths for this variant.
    var headInputs: HeadInputs {
        let textWidth = variant.readsText ? (features.text.first?.value.count ?? 0) : 0
        let imageWidth = variant.readsImage ? (features.image.first?.value.count ?? 0) : 0
        return HeadInputs(textWidth: textWidth, imageWidth: imageWidth, usesBaseline: variant == .fusedStacked)
    }

    /// Trains the head (and, when stacking, the cross-fitted TF-IDF ridge; when blending, the TF-IDF ridge) on
    /// `training`, early-stopping on `validation`; a blend's weight is chosen on every validation title.
    ///
    /// In the public data having a cover at all marks popular titles (the posters come from fans' watch lists);
    /// a head that can tell "no cover" apart learns that artifact instead of anything in the picture. So heads
    /// with an image branch learn from titles with a cover only, with modality dropout for the missing-image path
    /// (mean imputation, `imputeMissingImages`, does not hide missingness: see its doc).
    public func fit(training allTraining: ExampleSet, validation allValidation: ExampleSet) throws -> any PopularityPredictor {
        let inputs = headInputs
        // The stacked TF-IDF ridge learns from every training title (cross-fitted), whatever rows the head uses.
        var stack: TfidfRidge?
        var outOfFold: [Double] = []
        if inputs.usesBaseline {
            (stack, outOfFold) = try StackedBaseline.fit(training: allTraining, validation: allValidation)
        } else if variant.blendsBaseline {
            stack = try StackedBaseline.fitShipped(training: allTraining, validation: allValidation)
        }
        let hasCover = { (set: ExampleSet) in set.titles.indices.filter { features.image[set.titles[$0].id] != nil } }
        let coverOnly = variant == .image || (inputs.imageWidth > 0 && !settings.imputeMissingImages)
        let trainingRows = coverOnly ? hasCover(allTraining) : Array(allTraining.titles.indices)
        let training = allTraining.subset(trainingRows)
        let validation = coverOnly ? allValidation.subset(hasCover(allValidation)) : allValidation
        let trainingBaseline = inputs.usesBaseline ? trainingRows.map { Float(outOfFold[$0]) } : []
        let train = try examples(training, baseline: trainingBaseline)
        let validationExamples = try examples(validation, baseline: stack.map { $0.predict(validation.synopses).map(Float.init) } ?? [])
        let configuration = JointHeadConfiguration(inputs: inputs, imageProjection: projection, hidden: hidden)
        let (head, scaler, history) = HeadTrainer.train(configuration: configuration, training: train,
                                                        validation: validationExamples, settings: settings)
        // Recalibrate on every validation title (with and without a cover, as the titles it will score).
        // A blend's weight is chosen on the same titles, before the calibration of the blended score.
        let ridge = stack.map { $0.predict(allValidation.synopses) } ?? []
        let calibrationRows = try examples(allValidation, baseline: inputs.usesBaseline ? ridge.map(Float.init) : [])
        var raw = head.predict(calibrationRows.batch(Array(0..<calibrationRows.count), inputs: inputs, scaler: scaler,
                                                     imputeMissing: settings.imputeMissingImages)).map(Double.init)
        var blend: HeadBlend?
        if variant.blendsBaseline {
            let chosen = HeadBlend(choosingOn: raw, baseline: ridge, targets: allValidation.targets)
            raw = zip(raw, ridge).map { chosen.apply(head: $0, baseline: $1) }
            blend = chosen
        }
        return FittedJointHead(model: self, head: head, scaler: scaler, stack: stack, blend: blend,
                               calibration: HeadCalibration(fitting: raw, to: allValidation.targets),
                               validationSpearman: Metrics.spearman(raw, allValidation.targets),
                               bestEpoch: history.max { $0.validationSpearman < $1.validationSpearman }?.epoch ?? 0)
    }

    /// Head examples for rows of `set` (targets unknown → 0).
    func examples(_ set: ExampleSet, baseline: [Float]) throws -> HeadExamples {
        let inputs = headInputs
        var text: [[Float]] = []
        if inputs.textWidth > 0 {
            text = try set.titles.map { title in
                guard let vector = features.text[title.id] else { throw FusionError.missingFeatures(titleId: title.id, kind: "text") }
                return vector
            }
        } else {
            text = Array(repeating: [], count: set.count)
        }
        let image = set.titles.map { inputs.imageWidth > 0 ? features.image[$0.id] : nil }
        return HeadExamples(text: text, image: image, baseline: baseline,
                            targets: set.targets.map { $0.isFinite ? Float($0) : 0 }, years: set.titles.map(\.startDate.year))
    }
}

/// A trained joint head inside `compare`.
struct FittedJointHead: PopularityPredictor {
    let model: JointHeadModel
    let head: JointHead
    let scaler: FeatureScaler
    let stack: TfidfRidge?
    let blend: HeadBlend?
    let calibration: HeadCalibration
    /// Spearman of the (blended) output on every validation title, with and without a cover.
    let validationSpearman: Double
    let bestEpoch: Int

    var summary: String {
        "best epoch \(bestEpoch)" + String(format: ", validation Spearman %.3f (all titles)", validationSpearman)
            + (stack.map { ", stack alpha \($0.alpha)" } ?? "")
            + (blend.map { blend in
                String(format: ", blend head weight %.2f (validation Spearman %@)", blend.headWeight,
                       blend.validationSpearman.map { String(format: "%.3f", $0) }.joined(separator: " "))
            } ?? "")
            + String(format: ", calibration %.3f·p%+.3f", calibration.scale, calibration.offset)
    }

    func predict(_ examples: ExampleSet) throws -> [Double] {
        let ridge = stack.map { $0.predict(examples.synopses) } ?? []
        let rows = try model.examples(examples, baseline: head.configuration.inputs.usesBaseline ? ridge.map(Float.init) : [])
        let raw = head.predict(rows.batch(Array(0..<rows.count), inputs: head.configuration.inputs, scaler: scaler,
                                          imputeMissing: model.settings.imputeMissingImages)).map(Double.init)
        guard let blend else { return raw.map { calibration.apply($0) } }
        return zip(raw, ridge).map { calibration.apply(blend.apply(head: $0, baseline: $1)) }
    }
}

/// The TF-IDF ridge used as a stacking input: fitted on all training rows for new titles, and cross-fitted
/// (5 folds) for the training rows themselves, so the head never sees in-sample (overfitted) predictions.
enum StackedBaseline {
    static func fit(training: ExampleSet, validation: ExampleSet, folds: Int = 5) throws
        -> (model: TfidfRidge, outOfFold: [Double]) {
        // Round-trip through the archive (float32 weights) so the head learns from the ridge exactly as it ships.
        let model = try fitShipped(training: training, validation: validation)
        var outOfFold = [Double](repeating: 0, count: training.count)
        let assignment = Splits.foldAssignment(count: training.count, folds: folds, seed: 5)
        for fold in 0..<folds {
            let held = training.titles.indices.filter { assignment[$0] == fold }
            let kept = training.titles.indices.filter { assignment[$0] != fold }
            let foldModel = try TfidfRidge.fit(trainDocuments: kept.map { training.titles[$0].synopsis },
                                               trainTargets: kept.map { training.targets[$0] },
                                               validationDocuments: validation.synopses, validationTargets: validation.targets,
                                               alphas: [model.alpha], configuration: model.vectorizer.configuration)
            for (row, value) in zip(held, foldModel.predict(held.map { training.titles[$0].synopsis })) { outOfFold[row] = value }
        }
        return (model, outOfFold)
    }

    /// The TF-IDF ridge alone, fitted on every training row (α on validation) and round-tripped through its archive.
    static func fitShipped(training: ExampleSet, validation: ExampleSet) throws -> TfidfRidge {
        try TfidfRidge.unarchive(TfidfRidgeModel.fitRidge(training: training, validation: validation).archived())
    }
}

extension StandardModels {
    /// The joint-head ablations over precomputed features (the image-only head only when there are image features).
    public static func heads(features: NeuralFeatures, settings: HeadTrainingSettings = HeadTrainingSettings()) -> [any PopularityModel] {
        HeadVariant.allCases.filter { features.image.isEmpty ? $0 != .image : true }.map {
            var model = JointHeadModel(variant: $0, features: features)
            model.settings = settings
            return model
        }
    }
}

/// Errors of the fusion model.
public enum FusionError: LocalizedError, Sendable {
    /// A title has no precomputed features of a kind.
    case missingFeatures(titleId: Int, kind: String)

    public var errorDescription: String? {
        switch self {
        case let .missingFeatures(id, kind): "title \(id): no \(kind) features were computed"
        }
    }
}
