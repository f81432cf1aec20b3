import Dispatch
import Tensor
#if canImport(Glibc)
import Glibc
#endif

/// How many threads the engine's kernels split work over: the BLAS thread count, or 1 inside `runSerially`
/// (a thread that already has its own share of a batch).
func engineWorkers() -> Int {
    pthread_getspecific(SerialScope.key) == nil ? max(1, BLAS.threadCount) : 1
}

/// Runs `body` with the engine's kernels on the calling thread only (no nested parallelism).
func runSerially<Result>(_ body: () -> Result) -> Result {
    let previous = pthread_getspecific(SerialScope.key)
    pthread_setspecific(SerialScope.key, UnsafeRawPointer(bitPattern: 1))
    defer { pthread_setspecific(SerialScope.key, previous) }
    return body()
}

/// The thread-specific flag behind `runSerially`.
private enum SerialScope {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}

/// Splits a loop over `count` items into contiguous chunks, one per engine worker, run concurrently.
/// Used by the direct kernels (depthwise, pooling, Winograd transforms) so they use the same cores as the GEMMs.
func parallelChunks(_ count: Int, _ body: (Range<Int>) -> Void) {
    let workers = min(engineWorkers(), count)
    guard workers > 1 else { body(0..<count); return }
    // Each worker gets a disjoint range; callers write only the outputs of their own range.
    WorkerPool.shared.run(workers: workers) { worker in
        body(count * worker / workers..<count * (worker + 1) / workers)
    }
}
