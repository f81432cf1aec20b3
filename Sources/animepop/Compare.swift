import ArgumentParser
import Foundation
import Popularity

extension TargetKind: ExpressibleByArgument {}
extension SplitKind: ExpressibleByArgument {}

/// `animepop compare`: every available model on the same split → table, compare.json, report.html.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train and measure every available model on the same split; print a table with 95% CIs and each model's paired difference from the TF-IDF ridge, write compare.json and report.html."
    )

    @Option(name: .long, help: "A catalogue CSV (id,title,synopsis,image,start_date,members[,score,favorites,snapshot]).")
    var data: String?

    @Option(name: .long, help: "Import this data folder instead of reading a catalogue (e.g. ../shared/data).")
    var from: String?

    @Option(name: .long, help: "What to predict: popularity (within-year percentile of log(1+members)), score, or favorites (per member).")
    var target: TargetKind = .popularity

    @Option(name: .long, help: "time (train < 2021, validation 2021–2022, test ≥ 2023) or kfold.")
    var split: SplitKind = .time

    @Option(name: .long, help: "Folds for --split kfold.")
    var folds: Int = 5

    @Option(name: .long, help: "Seed for folds and bootstrap resamples.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "Bootstrap resamples for the 95% intervals.")
    var resamples: Int = 1000

    @Option(name: .long, help: "Keep only titles whose counts come from this snapshot (e.g. mal-tv-2026).")
    var snapshot: String?

    @Option(name: .long, help: "Also measure the joint-head ablations (text, image, fused, fused + TF-IDF stack) on this trained model's frozen text encoder and the EfficientNet-Lite0 backbone.")
    var model: String?

    @Option(name: .long, help: "SQLite store for the image-feature cache (with --model).")
    var store: String = "cache/animepop.sqlite"

    @Option(name: .long, help: "Folder for compare.json and report.html (created if missing).")
    var out: String = "compare-out"

    func validate() throws {
        if data != nil && from != nil { throw ValidationError("give either --data or --from, not both") }
        if folds < 2 { throw ValidationError("--folds must be at least 2") }
        if resamples < 1 { throw ValidationError("--resamples must be at least 1") }
    }

    func run() throws {
        let catalogue = try CatalogueSource(data: data, from: from, snapshot: snapshot).load()
        let snapshots = Set(catalogue.titles.map { $0.snapshot ?? "" })
        if snapshots.count > 1, split == .time {
            // Cohort percentiles are comparable only within one snapshot and a stable mix of titles; say when the
            // test years are made of different titles than the training years.
            let timeSplit = Splits.time(catalogue.titles)
            func share(_ rows: [Int]) -> String {
                let counts = Dictionary(grouping: rows) { catalogue.titles[$0].snapshot ?? "(none)" }.mapValues(\.count)
                return counts.keys.sorted().map { "\($0) \(Int((100 * Double(counts[$0] ?? 0) / Double(max(1, rows.count))).rounded()))%" }
                    .joined(separator: ", ")
            }
            print("note: \(snapshots.count) snapshots mixed; train is \(share(timeSplit.train)), test is \(share(timeSplit.test)) (--snapshot keeps one)")
        }
        var settings = ComparisonSettings()
        settings.target = target
        settings.split = split
        settings.folds = folds
        settings.seed = seed
        settings.resamples = resamples
        let log: (String) -> Void = { FileHandle.standardError.write(Data("  \($0)\n".utf8)) }
        var models = StandardModels.all
        if let model {
            let scorer = try ModelLoading.scorer(modelDirectory: model, needsImages: true, store: try Store(url: URL(fileURLWithPath: store)))
            let features = try NeuralFeatures.compute(catalogue: catalogue, text: TextFeaturizer(tokenizer: scorer.tokenizer, encoder: scorer.bundle.encoder),
                                                      images: scorer.images, log: log)
            models += StandardModels.heads(features: features, settings: scorer.bundle.configuration.training.head)
        }
        let result = Comparison.run(catalogue: catalogue, models: models, settings: settings, progress: log)
        print("target \(target.rawValue), split \(split.rawValue): train \(result.trainRows), validation \(result.validationRows), test \(result.testRows) (\(result.testRowsWithCover) with a cover)")
        if !result.imageFailures.isEmpty { print("\(result.imageFailures.count) posters failed to decode, first: \(result.imageFailures[0])") }
        for line in ComparisonTable.lines(result) { print(line) }
        let pairedLines = PairedTable.lines(result)
        if !pairedLines.isEmpty { print("") }
        for line in pairedLines { print(line) }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try ComparisonJSON.data(result).write(to: folder.appendingPathComponent("compare.json"))
        try Data(ComparisonHTML.page(result).utf8).write(to: folder.appendingPathComponent("report.html"))
        print("wrote \(out)/compare.json and \(out)/report.html")
    }
}
