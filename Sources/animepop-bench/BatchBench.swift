// Suite `batch`: cold batch scoring of titles with a key visual against the backbone alone, in one run.
//
// `animepop-bench batch --catalogue CSV [--titles N] [--model DIR] [--repeat R] [--text-batches 32,1]` takes the
// first N (default 500) rows of CSV with a synopsis and a decodable image, writes them to a catalogue of their own, then
//   1. profiles each stage of scoring on one thread (OpenBLAS at 1 thread), CPU ms per title: read + SHA-256,
//      feature-cache lookup, decode + preprocess, backbone (at the job's batch size), tokenizer, text encoder (as a batch job's workers run
//      it: chunks of 32, sorted by length, in batches of each size of --text-batches; the last is the job's), TF-IDF
//      ridge, joint head, SQLite writes. The non-backbone share of that CPU is the floor of the overhead;
//   2. finds the backbone's best setting on 2 cores on 64 of the images (one stream with OpenBLAS on 2 threads, or one
//      single-threaded stream per core as `animepop batch` runs its workers; batch 1, 8 or 32);
//   3. R times (default 3), alternating: the backbone alone at that setting on the N decoded images (decoding not
//      timed), then `BatchJob` cold on a fresh store (decoding, backbone, text encoder, TF-IDF, head, SQLite journal
//      and caches, output file) and warm on the same store (must write the same file);
// and prints titles/s, the overhead of the cold batch over the backbone alone (wall-time ratio of each round, and the
// CPU-time ratio), the median over rounds, and the cold job's own CPU per stage (thread clocks of its workers).
import Dispatch
import Foundation
import Popularity
import Tensor
import Tokenizer
import Vision

/// The `batch` suite.
var batchSuite: Suite {
    Suite(name: "batch", summary: "cold batch scoring vs the backbone alone, stage profile, warm rescoring (--catalogue CSV)",
          run: runBatchBench)
}

