// The `batch` suite's stage profile: each step of scoring a title, run alone over every title, CPU ms per title.
import Foundation
import Popularity
import Tensor
import TextModel
import Vision

/// CPU time of each batch-scoring stage over the benchmark's titles, measured one stage at a time.
struct BatchStageProfile {
    /// (stage, process CPU seconds, wall seconds) in pipeline order.
    var stages: [(name: String, cpu: Double, wall: Double)] = []
    /// Titles profiled.
    var count = 0
    /// The decoded, preprocessed images (224×224×3 each), reused for the backbone-alone timing.
    var decodedInputs: [[Float]] = []
    /// Tokens per title (after truncation).
    var meanTokens = 0.0
    /// The text encoder's matrix-product FLOPs over all titles, padding included, per batch size tried.
    var textFlops: [(batch: Int, flops: Double)] = []

    /// Runs every stage once over `rows` (id, title, synopsis, absolute image path, start date) with the
    /// current OpenBLAS thread count, writing into a fresh store under `scratch`.
    static func measure(rows: [[String]], model: BenchModel, scratch: URL, textBatchSizes: [Int]) throws -> BatchStageProfile {
        var profile = BatchStageProfile(count: rows.count)
        func stage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let cpu = CPUClock.process(), start = Date()
            let result = try body()
            profile.stages.append((name, CPUClock.process() - cpu, Date().timeIntervalSince(start)))
            return result
        }
        let store = try Store(url: scratch.appendingPathComponent("profile.sqlite"))
        let featurizer = try model.imageFeaturizer(store: store)
        let digest = featurizer.weightsDigest
        let urls = rows.map { URL(fileURLWithPath: $0[3]) }
        let synopses = rows.map { $0[2] }

