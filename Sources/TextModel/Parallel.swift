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
        let chunks = isSerialThread ? 1 : max(1, min(workerCount, count / max(1, minimumRows)))
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
    static func withSingleThreadedBLAS<Result>(_ body: () throws -> Result) rethrows -> Result {
        try BLAS.withOneThread(body)
    }
}

extension Parallel {
    /// `gemm` with the rows of C split over the workers when OpenBLAS is single-threaded (inside
    /// `withSingleThreadedBLAS`); otherwise one call that OpenBLAS threads itself. Same contract as `gemm`.
    static func rowSplitGemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard workerCount > 1, !isSerialThread, BLAS.threadCount == 1, m >= 128 else {
            gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        forEachChunk(m, minimumRows: 64) { _, rows in
            // Row i of op(A) starts at i·lda when A is stored M×K, at column i when it is stored K×M.
            let rowsOfA = transA == .none ? a + rows.lowerBound * lda : a + rows.lowerBound
            gemm(transA, transB, m: rows.count, n: n, k: k, alpha: alpha, a: rowsOfA, lda: lda, b: b, ldb: ldb,
                        beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc)
        }
    }
}

extension Parallel {
    /// Whether the calling thread runs every row loop itself (inside `serially`).
    static var isSerialThread: Bool { SerialScope.isActive }

    /// Runs `body` with every row loop and row-split product of this thread on this thread (`SerialScope`).
    static func serially<Result>(_ body: () throws -> Result) rethrows -> Result { try SerialScope.run(body) }
}

/// Carries a row-loop body into concurrentPerform's `@Sendable` closure (see `Parallel.forEachChunk`).
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
