import Baseline
import Foundation
import Tensor
import TextModel
import Tokenizer
@testable import Popularity

/// A tiny text-only model built in code (no ../shared, no backbone weights): a 300-token BPE trained on
/// synthetic synopses, a 1-layer encoder, a TF-IDF ridge and a stacked head — enough to exercise
/// saving, loading, scoring and batch jobs end to end.
enum TinyModel {
    static let words = ["mecha", "idol", "school", "romance", "isekai", "detective", "sports", "magic", "war", "cooking",
                        "space", "vampire", "music", "slice", "of", "life", "dragon", "ninja", "robot", "ghost"]

    /// A synopsis of `count` words drawn by `generator`.
    static func synopsis(_ generator: inout SplitMix64, count: Int = 12) -> String {
        (0..<count).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
    }

    /// Synthetic titles whose target grows with the words "idol" and "isekai".
    static func corpus(_ count: Int, seed: UInt64) -> (synopses: [String], targets: [Double]) {
        var generator = SplitMix64(seed: seed)
        let synopses = (0..<count).map { _ in synopsis(&generator) }
        let targets = synopses.map { text -> Double in
            let hits = text.split(separator: " ").filter { $0 == "idol" || $0 == "isekai" }.count
            return min(1, 0.2 + 0.15 * Double(hits))
        }
        return (synopses, targets)
    }

    /// Writes the tiny model into `directory` (with its tokenizer in `directory/vocab`) and returns the bundle.
    static func write(to directory: URL) throws -> ModelBundle {
        let (synopses, targets) = corpus(200, seed: 1)
        let tokenizer = try Trainer.train(texts: synopses, settings: TrainerSettings(
            vocabularySize: 300, specialTokens: ["<|endoftext|>", "<pad>", "<mask>", "<cls>"]))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("vocab"), withIntermediateDirectories: true)
        try TokenizerJSON.save(tokenizer, path: directory.appendingPathComponent("vocab/tokenizer.json").path)
        let encoderConfiguration = TextEncoderConfiguration(vocabularySize: tokenizer.vocabularySize, contextLength: 32,
                                                            layerCount: 1, width: 16, headCount: 2)
        let encoder = try TextEncoder(configuration: encoderConfiguration, seed: 3)
        try encoder.loadWeights(encoder.weightTensors().mapValues(\.roundedToHalf), file: "(fp16)")
        let baseline = try TfidfRidge.unarchive(TfidfRidge.fit(trainDocuments: synopses, trainTargets: targets,
                                                               validationDocuments: synopses, validationTargets: targets, alphas: [1]).archived())
        let featurizer = TextFeaturizer(tokenizer: tokenizer, encoder: encoder)
        let examples = HeadExamples(text: try featurizer.vectors(synopses), image: Array(repeating: nil, count: synopses.count),
                                    baseline: baseline.predict(synopses).map(Float.init), targets: targets.map(Float.init),
                                    years: Array(repeating: 2020, count: synopses.count))
        var settings = HeadTrainingSettings()
        settings.epochs = 5
        let headConfiguration = JointHeadConfiguration(inputs: HeadInputs(textWidth: 16, imageWidth: 0, usesBaseline: true),
                                                       imageProjection: 4, hidden: 8)
        let (head, scaler, _) = HeadTrainer.train(configuration: headConfiguration, training: examples, validation: examples, settings: settings)
        let predictions = head.predict(examples.batch(Array(0..<examples.count), inputs: headConfiguration.inputs, scaler: scaler))
        var training = TrainingSettings()
        training.encoder = encoderConfiguration
        let configuration = ModelConfiguration(
            version: "test", createdAt: "2026-01-01T00:00:00Z", target: "popularity", variant: .fusedStacked, head: headConfiguration,
            scaler: scaler, calibration: HeadCalibration(scale: 0.9, offset: 0.05), encoder: encoderConfiguration, tokenizer: directory.appendingPathComponent("vocab").path,
            backbone: nil, training: training)
        let bundle = ModelBundle(configuration: configuration, encoder: encoder, head: head, baseline: baseline,
                                 percentiles: PercentileTable(scores: predictions.map { 0.9 * Double($0) + 0.05 }), card: "# tiny\n")
        try bundle.write(to: directory)
        return bundle
    }

    /// A fresh temporary folder.
    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("animepop-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
