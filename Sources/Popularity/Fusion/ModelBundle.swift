import Baseline
import Foundation
import Tensor
import TextModel

/// The shipped model's configuration (`model.json`): what was trained, how, and how to rebuild it.
public struct ModelConfiguration: Codable, Sendable {
    /// animepop version that wrote the model.
    public var version: String
    /// When training finished (ISO 8601).
    public var createdAt: String
    /// The target ("popularity" or "score").
    public var target: String
    /// Head variant shipped.
    public var variant: HeadVariant
    /// Joint-head sizes and inputs.
    public var head: JointHeadConfiguration
    /// Input standardization fitted on the training titles.
    public var scaler: FeatureScaler
    /// Output recalibration fitted on the validation titles (applied after the blend, when there is one).
    public var calibration: HeadCalibration
    /// Blend of the head's output with the TF-IDF ridge's prediction (nil: the head's output alone).
    public var blend: HeadBlend?
    /// Text encoder shape.
    public var encoder: TextEncoderConfiguration
    /// Tokenizer location, relative to the repository (the shipped `vocab/`).
    public var tokenizer: String
    /// Image backbone name, nil for a text-only model.
    public var backbone: String?
    /// Training settings, for the record.
    public var training: TrainingSettings
}

/// A trained model directory (`data/models/default/`):
/// `model.json` (configuration), `text_encoder.safetensors` (fp16), `head.safetensors`, `baseline.tfidf`
/// (the stacked TF-IDF ridge, also the baseline shown beside every score), `percentiles.json`, `MODEL_CARD.md`.
public struct ModelBundle {
    /// The configuration.
    public var configuration: ModelConfiguration
    /// The text encoder.
    public var encoder: TextEncoder
    /// The joint head.
    public var head: JointHead
    /// The TF-IDF ridge.
    public var baseline: TfidfRidge
    /// Training-set percentile table.
    public var percentiles: PercentileTable
    /// The model card (Markdown), written beside the weights.
    public var card: String
    /// SHA-256 of the encoder's weights as stored (keys cached text vectors).
    public var encoderDigest: String {
        let tensors = encoder.weightTensors()
        var bytes = Data()
        for name in tensors.keys.sorted() {
            bytes.append(Data(name.utf8))
            tensors[name]?.scalars.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        return SHA256.hex(bytes)
    }

    /// Packs a training outcome.
    public init(outcome: TrainingOutcome, settings: TrainingSettings, tokenizerPath: String, backbone: String?, version: String) {
        configuration = ModelConfiguration(
            version: version, createdAt: ISO8601DateFormatter().string(from: Date()), target: settings.target,
            variant: settings.shippedVariant, head: outcome.head.configuration, scaler: outcome.scaler, calibration: outcome.calibration,
            blend: outcome.blend, encoder: outcome.encoder.configuration, tokenizer: tokenizerPath, backbone: backbone, training: settings)
        encoder = outcome.encoder
        head = outcome.head
        baseline = outcome.baseline
        percentiles = outcome.percentiles
        card = ModelCard.markdown(configuration: configuration, outcome: outcome)
    }

    /// File names inside a model directory.
    enum File {
        static let configuration = "model.json", encoder = "text_encoder.safetensors", head = "head.safetensors"
        static let baseline = "baseline.tfidf", percentiles = "percentiles.json", card = "MODEL_CARD.md"
    }

    /// The configuration as pretty JSON text (also recorded in the runs table).
    public func configurationJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }

    /// Writes every file into `directory` (created if needed); each file is written atomically.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(configurationJSON().utf8).write(to: directory.appendingPathComponent(File.configuration), options: .atomic)
        try SafeTensors.write(encoder.weightTensors(), metadata: ["format": "animepop-text-encoder"], dtype: .f16,
                              to: directory.appendingPathComponent(File.encoder))
        try SafeTensors.write(head.namedParameters, metadata: ["format": "animepop-joint-head"],
                              to: directory.appendingPathComponent(File.head))
        try baseline.save(to: directory.appendingPathComponent(File.baseline))
        try JSONEncoder().encode(percentiles).write(to: directory.appendingPathComponent(File.percentiles), options: .atomic)
        try Data(card.utf8).write(to: directory.appendingPathComponent(File.card), options: .atomic)
    }

    /// Reads a model directory, checking every tensor's name and shape against the configuration.
    /// - Throws: `ModelFileError` naming the file (missing, unreadable, mismatched tensors).
    public static func read(from directory: URL) throws -> ModelBundle {
        func url(_ name: String) throws -> URL {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ModelFileError.missingFile(path: url.path, hint: "train one with `animepop train` or pass --model DIR")
            }
            return url
        }
        let configurationURL = try url(File.configuration)
        let configuration: ModelConfiguration
        do {
            configuration = try JSONDecoder().decode(ModelConfiguration.self, from: Data(contentsOf: configurationURL))
        } catch {
            throw ModelFileError.badConfiguration(file: configurationURL.path, reason: "\(error)")
        }
        let encoderURL = try url(File.encoder), headURL = try url(File.head)
        let encoder = try TextEncoder.loading(configuration: configuration.encoder, tensors: SafeTensors.read(contentsOf: encoderURL),
                                              file: encoderURL.path)
        let head = try JointHead(configuration: configuration.head, named: SafeTensors.read(contentsOf: headURL), file: headURL.path)
        let baseline = try TfidfRidge.load(from: url(File.baseline))
        let percentilesURL = try url(File.percentiles)
        let percentiles: PercentileTable
        do {
            percentiles = try JSONDecoder().decode(PercentileTable.self, from: Data(contentsOf: percentilesURL))
        } catch {
            throw ModelFileError.badConfiguration(file: percentilesURL.path, reason: "\(error)")
        }
        let card = (try? String(contentsOf: directory.appendingPathComponent(File.card), encoding: .utf8)) ?? ""
        return ModelBundle(configuration: configuration, encoder: encoder, head: head, baseline: baseline,
                           percentiles: percentiles, card: card)
    }

    init(configuration: ModelConfiguration, encoder: TextEncoder, head: JointHead, baseline: TfidfRidge,
         percentiles: PercentileTable, card: String) {
        self.configuration = configuration
        self.encoder = encoder
        self.head = head
        self.baseline = baseline
        self.percentiles = percentiles
        self.card = card
    }
}

extension Tensor {
    /// The tensor with every value rounded to the nearest fp16 (what an fp16 safetensors file stores).
    var roundedToHalf: Tensor {
        Tensor(shape: shape, scalars: scalars.map { HalfPrecision.float(fromHalf: HalfPrecision.half(from: $0)) })
    }
}
