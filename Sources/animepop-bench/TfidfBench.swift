// Suite `tfidf`: TF-IDF fit+transform on 20k documents of ~120 words and transform throughput, 2 threads,
// against scikit-learn on the same documents in the same run (tools/baseline_bench.py, when a venv exists).
//
//   animepop-bench tfidf [--data ../shared/data] [--documents 20000] [--words 120] [--threads 2]
//                        [--repeat 3] [--python /work/venv/bin/python] [--no-sklearn] [--sklearn-tokenizer regex|icu]
//                        [--max-features N|none] [--pixels ROWS]   (also time PixelRidge and TextPixelRidge on ROWS synthetic 32×32×3 images)
//
// --repeat R runs R rounds; each round measures Swift, then runs scikit-learn once on the same documents, so
// both sides sample the same noisy machine; each figure is the best of its rounds (wall and process CPU time).
// Documents: real synopses (mal-tv/*.json and mal-scrape-2023/animes.csv under --data), cut or joined to
// ~120 words, read at run time; without --data, words drawn from a Zipf(1.07) law over 50k synthetic words.
import Tensor
import Baseline
import Foundation

/// The `tfidf` suite (main-actor: registered from main.swift's top-level code).
@MainActor let tfidfSuite = Suite(name: "tfidf", summary: "TF-IDF fit+transform and transform throughput vs scikit-learn") { arguments in
    try TfidfBench.run(arguments)
}

/// The suite's body and helpers, namespaced so other suites' files cannot collide with them.
enum TfidfBench {
static func run(_ arguments: [String]) throws {
    let options = BenchOptions(arguments)
    let count = options.int("--documents", 20_000), words = options.int("--words", 120)
    let threads = options.int("--threads", 2), repeats = options.int("--repeat", 3)
    let documents: [String]
    let source: String
    if let data = options.string("--data") {
        documents = try Corpus.synopses(dataDirectory: data, count: count, words: words)
        source = "real synopses from \(data)"
    } else {
        documents = Corpus.zipf(count: count, words: words)
        source = "synthetic Zipf(1.07) words"
    }
    let totalWords = documents.reduce(0) { $0 + $1.split(separator: " ").count }
    print("documents: \(documents.count) (\(source)), mean words \(totalWords / max(1, documents.count)), threads \(threads)")

    var configuration = TfidfConfiguration()
    let maxFeatures = options.string("--max-features") ?? "200000"
    configuration.maxFeatures = Int(maxFeatures)
    // Rounds interleave Swift and scikit-learn so both see the same (noisy, shared) machine; best of rounds.
    let sklearn = options.flag("--no-sklearn") ? nil : SklearnRunner(options: options, documents: documents, maxFeatures: maxFeatures)
    defer { if let sklearn { try? FileManager.default.removeItem(at: sklearn.file) } }
    if sklearn == nil && !options.flag("--no-sklearn") { print("sklearn: skipped (no python venv or tools/baseline_bench.py; run from the repository root)") }
    var fit = Timing(), fitOnly = Timing(), transform = Timing(), serialTransform = Timing()
    var sklearnFit = Timing(), sklearnTransform = Timing()
    var vocabulary = 0, nonzeros = 0, sklearnVocabulary = 0, sklearnNonzeros = 0
    var vectorizer: TfidfVectorizer?
    for _ in 0..<repeats {
        let (fitted, matrix) = fit.measure { TfidfVectorizer.fitTransform(documents, configuration: configuration, threads: threads) }
        vocabulary = fitted.featureCount
        nonzeros = matrix.nonzeroCount
        vectorizer = fitted
        _ = fitOnly.measure { TfidfVectorizer.fit(documents, configuration: configuration, threads: threads) }
        _ = transform.measure { fitted.transform(documents, threads: threads) }
        _ = serialTransform.measure { fitted.transform(documents, threads: 1) }
        if let result = try sklearn?.run() {
            sklearnFit.keep(wall: result.fitWall, cpu: result.fitCPU)
            sklearnTransform.keep(wall: result.transformWall, cpu: result.transformCPU)
            sklearnVocabulary = result.vocabulary
            sklearnNonzeros = result.nonzeros
        }
    }
    let transformRate = Double(documents.count) / transform.wall
    print("swift   fit+transform \(format(fit.wall)) s (cpu \(format(fit.cpu)) s)   fit only \(format(fitOnly.wall)) s   "
          + "transform \(Int(transformRate)) docs/s (\(threads) threads; cpu \(format(transform.cpu)) s), "
          + "\(Int(Double(documents.count) / serialTransform.wall)) docs/s (1 thread)"
          + "   vocabulary \(vocabulary), nonzeros \(nonzeros)   (best of \(repeats))")
    if sklearnFit.wall.isFinite {
        let sklearnRate = Double(documents.count) / sklearnTransform.wall
        print("sklearn fit+transform \(format(sklearnFit.wall)) s (cpu \(format(sklearnFit.cpu)) s)   transform \(Int(sklearnRate)) docs/s "
              + "(1 thread; cpu \(format(sklearnTransform.cpu)) s)   vocabulary \(sklearnVocabulary), nonzeros \(sklearnNonzeros), "
              + "tokenizer \(options.string("--sklearn-tokenizer") ?? "regex")   (best of \(repeats), interleaved)")
        print("ratio   wall: fit+transform \(format(sklearnFit.wall / fit.wall))×, transform \(format(transformRate / sklearnRate))×   "
              + "cpu: fit+transform \(format(sklearnFit.cpu / fit.cpu))×, transform \(format(sklearnTransform.cpu / transform.cpu))×   (same run)")
    }
    if let vectorizer {
        let matrix = vectorizer.transform(documents, threads: threads)
        let targets = (0..<documents.count).map { Double($0 % 97) / 97 }
        let (ridge, ridgeSeconds) = timed { RidgeRegression.fit(matrix, targets: targets, alpha: 1, tolerance: 1e-8) }
        print("swift   ridge CG α=1 on \(matrix.rows)×\(matrix.columns): \(format(ridgeSeconds)) s, \(ridge.iterations) iterations")
    }
    if let pixelRows = Int(options.string("--pixels") ?? "") { try pixelRidges(documents: Array(documents.prefix(pixelRows))) }
}

/// Runs tools/baseline_bench.py (one fit+transform and one transform) on the bench's documents.
struct SklearnRunner {
    struct Result {
        let fitWall: Double, fitCPU: Double, transformWall: Double, transformCPU: Double
        let vocabulary: Int
        let nonzeros: Int
    }
    let python: String
    let tokenizer: String
    let file: URL
    let maxFeatures: String

