import Foundation

/// How `compare` splits the titles.
public enum SplitKind: String, CaseIterable, Sendable {
    /// Train < 2021, validate 2021–2022, test ≥ 2023.
    case time
    /// Seeded k-fold; every title is tested once (its fold's model), predictions pooled.
    case kfold
}

/// Settings for one comparison run.
public struct ComparisonSettings: Sendable {
    /// The target to predict.
    public var target: TargetKind = .popularity
    /// The split.
    public var split: SplitKind = .time
    /// Folds for k-fold.
    public var folds = 5
    /// Seed for folds and bootstrap.
    public var seed: UInt64 = 42
    /// Bootstrap resamples per metric.
    public var resamples = 1000
    /// Fewest training rows with the inputs a model needs before it is run (fewer: skipped).
    public var minimumTrainingRows = 30
    /// The model every other row is compared with on the same resamples (nil: no paired comparison).
    public var pairedReference: String? = "TF-IDF ridge"

    /// Defaults: popularity, time split, 1000 resamples.
    public init() {}
}

/// One model's outcome on one evaluation subset.
public struct ModelResult: Sendable {
    /// The model's name.
    public var model: String
    /// Which test rows were measured: "all" or "with cover".
    public var subset: String
    /// Why the model was not run (nil when it ran).
    public var skippedReason: String?
    /// What fitting chose, per fold.
    public var summary: String = ""
    /// Metric estimates with bootstrap CIs.
    public var estimates: [Metric: MetricEstimate] = [:]
    /// Test predictions and truths, aligned (for plots).
    public var predictions: [Double] = [], truths: [Double] = []
    /// The test titles' ids, aligned with the predictions (pairing checks two rows measured the same titles).
    public var titleIDs: [Int] = []
    /// Seconds spent fitting and predicting.
    public var seconds = 0.0
}

/// A comparison run's results.
public struct ComparisonResult: Sendable {
    /// The settings used.
    public var settings: ComparisonSettings
    /// Rows with a target, and train/validation/test counts (summed over folds for k-fold tests).
    public var rows = 0, trainRows = 0, validationRows = 0, testRows = 0
    /// Test rows with a decoded cover.
    public var testRowsWithCover = 0
    /// Posters that failed to decode.
    public var imageFailures: [String] = []
    /// Results in table order.
    public var results: [ModelResult] = []
    /// Each measured row against `settings.pairedReference` on the same titles and resamples.
    public var paired: [PairedResult] = []
}

