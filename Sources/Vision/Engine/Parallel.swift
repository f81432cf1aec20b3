import Dispatch
import Tensor

/// How many threads the engine's kernels split work over: the BLAS thread count, or 1 inside `SerialScope.run`
/// (a thread that already has its own share of a batch).
func engineWorkers() -> Int {
    SerialScope.isActive ? 1 : max(1, BLAS.threadCount)
}

/// Splits a loop over `count` items into contiguous chunks, one per engine worker, run concurrently.
/// Used by the direct kernels (depthwise, pooling, Winograd transforms) so they use the same cores as the GEMMs.
func parallelChunks(_ count: Int, _ body: (Range<Int>) -> Void) {
    parallelShares(count) { _, share in body(share) }
}

/// `parallelChunks` that also tells each chunk which worker runs it (0 ..< min(engine workers, count)), for
/// per-worker scratch.
func parallelShares(_ count: Int, _ body: (_ worker: Int, _ share: Range<Int>) -> Void) {
    let workers = min(engineWorkers(), count)
    guard workers > 1 else { body(0, 0..<count); return }
    // Each worker gets a disjoint range; callers write only the outputs of their own range.
    WorkerPool.shared.run(workers: workers) { worker in
        body(worker, count * worker / workers..<count * (worker + 1) / workers)
    }
}
