import ArgumentParser
import Foundation
import Popularity
import Tokenizer

/// `animepop train`: pre-train the text encoder, compute frozen features, compare every model on the time
/// split, and write the shipped model directory.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the multimodal model on the time split and write a model directory (with its comparison table).",
        discussion: """
            Steps: masked-LM pre-training of the text encoder on synopses of titles that started before 2021; \
            frozen text vectors and EfficientNet-Lite0 features (cached in the store); the TF-IDF ridge, pixel ridge and \
            joint-head ablations measured on the same split (train < 2021, validation 2021–2022, test ≥ 2023); the shipped \
            head fitted last. --quick shrinks everything to a few minutes for a smoke test.
            """
    )

    @Option(name: .long, help: "A catalogue CSV to train on.")
    var data: String?

    @Option(name: .long, help: "Import this data folder instead of reading a catalogue.")
    var from: String = "../shared/data"

    @Option(name: .long, help: "What to predict: popularity or score.")
    var target: TargetKind = .popularity

    @Option(name: .long, help: "Train and measure on titles whose counts come from this snapshot (members from different snapshots are not comparable); 'all' keeps every title. Pre-training always reads every synopsis.")
    var snapshot: String = "mal-tv-2026"

    @Option(name: .long, help: "Tokenizer directory or tokenizer.json.")
    var tokenizer: String = "vocab"

    @Option(name: .long, help: "Output model directory.")
    var out: String = "data/models/default"

    @Option(name: .long, help: "SQLite store for the image-feature cache and the runs table.")
    var store: String = "cache/animepop.sqlite"

    @Option(name: .long, help: "Pre-training time budget in minutes.")
    var pretrainMinutes: Double?

    @Flag(name: .long, help: "Train without key visuals (text and baselines only).")
    var noImages = false

    @Flag(name: .long, help: "A few-minute run: tiny encoder, short pre-training, few head epochs.")
    var quick = false

    func run() throws {
        var settings = quick ? TrainingSettings.quick : TrainingSettings()
        settings.target = target.rawValue
        if let pretrainMinutes { settings.pretraining.timeBudgetSeconds = pretrainMinutes * 60 }
        // Pre-training reads every synopsis of the catalogue; the supervised part only the chosen snapshot's titles.
        let everything = try CatalogueSource(data: data, from: from, snapshot: nil).load()
        var catalogue = everything
        if snapshot != "all" {
            catalogue.titles = everything.titles.filter { $0.snapshot == snapshot }
            guard !catalogue.titles.isEmpty else { throw ValidationError("no title has snapshot \(snapshot)") }
        }
        let tokenizer = try Tokenizer.load(path: self.tokenizer)
        let store = try Store(url: URL(fileURLWithPath: self.store))
        let images = noImages ? nil : try ImageFeaturizer.efficientNetLite0(store: store)
        let log: (String) -> Void = { FileHandle.standardError.write(Data("  \($0)\n".utf8)) }
        let outcome = try TrainingPipeline.run(catalogue: catalogue, pretrainingTitles: everything.titles, tokenizer: tokenizer, images: images, settings: settings, log: log)
        for line in ComparisonTable.lines(outcome.comparison) { print(line) }
        let bundle = ModelBundle(outcome: outcome, settings: settings, tokenizerPath: self.tokenizer,
                                 backbone: images?.backboneName, version: AnimepopVersion.string)
        try bundle.write(to: URL(fileURLWithPath: out, isDirectory: true))
        try store.record(Run(kind: "train", config: bundle.configurationJSON(), metrics: String(decoding: ComparisonJSON.data(outcome.comparison), as: UTF8.self)))
        print("wrote \(out)")
    }
}