    /// Nil when no Python venv or script is found; writes the documents to a temporary file once.
    init?(options: BenchOptions, documents: [String], maxFeatures: String) {
        self.maxFeatures = maxFeatures
        python = options.string("--python") ?? "/work/venv/bin/python"
        tokenizer = options.string("--sklearn-tokenizer") ?? "regex"
        guard FileManager.default.isExecutableFile(atPath: python),
              FileManager.default.fileExists(atPath: "tools/baseline_bench.py") else { return nil }
        file = FileManager.default.temporaryDirectory.appendingPathComponent("animepop-tfidf-bench-\(getpid()).txt")
        guard (try? (documents.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)) != nil else { return nil }
    }

    func run() throws -> Result? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["tools/baseline_bench.py", file.path, "--repeat", "1", "--tokenizer", tokenizer, "--max-features", maxFeatures]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any],
              let fitWall = object["fit_transform_seconds"] as? Double, let fitCPU = object["fit_transform_cpu_seconds"] as? Double,
              let transformWall = object["transform_seconds"] as? Double, let transformCPU = object["transform_cpu_seconds"] as? Double
        else { return nil }
        return Result(fitWall: fitWall, fitCPU: fitCPU, transformWall: transformWall, transformCPU: transformCPU,
                      vocabulary: object["vocabulary"] as? Int ?? 0, nonzeros: object["nonzeros"] as? Int ?? 0)
    }
}

/// Times PixelRidge and TextPixelRidge on 32×32×3 synthetic images (smooth gradients + noise), 80/20 split.
static func pixelRidges(documents: [String]) throws {
    var random = SplitMix64(seed: 11)
    let rows = documents.count, trainCount = rows * 4 / 5
    var targets: [Double] = []
    let pixels: [[Float]] = (0..<rows).map { _ in
        let base = Float(random.next() % 256) / 255, slope = Float(random.next() % 100) / 3000
        targets.append(Double(base))
        return (0..<3072).map { index in base + slope * Float(index / 96) + Float(random.next() % 64) / 1024 }
    }
    let (pixel, pixelSeconds) = try timed {
        try PixelRidge.fit(trainPixels: Array(pixels[..<trainCount]), trainTargets: Array(targets[..<trainCount]),
                           validationPixels: Array(pixels[trainCount...]), validationTargets: Array(targets[trainCount...]),
                           alphas: [10, 100, 1000, 10000])
    }
    print("swift   PixelRidge \(trainCount)×3072, 4 alphas: \(format(pixelSeconds)) s (α=\(pixel.alpha), \(pixel.ridge.iterations) iterations)")
    let (both, bothSeconds) = try timed {
        try TextPixelRidge.fit(trainDocuments: Array(documents[..<trainCount]), trainPixels: Array(pixels[..<trainCount]),
                               trainTargets: Array(targets[..<trainCount]), validationDocuments: Array(documents[trainCount...]),
                               validationPixels: Array(pixels[trainCount...]), validationTargets: Array(targets[trainCount...]),
                               alphas: [1, 10])
    }
    print("swift   TextPixelRidge \(trainCount) rows, \(both.vectorizer.featureCount)+3072 features, 2 alphas: "
          + "\(format(bothSeconds)) s (α=\(both.alpha), \(both.ridge.iterations) iterations)")
}

