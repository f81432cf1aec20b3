// Splits row loops over the CPU cores; BLAS threads its own big products.
import Dispatch
import Foundation
import Tensor

/// Work splitting for the hand-fused layers (layer norm, GELU, softmax, attention heads).
enum Parallel {
    /// Worker threads used for row loops: the active processors (2 on the target machine).
    static let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body(chunk, rows)` over `count` rows split into at most `workerCount` contiguous chunks,
    /// keeping at least `minimumRows` per chunk so tiny loops stay on one thread.
    static func forEachChunk(_ count: Int, minimumRows: Int = 1, _ body: (_ chunk: Int, _ rows: Range<Int>) -> Void) {
        let chunks = max(1, min(workerCount, count / max(1, minimumRows)))
        if chunks == 1 {
            body(0, 0..<count)
            return
        }
        // Safe to share: each call gets a disjoint row range and its own chunk index, and
        // concurrentPerform returns only after every call has finished.
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(value: body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                shared.value(chunk, (count * chunk / chunks)..<(count * (chunk + 1) / chunks))
            }
        }
    }

    /// Runs `body` with OpenBLAS limited to one thread, for regions that run many small products in parallel.
    static func withSingleThreadedBLAS<Result>(_ body: () -> Result) -> Result {
        let saved = BLAS.threadCount
        if saved == 1 { return body() }
        BLAS.threadCount = 1
        defer { BLAS.threadCount = saved }
        return body()
    }
}

/// Carries a row-loop body into concurrentPerform's `@Sendable` closure (see `Parallel.forEachChunk`).
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
