// Support for the `batch` suite: the model it loads, the titles it picks, the backbone settings it compares.
import Dispatch
import Foundation
import Popularity
import Tensor
import Tokenizer
import Vision

/// The shipped model, loaded once: a fresh `TitleScorer` (with its own store) for every timed run.
final class BenchModel {
    let bundle: ModelBundle
    let tokenizer: Tokenizer
    let weights: [UInt8]
    let weightsDigest: String
    let stateDict: [String: CheckpointTensor]

    init(directory: String) throws {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        bundle = try ModelBundle.read(from: url)
        let candidates = [bundle.configuration.tokenizer,
                          url.appendingPathComponent("../../..").appendingPathComponent(bundle.configuration.tokenizer).path]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw BenchError("tokenizer '\(bundle.configuration.tokenizer)' of \(directory) not found")
        }
        tokenizer = try Tokenizer.load(path: path)
        guard let bytes = FileManager.default.contents(atPath: WeightsCache.efficientNetLite0.path) else {
            throw BenchError("\(WeightsCache.efficientNetLite0.path): no EfficientNet-Lite0 weights (run tools/setup.sh)")
        }
        weights = [UInt8](bytes)
        weightsDigest = SHA256.hex(bytes)
        stateDict = try TorchCheckpoint.read(bytes: weights, path: WeightsCache.efficientNetLite0.path)
    }

    /// A freshly built backbone (its own activation arena).
    func backbone() throws -> ImageBackbone { try EfficientNetLite0(stateDict: stateDict) }

    /// A featurizer with a freshly built backbone.
    func imageFeaturizer(store: Store?) throws -> ImageFeaturizer {
        try ImageFeaturizer.efficientNetLite0(stateDict: stateDict, weightsDigest: weightsDigest, store: store)
    }

    /// A scorer over `store`, as `animepop batch` builds it (the backbone loaded from the weights cache).
    func scorer(store: Store) throws -> TitleScorer {
        TitleScorer(bundle: bundle, tokenizer: tokenizer, images: try ImageFeaturizer.efficientNetLite0(store: store), store: store)
    }
}

/// Picking the benchmark's titles from a catalogue CSV.
enum BenchCatalogue {
    /// The first `count` rows with a non-blank synopsis and an image that decodes: id, title, synopsis, absolute
    /// image path, start date.
    static func titlesWithImages(_ url: URL, count: Int) throws -> [[String]] {
        var csv = try CSVReader(contentsOf: url)
        guard case let .record(header)? = try csv.next() else { throw BenchError("\(url.path): no header") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let wanted = ["id", "title", "synopsis", "image", "start_date"]
        let columns = wanted.map { names.firstIndex(of: $0) }
        guard let synopsisColumn = columns[2], let imageColumn = columns[3] else {
            throw BenchError("\(url.path): needs synopsis and image columns")
        }
        let base = url.deletingLastPathComponent()
        var rows: [[String]] = []
        while rows.count < count, let item = try csv.next() {
            guard case let .record(record) = item, record.fields.count == header.fields.count else { continue }
            let image = record.fields[imageColumn].trimmingCharacters(in: .whitespaces)
            guard !image.isEmpty, !record.fields[synopsisColumn].allSatisfy(\.isWhitespace) else { continue }
            let path = image.hasPrefix("/") ? image : base.appendingPathComponent(image).path
            guard (try? JPEGDecoder.decode(contentsOf: URL(fileURLWithPath: path), minimumSide: Preprocessor.decodingMinimumSide())) != nil
            else { continue }
            var row = columns.map { $0.map { record.fields[$0] } ?? "" }
            row[3] = path
            rows.append(row)
        }
        return rows
    }

    /// Writes rows under the header `id,title,synopsis,image,start_date`.
    static func write(_ rows: [[String]], to url: URL) throws {
        let writer = try CSVWriter(url: url)
        try writer.write(["id", "title", "synopsis", "image", "start_date"])
        for row in rows { try writer.write(row) }
        try writer.close()
    }
}

/// How the backbone alone uses the 2 cores: OpenBLAS threads per call, concurrent streams, images per call.
struct BackboneSetting {
    var threads: Int
    var streams: Int
    var batch: Int

    var label: String { "\(streams) stream\(streams > 1 ? "s" : "") × \(threads) thread\(threads > 1 ? "s" : ""), b\(batch)" }

    /// Candidate settings on this machine: every way to fill the cores with streams × threads, at batch 1, 8 and 32.
    static var candidates: [BackboneSetting] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var settings: [BackboneSetting] = []
        for batch in [1, 8, 32] {
            settings.append(BackboneSetting(threads: cores, streams: 1, batch: batch))
            if cores > 1 { settings.append(BackboneSetting(threads: 1, streams: cores, batch: batch)) }
        }
        return settings
    }

    /// The fastest candidate on `inputs` (one 224×224×3 image each), with every candidate's images/s.
    static func best(_ backbones: [ImageBackbone], inputs: [[Float]]) -> (setting: BackboneSetting, tried: [(setting: BackboneSetting, rate: Double)]) {
        var tried: [(setting: BackboneSetting, rate: Double)] = []
        for setting in candidates {
            _ = setting.time(backbones, inputs: Array(inputs.prefix(setting.batch * setting.streams)))  // warm-up
            tried.append((setting, Double(inputs.count) / setting.time(backbones, inputs: inputs).wall))
        }
        let best = tried.max { $0.rate < $1.rate } ?? (candidates[0], 0)
        return (best.setting, tried)
    }

    /// Wall and process CPU seconds to run the backbone on every input with this setting. Several streams run as
    /// `animepop batch` runs its workers (`CoreWorkers`: one thread each, the caller's nice), each with its own
    /// backbone of `backbones` (an activation arena serves one call at a time), taking the next batch as they finish.
    func time(_ backbones: [ImageBackbone], inputs: [[Float]]) -> (wall: Double, cpu: Double) {
        let saved = BLAS.threadCount
        BLAS.threadCount = threads
        defer { BLAS.threadCount = saved }
        let batches = stride(from: 0, to: inputs.count, by: batch).map { Array(inputs[$0..<min($0 + batch, inputs.count)]).flatMap { $0 } }
        let next = BatchCounter()
        let start = Date(), cpuStart = CPUClock.process()
        if streams == 1 {
            for flat in batches { _ = backbones[0].features(flat, batch: flat.count / (224 * 224 * 3), height: 224, width: 224) }
        } else {
            CoreWorkers.run(streams) { stream in
                while let index = next.take(below: batches.count) {
                    _ = backbones[stream].features(batches[index], batch: batches[index].count / (224 * 224 * 3), height: 224, width: 224)
                }
            }
        }
        return (Date().timeIntervalSince(start), CPUClock.process() - cpuStart)
    }
}

/// Hands out 0, 1, 2, … to concurrent takers.
final class BatchCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The next index, or nil once `limit` is reached.
    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
