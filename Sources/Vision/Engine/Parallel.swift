import Dispatch
import Tensor

/// Splits a loop over `count` items into contiguous chunks, one per BLAS thread, run concurrently.
/// Used by the direct kernels (depthwise, pooling, Winograd transforms) so they use the same cores as the GEMMs.
func parallelChunks(_ count: Int, _ body: (Range<Int>) -> Void) {
    let workers = min(max(1, BLAS.threadCount), count)
    guard workers > 1 else { body(0..<count); return }
    // Each worker gets a disjoint range; callers write only the outputs of their own range.
    nonisolated(unsafe) let work = body
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let start = count * worker / workers, end = count * (worker + 1) / workers
        work(start..<end)
    }
}
