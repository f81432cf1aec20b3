import Dispatch
import Foundation
import Synchronization

/// Helper threads for the engine's parallel regions, which are short (a ResNet-50 layer at batch 1 takes
/// 0.1–1 ms): a helper spins for a while after each region, so the next one starts in about a microsecond
/// instead of the tens of microseconds a sleeping thread takes to wake. After ~100 µs without work it sleeps.
/// One caller at a time; a second concurrent caller (or a region wider than the pool) falls back to GCD.
final class WorkerPool: Sendable {
    /// One helper per core beyond the caller's.
    static let shared = WorkerPool(helpers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

    private final class Helper: Sendable {
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    /// The region being run: body and worker count. Written before `generation` is bumped, read after.
    private struct Region: @unchecked Sendable {
        let body: (Int) -> Void
        let workers: Int
        let generation: Int
    }

    private let helpers: [Helper]
    private let generation = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    /// Workers of the current region; helpers beyond it never touch the region's body.
    private let regionWorkers = Atomic<Int>(0)
    private let busy = Mutex<Bool>(false)
    private let region = Mutex<Region?>(nil)

    private init(helpers count: Int) {
        helpers = (0..<count).map { _ in Helper() }
        for (index, helper) in helpers.enumerated() {
            let thread = Thread { [self] in serve(helper, worker: index + 1) }
            thread.name = "animepop-engine-\(index + 1)"
            thread.start()
        }
    }

    /// Runs body(0) … body(workers − 1) concurrently, body(0) on the calling thread; returns when all are done.
    func run(workers: Int, _ body: (Int) -> Void) {
        let claimed = busy.withLock { taken -> Bool in
            if taken { return false }
            taken = true
            return true
        }
        guard claimed, workers - 1 <= helpers.count else {
            if claimed { busy.withLock { $0 = false } }
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: workers) { work($0) }
            return
        }
        defer { busy.withLock { $0 = false } }
        // The body outlives this call only until `unfinished` reaches 0, which the wait below ensures.
        withoutActuallyEscaping(body) { escapable in
            let next = generation.load(ordering: .sequentiallyConsistent) + 1
            region.withLock { $0 = Region(body: escapable, workers: workers, generation: next) }
            unfinished.store(workers - 1, ordering: .sequentiallyConsistent)
            regionWorkers.store(workers, ordering: .sequentiallyConsistent)
            generation.store(next, ordering: .sequentiallyConsistent)
            for helper in helpers.prefix(workers - 1) where helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                helper.wake.signal()
            }
            escapable(0)
            while unfinished.load(ordering: .sequentiallyConsistent) > 0 {}
            region.withLock { $0 = nil }
        }
    }

    /// A helper's loop: wait (spinning, then sleeping) for a new region, run its share, report.
    private func serve(_ helper: Helper, worker: Int) {
        var seen = 0, ran = 0
        while true {
            var spins = 0
            while generation.load(ordering: .sequentiallyConsistent) == seen {
                spins += 1
                guard spins > 200_000 else { continue }
                helper.sleeping.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) != seen {
                    // A region arrived meanwhile: if its caller already cleared our flag it also signalled; consume that.
                    if !helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) { helper.wake.wait() }
                } else {
                    helper.wake.wait()
                }
                spins = 0
            }
            seen = generation.load(ordering: .sequentiallyConsistent)
            guard worker < regionWorkers.load(ordering: .sequentiallyConsistent) else { continue }
            if let executed = runShare(worker: worker, skipping: ran) {
                ran = executed
                unfinished.subtract(1, ordering: .sequentiallyConsistent)
            }
        }
    }

    /// Runs this helper's share of the current region unless it already ran it (a helper that lagged may find
    /// a later region than the generation it saw; each region runs once). Returns the region's generation.
    /// Its own function so that the helper's reference to the body is gone before it reports: `run` checks
    /// that no reference outlives the region.
    @inline(never)
    private func runShare(worker: Int, skipping ran: Int) -> Int? {
        guard let current = region.withLock({ $0 }), current.generation != ran, worker < current.workers else { return nil }
        current.body(worker)
        return current.generation
    }
}
