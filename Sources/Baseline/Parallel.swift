// Fork–join over a few chunks: the baseline's only concurrency primitive.
import Dispatch
import Foundation

/// How many threads the baseline's parallel loops use (the project targets 2 cores).
public enum BaselineThreads {
    /// Default chunk count for fit, transform and the ridge mat-vecs.
    public static let defaultCount = 2
}

/// Results of `parallelMap`, one slot per chunk, written by exactly one worker each.
private final class ChunkResults<Value>: @unchecked Sendable {
    // Safety: slot i is written only by the worker for chunk i, and read after `concurrentPerform` returns.
    var slots: [Value?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
}

/// Runs `body(chunk)` for chunk in 0..<count on up to `count` threads and returns the results in order.
func parallelMap<Value>(_ count: Int, _ body: @Sendable (Int) -> Value) -> [Value] {
    guard count > 1 else { return count == 1 ? [body(0)] : [] }
    let results = ChunkResults<Value>(count: count)
    results.slots.withUnsafeMutableBufferPointer { slots in
        nonisolated(unsafe) let output = slots
        DispatchQueue.concurrentPerform(iterations: count) { chunk in
            output[chunk] = body(chunk)
        }
    }
    return results.slots.compactMap { $0 }
}

/// Splits 0..<total into `count` contiguous ranges of near-equal size (empty ranges allowed).
func chunkRanges(_ total: Int, _ count: Int) -> [Range<Int>] {
    let count = max(1, count)
    return (0..<count).map { chunk in (total * chunk / count)..<(total * (chunk + 1) / count) }
}