/// Trains and measures models on the same split and rows: every model on all test rows it can read, and —
/// so image models are compared fairly — every model again on the test rows that have a cover.
public enum Comparison {
    /// Runs the comparison; `progress` receives one line per step.
    public static func run(catalogue: Catalogue, models: [any PopularityModel], settings: ComparisonSettings,
                           progress: (String) -> Void = { _ in }) -> ComparisonResult {
        var result = ComparisonResult(settings: settings)
        // Pixels once, for every title with an image.
        let imageURLs = catalogue.titles.map { catalogue.imageURL(for: $0) }
        let needsImages = models.contains { $0.inputs.contains(.image) }
        progress(needsImages ? "decoding \(imageURLs.compactMap { $0 }.count) posters" : "no model reads images")
        let decoded = needsImages ? PosterPixels.vectors(for: imageURLs)
                                  : (vectors: [[Float]?](repeating: nil, count: imageURLs.count), failures: [])
        result.imageFailures = decoded.failures

        let splits: [Split]
        switch settings.split {
        case .time: splits = [Splits.time(catalogue.titles)]
        case .kfold: splits = Splits.kFold(count: catalogue.titles.count, folds: settings.folds, seed: settings.seed)
        }
        // Per model and subset: pooled (prediction, truth); per model: fold summaries, failure, time.
        var pooled: [String: (predictions: [Double], truths: [Double], ids: [Int])] = [:]
        var summaries: [String: [String]] = [:]
        var failures: [String: String] = [:]
        var seconds: [String: Double] = [:]
        for (foldIndex, split) in splits.enumerated() {
            let targets = Targets.values(settings.target, titles: catalogue.titles, trainingRows: split.train)
            let all = ExampleSet(titles: catalogue.titles, imageURLs: imageURLs, pixels: decoded.vectors,
                                 targets: targets.map { $0 ?? .nan })
            let keep = { (rows: [Int]) in rows.filter { targets[$0] != nil } }
            let train = all.subset(keep(split.train)), validation = all.subset(keep(split.validation)), test = all.subset(keep(split.test))
            result.trainRows += train.count
            result.validationRows += validation.count
            result.testRows += test.count
            result.testRowsWithCover += test.rowsWithImage.count
            if splits.count > 1 { progress("fold \(foldIndex + 1)/\(splits.count): train \(train.count), validation \(validation.count), test \(test.count)") }
            for model in models where failures[model.name] == nil {
                let needsImage = model.inputs.contains(.image)
                let fitTrain = needsImage ? train.subset(train.rowsWithImage) : train
                let fitValidation = needsImage ? validation.subset(validation.rowsWithImage) : validation
                if let reason = missingInputs(model: model, train: fitTrain, validation: fitValidation, test: test, settings: settings) {
                    failures[model.name] = reason
                    continue
                }
                let start = Date()
                do {
                    progress("fitting \(model.name) on \(fitTrain.count) titles")
                    let predictor = try model.fit(training: fitTrain, validation: fitValidation)
                    summaries[model.name, default: []].append(predictor.summary)
                    let covered = test.subset(test.rowsWithImage)
                    if !needsImage {
                        let predictions = try predictor.predict(test)
                        pooled["\(model.name)|all", default: ([], [], [])].predictions += predictions
                        pooled["\(model.name)|all", default: ([], [], [])].truths += test.targets
                        pooled["\(model.name)|all", default: ([], [], [])].ids += test.titles.map(\.id)
                    }
                    if !covered.titles.isEmpty {
                        let predictions = try predictor.predict(covered)
                        pooled["\(model.name)|with cover", default: ([], [], [])].predictions += predictions
                        pooled["\(model.name)|with cover", default: ([], [], [])].truths += covered.targets
                        pooled["\(model.name)|with cover", default: ([], [], [])].ids += covered.titles.map(\.id)
                    }
                } catch {
                    failures[model.name] = "failed: \(error.localizedDescription)"
                }
                seconds[model.name, default: 0] += Date().timeIntervalSince(start)
            }
        }
        result.rows = catalogue.titles.count
        for subset in ["all", "with cover"] {
            for model in models {
                var entry = ModelResult(model: model.name, subset: subset)
                entry.summary = (summaries[model.name] ?? []).joined(separator: "; ")
                entry.seconds = seconds[model.name] ?? 0
                if let reason = failures[model.name] {
                    // A skipped model is listed once, under the subset it would have been measured on.
                    let home = model.inputs.contains(.image) ? "with cover" : "all"
                    guard subset == home else { continue }
                    entry.skippedReason = reason
                } else {
                    guard let data = pooled["\(model.name)|\(subset)"], !data.truths.isEmpty else { continue }
                    progress("bootstrap \(model.name) (\(subset), \(data.truths.count) titles)")
                    entry.predictions = data.predictions
                    entry.truths = data.truths
                    entry.titleIDs = data.ids
                    entry.estimates = Bootstrap.estimates(predictions: data.predictions, truths: data.truths,
                                                          resamples: settings.resamples, seed: settings.seed)
                }
                result.results.append(entry)
            }
        }
        if let reference = settings.pairedReference {
            result.paired = PairedComparison.pairs(results: result.results, reference: reference,
                                                   resamples: settings.resamples, seed: settings.seed, progress: progress)
        }
        return result
    }

    /// Why a model cannot run on these rows, or nil when it can.
    static func missingInputs(model: any PopularityModel, train: ExampleSet, validation: ExampleSet, test: ExampleSet,
                              settings: ComparisonSettings) -> String? {
        if train.count < settings.minimumTrainingRows {
            let what = model.inputs.contains(.image) ? " with a decodable cover" : ""
            return "only \(train.count) training titles\(what) (needs ≥ \(settings.minimumTrainingRows))"
        }
        if validation.count == 0 { return "no validation titles\(model.inputs.contains(.image) ? " with a cover" : "")" }
        if model.inputs.contains(.image), test.rowsWithImage.isEmpty { return "no test titles with a cover" }
        return nil
    }
}