/// Documents for the suite.
enum Corpus {
    /// Real synopses joined/cut to `words` words each, cycling when there are fewer than `count`.
    static func synopses(dataDirectory: String, count: Int, words: Int) throws -> [String] {
        var pool: [String] = []
        let root = URL(fileURLWithPath: dataDirectory)
        let malTV = root.appendingPathComponent("mal-tv")
        for year in (try? FileManager.default.contentsOfDirectory(atPath: malTV.path))?.sorted() ?? [] {
            let folder = malTV.appendingPathComponent(year)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.sorted() ?? [] where file.hasSuffix(".json") {
                let data = try Data(contentsOf: folder.appendingPathComponent(file))
                for title in (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? [] {
                    if let synopsis = title["synopsis"] as? String, !synopsis.isEmpty { pool.append(synopsis) }
                }
            }
        }
        let csv = root.appendingPathComponent("mal-scrape-2023/animes.csv")
        if let data = try? Data(contentsOf: csv) {
            let rows = parseCSV([UInt8](data))
            if let header = rows.first, let column = header.firstIndex(of: "synopsis") {
                for row in rows.dropFirst() where row.count > column && !row[column].isEmpty { pool.append(row[column]) }
            }
        }
        guard !pool.isEmpty else { throw BenchError("no synopses found under \(dataDirectory) (mal-tv/*.json, mal-scrape-2023/animes.csv)") }
        let tokens = pool.map { $0.split(whereSeparator: \.isWhitespace) }
        return (0..<count).map { index in
            var document: [Substring] = []
            var next = index
            while document.count < words {
                document.append(contentsOf: tokens[next % tokens.count].prefix(words - document.count))
                next = next &* 7 &+ 13
            }
            return document.joined(separator: " ")
        }
    }

    /// `count` documents of `words` words drawn from Zipf(1.07) over 50k synthetic words, with some punctuation.
    static func zipf(count: Int, words: Int) -> [String] {
        var random = SplitMix64(seed: 5)
        let vocabularySize = 50_000
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let vocabulary: [String] = (0..<vocabularySize).map { _ in
            String((0..<(3 + Int(random.next() % 7))).map { _ in letters[Int(random.next() % 26)] })
        }
        var cumulative = [Double](repeating: 0, count: vocabularySize)
        var total = 0.0
        for rank in 0..<vocabularySize { total += 1 / pow(Double(rank + 1), 1.07); cumulative[rank] = total }
        return (0..<count).map { _ in
            var document = ""
            for position in 0..<words {
                let target = Double(random.next() >> 11) / Double(1 << 53) * total
                var low = 0, high = vocabularySize - 1
                while low < high { let middle = (low + high) / 2; if cumulative[middle] < target { low = middle + 1 } else { high = middle } }
                if position > 0 { document += random.next() % 12 == 0 ? ", " : " " }
                document += vocabulary[low]
            }
            return document + "."
        }
    }

    /// Minimal RFC 4180 reader (quoted fields, doubled quotes, newlines in quotes) for the bench's input only.
    static func parseCSV(_ bytes: [UInt8]) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field: [UInt8] = []
        var quoted = false, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") { field.append(byte); index += 1 } else { quoted = false }
                } else { field.append(byte) }
            } else if byte == UInt8(ascii: "\"") {
                quoted = true
            } else if byte == UInt8(ascii: ",") {
                row.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
            } else if byte == UInt8(ascii: "\n") {
                row.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
                rows.append(row); row = []
            } else if byte != UInt8(ascii: "\r") {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
        return rows
    }
}

/// Runs `body` once; returns its result and the elapsed seconds.
static func timed<Result>(_ body: () throws -> Result) rethrows -> (Result, Double) {
    let start = ContinuousClock.now
    let result = try body()
    let elapsed = start.duration(to: .now)
    return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

/// Best wall-clock and best process-CPU seconds over repeated measurements.
struct Timing {
    var wall = Double.infinity
    var cpu = Double.infinity

    /// Keeps the minimum wall and CPU times seen, from a measurement taken elsewhere.
    mutating func keep(wall: Double, cpu: Double) {
        self.wall = min(self.wall, wall)
        self.cpu = min(self.cpu, cpu)
    }

    /// Runs `body`, keeping the minimum wall and CPU times seen.
    mutating func measure<Result>(_ body: () -> Result) -> Result {
        let cpuStart = CPUClock.process()
        let (result, seconds) = timed(body)
        wall = min(wall, seconds)
        cpu = min(cpu, CPUClock.process() - cpuStart)
        return result
    }
}

/// Three significant decimals.
static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