        let files = try stage("read image file + SHA-256") {
            try urls.map { url -> (Data, String) in
                guard let data = FileManager.default.contents(atPath: url.path) else { throw BenchError("\(url.path): unreadable") }
                return (data, SHA256.hex(data))
            }
        }
        // Cache lookups go a chunk at a time, one read each, as the job's workers look them up.
        let chunk = BatchSettings().chunkSize
        func chunks(_ hashes: [String]) -> [[String]] {
            stride(from: 0, to: hashes.count, by: chunk).map { Array(hashes[$0..<min($0 + chunk, hashes.count)]) }
        }
        _ = try stage("feature cache lookup (miss, per chunk)") {
            try chunks(files.map(\.1)).map { try store.cachedFeatures(sha256s: $0, backbone: featurizer.backboneName, weightsDigest: digest) }
        }
        let images = try stage(Self.decodeStage) {
            try zip(files, urls).map { file, url in
                try JPEGDecoder.decode(data: file.0, name: url.path, minimumSide: Preprocessor.decodingMinimumSide())
            }
        }
        profile.decodedInputs = stage("resize + crop + normalize") {
            images.map { Preprocessor.input($0, normalization: featurizer.normalization) }
        }
        let backboneBatch = BatchSettings().backboneBatch
        let features = stage("backbone (batch \(backboneBatch), as the job's workers)") {
            stride(from: 0, to: rows.count, by: backboneBatch).flatMap { start -> [[Float]] in
                let part = profile.decodedInputs[start..<min(start + backboneBatch, rows.count)]
                let output = featurizer.backbone.features(part.flatMap { $0 }, batch: part.count, height: 224, width: 224)
                let width = featurizer.backbone.featureCount
                return (0..<part.count).map { Array(output[$0 * width..<($0 + 1) * width]) }
            }
        }
        let encoder = model.bundle.encoder
        let savedThreading = encoder.threading
        encoder.threading = .serial  // as in a batch job's workers: one thread
        defer { encoder.threading = savedThreading }
        let limit = encoder.configuration.contextLength
        let sequences = stage("tokenizer (1 thread)") {
            model.tokenizer.encodeBatch(synopses, threads: 1).map { $0.prefix(limit).map { Int32(truncatingIfNeeded: $0) } }
        }
        profile.meanTokens = Double(sequences.reduce(0) { $0 + $1.count }) / Double(max(1, sequences.count))
        let textDigest = model.bundle.encoderDigest
        let hashes = synopses.map { SHA256.hex(Data($0.utf8)) }
        _ = try stage("text cache lookup (miss, per chunk)") {
            try chunks(hashes).map { try store.cachedTextFeatures(sha256s: $0, encoderDigest: textDigest) }
        }
        // As a batch job runs it: each chunk of 32 titles (catalogue order) sorted by length, in batches of B.
        var vectors: [[Float]] = []
        for batch in textBatchSizes {
            var flops = 0.0
            vectors = try stage("text encoder (chunks of 32, batches of \(batch) by length)") {
                try Self.encode(sequences, encoder: encoder, chunk: 32, batch: batch, flops: &flops)
            }
            profile.textFlops.append((batch, flops))
        }
        let baseline = stage("TF-IDF ridge") { model.bundle.baseline.predict(synopses) }
        let configuration = model.bundle.configuration
        _ = stage("joint head + calibration + percentile") {
            stride(from: 0, to: rows.count, by: 32).flatMap { start -> [Double] in
                let indices = Array(start..<min(start + 32, rows.count))
                let examples = HeadExamples(text: indices.map { vectors[$0] }, image: indices.map { features[$0] },
                                            baseline: indices.map { Float(baseline[$0]) },
                                            targets: Array(repeating: 0, count: indices.count), years: Array(repeating: 0, count: indices.count))
                let batch = examples.batch(Array(0..<indices.count), inputs: configuration.head.inputs, scaler: configuration.scaler,
                                           imputeMissing: configuration.training.head.imputeMissingImages)
                return model.bundle.head.predict(batch).map {
                    model.bundle.percentiles.percentile(of: configuration.calibration.apply(Double($0)))
                }
            }
        }
        try stage("SQLite: cache features, text vectors, journal (per 32)") {
            for start in stride(from: 0, to: rows.count, by: 32) {
                let range = start..<min(start + 32, rows.count)
                try store.cacheFeatures(range.map { (files[$0].1, features[$0]) }, backbone: "efficientnet-lite0", weightsDigest: digest)
                try store.cacheTextFeatures(range.map { (hashes[$0], vectors[$0]) }, encoderDigest: textDigest)
                try store.commit(range.map { BatchScore(job: "profile", row: $0, titleId: rows[$0][0], popularity: 0.5,
                                                        percentile: 50, baseline: baseline[$0], error: nil) })
            }
        }
        return profile
    }

    /// Text vectors computed as `TextFeaturizer` does for each chunk of `chunk` sequences: sorted by length,
    /// `batch` at a time, each batch padded to its longest; adds the matrix-product FLOPs to `flops`.
    static func encode(_ sequences: [[Int32]], encoder: TextEncoder, chunk: Int, batch: Int, flops: inout Double) throws -> [[Float]] {
        var vectors = [[Float]](repeating: [], count: sequences.count)
        let c = Double(encoder.configuration.width), layers = Double(encoder.configuration.layerCount)
        for chunkStart in stride(from: 0, to: sequences.count, by: chunk) {
            let order = (chunkStart..<min(chunkStart + chunk, sequences.count)).sorted { sequences[$0].count < sequences[$1].count }
            for start in stride(from: 0, to: order.count, by: batch) {
                let indices = Array(order[start..<min(start + batch, order.count)])
                let b = Double(indices.count), t = Double(indices.map { sequences[$0].count }.max() ?? 0)
                // Per layer: linears 2·N·(3C² + C² + 2·4C²) = 24·N·C² with N = B·T; attention 2·2·B·T²·C.
                flops += layers * (24 * b * t * c * c + 4 * b * t * t * c)
                for (index, vector) in zip(indices, try encoder.encode(batch: indices.map { sequences[$0] })) { vectors[index] = vector }
            }
        }
        return vectors
    }

    /// The stage that runs libjpeg-turbo alone.
    static let decodeStage = "JPEG decode (libjpeg-turbo)"

    /// Prints the table: stage, CPU ms per title, share of all stages, and the non-backbone share of the backbone;
    /// then the overhead's lower bound on this machine: the JPEG decode alone plus the text encoder's matrix
    /// products (batches of one) at `fmaPeak` GFLOP/s, one core's FMA peak.
    func print(fmaPeak: Double) {

        let backbone = stages.first { $0.name.hasPrefix("backbone") }?.cpu ?? 0
        // Only the last text-encoder row is the one the job uses; the others are alternatives, left out of the total.
        let textRows = stages.filter { $0.name.hasPrefix("text encoder") }
        let counted = stages.filter { !$0.name.hasPrefix("text encoder") || $0.name == textRows.last?.name }
        let total = counted.reduce(0) { $0 + $1.cpu }
        Swift.print("stage profile, one stage at a time over \(count) titles, OpenBLAS \(BLAS.threadCount) thread(s):")
        Swift.print("  stage                                                  CPU ms/title   share    wall s")
        for stage in stages {
            Swift.print("  " + stage.name.padding(toLength: 54, withPad: " ", startingAt: 0)
                        + String(format: " %9.2f   %5.1f%%  %7.2f", stage.cpu / Double(count) * 1000, stage.cpu / total * 100, stage.wall))
        }
        Swift.print(String(format: "  all stages %.2f ms/title; everything but the backbone = %.1f%% of the backbone's CPU "
                           + "(the floor of the overhead when both cores are busy)",
                           total / Double(count) * 1000, (total - backbone) / backbone * 100))
        if let decode = stages.first(where: { $0.name == Self.decodeStage }), let single = textFlops.first(where: { $0.batch == 1 }),
           backbone > 0, fmaPeak > 0 {
            let perTitle = Double(count), decodeMs = decode.cpu / perTitle * 1000, backboneMs = backbone / perTitle * 1000
            let textMs = single.flops / perTitle / (fmaPeak * 1e9) * 1000
            Swift.print(String(format: "  lower bound of the overhead here: JPEG decode alone %.2f ms + the text encoder's %.0f MFLOP at one core's "
                               + "FMA peak (%.0f GFLOP/s) %.2f ms = %.2f ms/title = %.1f%% of the backbone's %.2f ms (everything else free)",
                               decodeMs, single.flops / perTitle / 1e6, fmaPeak, textMs, decodeMs + textMs,
                               (decodeMs + textMs) / backboneMs * 100, backboneMs))
        }
        for (row, work) in zip(textRows, textFlops) {
            Swift.print(String(format: "  text encoder, batches of %d: %.0f tokens/title on average, %.0f MFLOP/title in its matrix products "
                               + "(padding included) = %.1f GFLOP/s on one thread", work.batch, meanTokens, work.flops / Double(count) / 1e6,
                               work.flops / row.cpu / 1e9))
        }
    }
}
