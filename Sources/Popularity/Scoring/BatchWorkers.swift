import Dispatch
import Foundation
import Tensor

/// The chunks of a batch job, handed out to workers one at a time in catalogue order (thread-safe).
final class BatchChunkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var reader: BatchJob.RowReader
    private let finished: [Int: BatchScore]
    private let chunkSize: Int
    private var exhausted = false

    /// Rows of `reader` not in `finished`, `chunkSize` at a time.
    init(reader: BatchJob.RowReader, finished: [Int: BatchScore], chunkSize: Int) {
        self.reader = reader
        self.finished = finished
        self.chunkSize = max(1, chunkSize)
    }

    /// The next chunk (empty when the catalogue is done); after an error, every later call returns empty.
    func next() throws -> [BatchJob.Row] {
        lock.lock()
        defer { lock.unlock() }
        guard !exhausted else { return [] }
        var chunk: [BatchJob.Row] = []
        do {
            while chunk.count < chunkSize, let row = try reader.next() {
                if finished[row.index] == nil { chunk.append(row) }
            }
        } catch {
            exhausted = true
            throw error
        }
        if chunk.isEmpty { exhausted = true }
        return chunk
    }

    /// Stops handing out chunks (another worker failed).
    func stop() {
        lock.lock()
        exhausted = true
        lock.unlock()
    }
}

/// Progress and the first failure, shared by a job's workers (thread-safe).
final class BatchProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let report: (Int, Int) -> Void
    private let total: Int
    private(set) var done: Int
    private(set) var scoredNow = 0
    private var firstFailure: Error?

    /// The first error a worker reported, if any.
    var failure: Error? {
        lock.lock()
        defer { lock.unlock() }
        return firstFailure
    }

    /// Starts at `done` of `total` rows; `report` is called under the lock (one call at a time) after each chunk.
    init(done: Int, total: Int, report: @escaping (Int, Int) -> Void) {
        self.done = done
        self.total = total
        self.report = report
    }

    /// Stage times of the workers that have finished.
    private(set) var times = BatchStageTimes()

    /// Counts a committed chunk and reports it (the report's time counts as `progress` in `times`).
    func committed(_ rows: Int, times: inout BatchStageTimes) {
        lock.lock()
        defer { lock.unlock() }
        done += rows
        scoredNow += rows
        times.measure(\.progress) { report(done, total) }
    }

    /// Adds a finished worker's stage times.
    func add(_ workerTimes: BatchStageTimes) {
        lock.lock()
        times.add(workerTimes)
        lock.unlock()
    }

    /// Keeps the first error.
    func fail(_ error: Error) {
        lock.lock()
        if firstFailure == nil { firstFailure = error }
        lock.unlock()
    }
}

/// Runs one worker thread per core for work that is single-threaded inside.
public enum CoreWorkers {
    /// Runs `work(worker)` for workers 0..<count at once, worker 0 on the calling thread and the others on threads
    /// of their own (which inherit its nice), with OpenBLAS at one thread; returns when all are done.
    ///
    /// The work must not split itself further (`TitleScorer.singleThreadedReplica`): with one OpenBLAS thread the
    /// GEMMs run on the calling thread (OpenBLAS is thread-safe for concurrent single-threaded calls) and the vision
    /// engine's loops stay on it. Plain threads rather than libdispatch's pool: a `concurrentPerform` from a thread
    /// of a busy pool can wait for a pool thread to start, and pool threads run at nice 0 whatever the process's nice.
    public static func run(_ count: Int, _ work: @escaping (Int) -> Void) {
        guard count > 1 else { work(0); return }
        BLAS.withOneThread {
            let finished = DispatchGroup()
            let shared = UncheckedWork(work)
            for worker in 1..<count {
                finished.enter()
                let thread = Thread {
                    shared.work(worker)
                    finished.leave()
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
            work(0)
            finished.wait()
        }
    }
}

/// Carries a worker body to other threads; `CoreWorkers.run` waits for them before returning.
private final class UncheckedWork: @unchecked Sendable {
    let work: (Int) -> Void
    init(_ work: @escaping (Int) -> Void) { self.work = work }
}

/// CPU seconds spent in each stage of a batch job, summed over its workers (each worker runs single-threaded,
/// so its thread's CPU clock sees all of its work).
public struct BatchStageTimes: Sendable {
    /// Building a worker's copy of the text encoder and replica of the backbone.
    public var setup = 0.0
    /// Reading and parsing catalogue rows.
    public var reading = 0.0
    /// Key visuals: file read, SHA-256, feature-cache lookup, JPEG decode, preprocessing.
    public var images = 0.0
    /// The backbone on the chunk's decoded images, and caching the new vectors.
    public var backbone = 0.0
    /// Tokenizer, text encoder (and its cache), TF-IDF ridge, joint head, calibration, percentiles.
    public var synopses = 0.0
    /// Committing the chunk to the SQLite journal.
    public var journal = 0.0
    /// The progress callback.
    public var progress = 0.0
    /// Writing the output file from the journal (after the workers).
    public var output = 0.0

    /// No time yet.
    public init() {}

    /// Runs `body` and adds this thread's CPU time to `stage`.
    mutating func measure<Result>(_ stage: WritableKeyPath<BatchStageTimes, Double>, _ body: () throws -> Result) rethrows -> Result {
        let start = CPUClock.thread()
        defer { self[keyPath: stage] += CPUClock.thread() - start }
        return try body()
    }

    /// Adds another worker's times.
    mutating func add(_ other: BatchStageTimes) {
        setup += other.setup
        reading += other.reading
        images += other.images
        backbone += other.backbone
        synopses += other.synopses
        journal += other.journal
        progress += other.progress
        output += other.output
    }

    /// (stage, CPU seconds) in pipeline order.
    public var stages: [(name: String, seconds: Double)] {
        [("worker setup: text encoder copies, backbone replicas", setup), ("catalogue rows", reading), ("images: read, SHA-256, cache lookup, decode, preprocess", images),
         ("backbone + feature cache write", backbone), ("synopses: tokenizer, text encoder, TF-IDF, head", synopses),
         ("journal commit", journal), ("progress", progress), ("output file", output)]
    }
}
