import Foundation
import Tensor
import Testing
import Tokenizer
@testable import Popularity

@Suite("Scoring and batch jobs")
struct ScoringTests {
    static func scorer(_ directory: URL) throws -> TitleScorer {
        let bundle = try ModelBundle.read(from: directory)
        return TitleScorer(bundle: bundle, tokenizer: try Tokenizer.load(path: bundle.configuration.tokenizer), images: nil)
    }

    @Test("a saved and reloaded model gives identical predictions")
    func saveLoad() throws {
        let directory = try TinyModel.temporaryDirectory("bundle")
        let written = try TinyModel.write(to: directory)
        let tokenizer = try Tokenizer.load(path: written.configuration.tokenizer)
        let original = TitleScorer(bundle: written, tokenizer: tokenizer, images: nil)
        let reloaded = try Self.scorer(directory)
        var generator = SplitMix64(seed: 9)
        let inputs = (0..<20).map { _ in TitleInput(synopsis: TinyModel.synopsis(&generator), image: nil) }
        let nils = [[Float]?](repeating: nil, count: inputs.count)
        let before = try original.score(inputs, imageFeatures: nils), after = try reloaded.score(inputs, imageFeatures: nils)
        #expect(before.map(\.popularity) == after.map(\.popularity))
        #expect(before.map(\.percentile) == after.map(\.percentile))
        for (a, b) in zip(before, after) { #expect(abs(a.baseline - b.baseline) < 1e-5) }
        #expect(before.allSatisfy { (0...1).contains($0.popularity) && (0...100).contains($0.percentile) })
    }

    @Test("a model directory with a missing or mis-shaped file is a clear error naming it")
    func brokenModel() throws {
        let directory = try TinyModel.temporaryDirectory("broken")
        _ = try TinyModel.write(to: directory)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("head.safetensors"))
        #expect(throws: ModelFileError.self) { try ModelBundle.read(from: directory) }
        #expect(throws: (any Error).self) { try ModelBundle.read(from: directory.appendingPathComponent("nowhere")) }
    }

    @Test("text vectors are cached by synopsis hash and encoder digest, and equal the computed ones")
    func textCache() throws {
        let directory = try TinyModel.temporaryDirectory("textcache")
        let bundle = try TinyModel.write(to: directory)
        let tokenizer = try Tokenizer.load(path: bundle.configuration.tokenizer)
        let store = try Store(url: directory.appendingPathComponent("store.sqlite"))
        let cached = TextFeaturizer(tokenizer: tokenizer, encoder: bundle.encoder, cache: (store, bundle.encoderDigest))
        let plain = TextFeaturizer(tokenizer: tokenizer, encoder: bundle.encoder)
        var generator = SplitMix64(seed: 12)
        let synopses = (0..<10).map { _ in TinyModel.synopsis(&generator) }
        let first = try cached.vectors(synopses), expected = try plain.vectors(synopses)
        #expect(first == expected)
        let hashes = synopses.map { SHA256.hex(Data($0.utf8)) }
        #expect(try store.cachedTextFeatures(sha256s: hashes, encoderDigest: bundle.encoderDigest).count == Set(synopses).count)
        #expect(try store.cachedTextFeatures(sha256s: hashes, encoderDigest: "other weights").isEmpty)
        #expect(try cached.vectors(synopses.reversed()) == expected.reversed())
    }

    @Test("an empty synopsis is refused")
    func emptySynopsis() throws {
        let directory = try TinyModel.temporaryDirectory("empty")
        _ = try TinyModel.write(to: directory)
        let scorer = try Self.scorer(directory)
        #expect(throws: TitleInputError.self) { try scorer.score(TitleInput(synopsis: "  \n", image: nil)) }
    }

    @Test("batch output keeps input order and columns, and records per-row errors")
    func batchErrors() throws {
        let directory = try TinyModel.temporaryDirectory("batch")
        _ = try TinyModel.write(to: directory)
        let csv = """
            id,title,synopsis,image,start_date
            1,A,idol idol school,,2024
            2,B,"",,2024
            3,C,magic war,missing.jpg,2024
            4,D,"unbalanced,,2024
            5,E,isekai dragon,,2024,extra

            """
        let catalogue = directory.appendingPathComponent("catalogue.csv")
        try Data(csv.utf8).write(to: catalogue)
        let output = directory.appendingPathComponent("scored.csv")
        let job = BatchJob(catalogue: catalogue, output: output, scorer: try Self.scorer(directory),
                           store: try Store(url: directory.appendingPathComponent("store.sqlite")), settings: BatchSettings())
        let summary = try job.run { _, _ in }
        var reader = try CSVReader(contentsOf: output)
        var rows: [[String]] = []
        while let item = try reader.next() { if case let .record(record) = item { rows.append(record.fields) } }
        #expect(rows.first == ["id", "title", "synopsis", "image", "start_date", "popularity", "percentile", "baseline", "error"])
        let ids = rows.dropFirst().map { $0[0] }
        #expect(ids.first == "1" && ids.contains("3") && ids.contains("2"))
        let byId = Dictionary(rows.dropFirst().map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byId["1"]?[8] == "" && !(byId["1"]?[5].isEmpty ?? true))
        #expect(byId["2"]?[8].contains("empty synopsis") == true && byId["2"]?[5] == "")
        #expect(summary.rows == rows.count - 1)
        #expect(summary.rowsWithErrors >= 2)
    }

    @Test("a batch process killed mid-run and resumed has every row exactly once")
    func killAndResume() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("animepop")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "animepop is built beside the tests")
        let directory = try TinyModel.temporaryDirectory("resume")
        _ = try TinyModel.write(to: directory)
        var generator = SplitMix64(seed: 4)
        let count = 6_000
        var csv = "id,title,synopsis,image,start_date\n"
        for id in 1...count { csv += "\(id),T\(id),\(TinyModel.synopsis(&generator, count: 40)),,2024\n" }
        let catalogue = directory.appendingPathComponent("catalogue.csv"), output = directory.appendingPathComponent("scored.csv")
        let storeURL = directory.appendingPathComponent("store.sqlite")
        try Data(csv.utf8).write(to: catalogue)
        func launch(_ extra: [String]) throws -> Process {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["batch", catalogue.path, "--out", output.path, "--model", directory.path, "--store", storeURL.path,
                                 "--chunk", "20"] + extra
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        let first = try launch([])
        let store = try Store(url: storeURL)
        let job = BatchJob(catalogue: catalogue, output: output, scorer: try Self.scorer(directory), store: store, settings: BatchSettings())
        let deadline = Date().addingTimeInterval(120)
        var committed = 0
        while Date() < deadline, first.isRunning {
            committed = (try? store.finishedRows(job: job.key).count) ?? 0
            if committed >= 100 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        try #require(first.isRunning, "the first run ended before it could be killed (committed \(committed))")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let before = try store.finishedRows(job: job.key).count
        #expect(before > 0 && before < count, "killed after \(before) rows")
        #expect(!FileManager.default.fileExists(atPath: output.path))
        let second = try launch(["--resume"])
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        var reader = try CSVReader(contentsOf: output)
        var ids: [String] = []
        while let item = try reader.next() { if case let .record(record) = item { ids.append(record.fields[0]) } }
        #expect(ids.count == count + 1)
        #expect(ids.dropFirst() == ArraySlice((1...count).map(String.init)))
        #expect(try store.finishedRows(job: job.key).count == count)
    }
}
