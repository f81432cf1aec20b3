import ArgumentParser
import Foundation
import Popularity

/// `animepop batch`: score every title of a catalogue CSV, resumably.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a catalogue CSV (id,title,synopsis,image,start_date); resumable after a crash.",
        discussion: """
            Writes the input columns plus popularity,percentile,baseline,error, in input order. `image` is a JPEG path \
            relative to the CSV (optional per row). A missing or broken image is recorded in `error` and the title is \
            scored from its synopsis; an empty synopsis or a malformed row gets no score, only its `error`. \
            Finished rows are committed to the store every chunk: after a crash or kill, run the same command with \
            --resume to finish without rescoring or losing a row.
            """
    )

    @Argument(help: "The catalogue CSV.")
    var catalogue: String

    @Option(name: .long, help: "Where to write the scored file.")
    var out: String

    @Option(name: .long, help: "Model directory written by `animepop train`.")
    var model: String = "data/models/default"

    @Option(name: .long, help: "SQLite store holding the job journal and the image and text feature caches.")
    var store: String = "cache/animepop.sqlite"

    @Option(name: .long, help: "Rows scored and committed together.")
    var chunk: Int = 32

    @Option(name: .long, help: "Worker threads, each scoring whole chunks on one core with its own copy of the text encoder and its own backbone activations (default: one per core).")
    var workers: Int?

    @Flag(name: .long, help: "Write a JSON array instead of CSV.")
    var json = false

    @Flag(name: .long, help: "Continue the previous run of this catalogue → output instead of starting over.")
    var resume = false

    func validate() throws {
        if chunk < 1 { throw ValidationError("--chunk must be at least 1") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if !FileManager.default.fileExists(atPath: catalogue) { throw ValidationError("\(catalogue): no such file") }
    }

    func run() throws {
        let scorer = try ModelLoading.scorer(modelDirectory: model, needsImages: true, store: try Store(url: URL(fileURLWithPath: store)))
        var settings = BatchSettings()
        settings.chunkSize = chunk
        if let workers { settings.workers = workers }
        settings.resume = resume
        settings.json = json
        let job = BatchJob(catalogue: URL(fileURLWithPath: catalogue), output: URL(fileURLWithPath: out), scorer: scorer,
                           store: try Store(url: URL(fileURLWithPath: store)), settings: settings)
        var bar: ProgressBar?
        let summary = try job.run { done, total in
            if bar == nil { bar = ProgressBar(label: "scoring", total: total, alreadyDone: done) }
            bar?.set(done)
        }
        bar?.finish()
        print("\(summary.rows) rows, \(summary.scoredNow) scored in this run, \(summary.rowsWithErrors) with an error → \(out)")
    }
}