func runBatchBench(_ arguments: [String]) throws {
    let options = BenchOptions(arguments)
    func option(_ name: String) -> String? { options.string(name) }
    guard let cataloguePath = option("--catalogue") else {
        // Skipped rather than failed, so that `animepop-bench all` runs the other suites.
        print("skipped: needs --catalogue CSV (columns id,title,synopsis,image,start_date; e.g. `animepop data import "
              + "--from ../shared/data --out catalogue.csv`) and the EfficientNet-Lite0 weights (tools/setup.sh)")
        return
    }
    let titleCount = try options.positive("--titles", 500)
    let repeats = try options.positive("--repeat", 3)
    let modelDirectory = option("--model") ?? "data/models/default"
    let savedThreads = BLAS.threadCount

    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("animepop-batch-bench-\(getpid())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }

    // The titles: first N rows whose image decodes, written to a catalogue of their own (absolute image paths).
    guard FileManager.default.fileExists(atPath: cataloguePath) else { throw BenchError("\(cataloguePath): no such file") }
    let rows = try BenchCatalogue.titlesWithImages(URL(fileURLWithPath: cataloguePath), count: titleCount)
    guard rows.count >= 8 else { throw BenchError("\(cataloguePath): only \(rows.count) rows with a decodable image") }
    let subset = scratch.appendingPathComponent("titles.csv")
    try BenchCatalogue.write(rows, to: subset)
    let loader = try BenchModel(directory: modelDirectory)
    print("\(rows.count) titles with a key visual from \(cataloguePath); model \(modelDirectory); OpenBLAS \(BLAS.coreName); "
          + "\(ProcessInfo.processInfo.activeProcessorCount) cores; load average \(loadAverage())")

    // 1. Stage profile (one thread).
    BLAS.threadCount = 1
    let textBatches = (option("--text-batches") ?? "32,1").split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
    let profile = try BatchStageProfile.measure(rows: rows, model: loader, scratch: scratch,
                                                textBatchSizes: textBatches.isEmpty ? [32] : textBatches)
    profile.print(fmaPeak: GEMMBench.fmaPeak(threads: 1, seconds: 0.25))

    // 2. The backbone's best setting on a sample, then 3. alternate backbone-alone and batch runs.
    let first = try loader.backbone()
    let backbones = [first] + (1..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map { _ in first.replica() }
    let inputs = profile.decodedInputs
    let best = BackboneSetting.best(backbones, inputs: Array(inputs.prefix(64)))
    print("backbone settings on 64 images (images/s): "
          + best.tried.map { String(format: "%@ %.1f", $0.setting.label, $0.rate) }.joined(separator: ", ")
          + " → best: \(best.setting.label)")
    var wallRatios: [Double] = [], cpuRatios: [Double] = []
    var lastCold: BatchStageTimes?
    let count = Double(rows.count)
    for round in 1...repeats {
        let alone = best.setting.time(backbones, inputs: inputs)
        let storeURL = scratch.appendingPathComponent("store-\(round).sqlite")
        BLAS.threadCount = savedThreads
        let coldOutput = scratch.appendingPathComponent("cold-\(round).csv"), warmOutput = scratch.appendingPathComponent("warm-\(round).csv")
        let cold = try timeBatch(catalogue: subset, output: coldOutput, storeURL: storeURL, model: loader)
        let warm = try timeBatch(catalogue: subset, output: warmOutput, storeURL: storeURL, model: loader)
        guard cold.scored == rows.count, warm.scored == rows.count else {
            throw BenchError("batch scored \(cold.scored)/\(warm.scored) of \(rows.count) rows")
        }
        guard cold.workers > 1 || ProcessInfo.processInfo.activeProcessorCount == 1 else {
            throw BenchError("the batch job ran on one worker (its scorer could not be replicated)")
        }
        guard try Data(contentsOf: coldOutput) == Data(contentsOf: warmOutput) else {
            throw BenchError("warm rescoring wrote a different file than the cold run")
        }
        lastCold = cold.stages
        wallRatios.append(cold.wall / alone.wall - 1)
        cpuRatios.append(cold.cpu / alone.cpu - 1)
        print(String(format: "round %d: backbone alone %.2f s wall (%.2f s CPU) = %.1f images/s | cold batch %.2f s wall (%.2f s CPU) "
                     + "= %.1f titles/s | overhead %+.1f%% wall, %+.1f%% CPU | warm rescoring %.2f s = %.0f titles/s | load %@",
                     round, alone.wall, alone.cpu, count / alone.wall, cold.wall, cold.cpu, count / cold.wall,
                     wallRatios[round - 1] * 100, cpuRatios[round - 1] * 100, warm.wall, count / warm.wall, loadAverage()))
    }
    if let stages = lastCold {
        let backbone = stages.backbone
        print("cold batch of the last round, CPU per stage inside the job (thread clocks of its workers):")
        for stage in stages.stages {
            print("  " + stage.name.padding(toLength: 56, withPad: " ", startingAt: 0)
                  + String(format: " %7.2f ms/title  %6.1f%% of the backbone", stage.seconds / count * 1000, stage.seconds / backbone * 100))
        }
    }
    print(String(format: "overhead of cold batch scoring over the backbone alone (%@): median %+.1f%% wall, %+.1f%% CPU over %d rounds "
                 + "(target ≤ 10%%)", best.setting.label, medianOf(wallRatios) * 100, medianOf(cpuRatios) * 100, repeats))
    BLAS.threadCount = savedThreads
}

/// The median of a non-empty list (mean of the middle two for an even count).
func medianOf(_ values: [Double]) -> Double {
    let sorted = values.sorted(), middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// One timed `BatchJob` run: wall and process CPU seconds, rows scored.
func timeBatch(catalogue: URL, output: URL, storeURL: URL, model: BenchModel)
    throws -> (wall: Double, cpu: Double, scored: Int, stages: BatchStageTimes, workers: Int) {
    let store = try Store(url: storeURL)
    let scorer = try model.scorer(store: store)
    let job = BatchJob(catalogue: catalogue, output: output, scorer: scorer, store: store, settings: BatchSettings())
    let cpuStart = CPUClock.process(), start = Date()
    let summary = try job.run { _, _ in }
    return (Date().timeIntervalSince(start), CPUClock.process() - cpuStart, summary.scoredNow - summary.rowsWithErrors,
            summary.stageTimes, summary.workers)
}

/// The 1-minute load average, as text.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).map { String($0.split(separator: " ").first ?? "?") } ?? "?"
}

