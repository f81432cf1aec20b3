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
    private(set) var failure: Error?

    /// Starts at `done` of `total` rows; `report` is called under the lock (one call at a time) after each chunk.
    init(done: Int, total: Int, report: @escaping (Int, Int) -> Void) {
        self.done = done
        self.total = total
        self.report = report
    }

    /// Counts a committed chunk and reports it.
    func committed(_ rows: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += rows
        scoredNow += rows
        report(done, total)
    }

    /// Keeps the first error.
    func fail(_ error: Error) {
        lock.lock()
        if failure == nil { failure = error }
        lock.unlock()
    }
}

extension BatchJob {
    /// Runs `work(worker)` on `workers` threads at once with OpenBLAS at one thread, and returns when all are done.
    ///
    /// Each worker runs the whole pipeline (decode, backbone, text encoder, head) single-threaded on its own
    /// chunks: the cores stay busy without oversubscription. Inside `concurrentPerform`, the engines' own
    /// parallel loops (`concurrentPerform` again) run inline on the worker's thread, and with one OpenBLAS
    /// thread the GEMMs run on the calling thread (OpenBLAS is thread-safe for concurrent single-threaded calls).
    static func onWorkers(_ workers: Int, _ work: (Int) -> Void) {
        guard workers > 1 else { work(0); return }
        let savedThreads = BLAS.threadCount
        BLAS.threadCount = 1
        defer { BLAS.threadCount = savedThreads }
        withoutActuallyEscaping(work) { work in
            nonisolated(unsafe) let body = work
            DispatchQueue.concurrentPerform(iterations: workers) { body($0) }
        }
    }
}
