import Foundation
import Tensor
import Testing
import Tokenizer
@testable import Popularity

@Suite("Batch jobs on several workers")
struct BatchWorkersTests {
    /// A catalogue of `count` titles (every 7th with an empty synopsis, every 11th naming a missing image).
    static func catalogue(in directory: URL, count: Int) throws -> URL {
        var generator = SplitMix64(seed: 21)
        var csv = "id,title,synopsis,image,start_date\n"
        for id in 1...count {
            let synopsis = id % 7 == 0 ? "" : TinyModel.synopsis(&generator, count: 30)
            csv += "\(id),T\(id),\(synopsis),\(id % 11 == 0 ? "missing-\(id).jpg" : ""),2024\n"
        }
        let url = directory.appendingPathComponent("catalogue.csv")
        try Data(csv.utf8).write(to: url)
        return url
    }

    @Test("two workers write the same file as one, every row once, in input order")
    func workersAgree() throws {
        let directory = try TinyModel.temporaryDirectory("workers")
        let bundle = try TinyModel.write(to: directory)
        let tokenizer = try Tokenizer.load(path: bundle.configuration.tokenizer)
        let catalogue = try Self.catalogue(in: directory, count: 203)
        func run(workers: Int) throws -> (Data, BatchSummary) {
            let store = try Store(url: directory.appendingPathComponent("store-\(workers).sqlite"))
            var settings = BatchSettings()
            settings.workers = workers
            settings.chunkSize = 10
            let output = directory.appendingPathComponent("scored-\(workers).csv")
            let job = BatchJob(catalogue: catalogue, output: output, scorer: TitleScorer(bundle: bundle, tokenizer: tokenizer, images: nil, store: store),
                               store: store, settings: settings)
            var reports: [Int] = []
            let summary = try job.run { done, _ in reports.append(done) }
            #expect(reports == reports.sorted(), "progress never goes back")
            #expect(reports.last == 203)
            return (try Data(contentsOf: output), summary)
        }
        // The count outside one-thread scopes: other tests running at the same time open such scopes too.
        let threadsBefore = BLAS.configuredThreadCount
        let (one, oneSummary) = try run(workers: 1)
        let (two, twoSummary) = try run(workers: 2)
        #expect(oneSummary.workers == 1 && twoSummary.workers == 2)
        #expect(BLAS.configuredThreadCount == threadsBefore, "the job gives OpenBLAS its thread count back")
        #expect(one == two)
        var reader = try CSVReader(contentsOf: directory.appendingPathComponent("scored-2.csv"))
        var ids: [String] = []
        while let item = try reader.next() { if case let .record(record) = item { ids.append(record.fields[0]) } }
        #expect(ids.dropFirst() == ArraySlice((1...203).map(String.init)))
        #expect(twoSummary.rowsWithErrors == oneSummary.rowsWithErrors && twoSummary.rowsWithErrors > 0)
        #expect(twoSummary.stageTimes.synopses > 0)
    }

    @Test("CoreWorkers runs every worker at once and returns after all")
    func coreWorkers() {
        let lock = NSLock()
        var started = 0, finished = [Bool](repeating: false, count: 3)
        CoreWorkers.run(3) { worker in
            lock.lock()
            started += 1
            lock.unlock()
            // Each worker waits (up to 5 s) until all have started: they cannot run one after another.
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                lock.lock()
                let all = started == 3
                lock.unlock()
                if all { break }
                Thread.sleep(forTimeInterval: 0.001)
            }
            lock.lock()
            finished[worker] = started == 3
            lock.unlock()
        }
        #expect(finished == [true, true, true])
    }
}
