import Dispatch
import Foundation
import Synchronization
import Tensor
import Testing
@testable import Vision

/// The engine's spinning worker pool and its serial scope.
@Suite("Engine worker pool")
struct WorkerPoolTests {
    /// One atomic counter (Atomic is not copyable, so arrays hold boxes).
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        func increment() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    @Test("every index of every region runs exactly once, with regions arriving from two threads at once")
    func exactlyOnce() {
        let regions = 2_000, width = 37
        let counts = (0..<2).map { _ in (0..<(regions * width)).map { _ in Counter() } }
        DispatchQueue.concurrentPerform(iterations: 2) { caller in
            for region in 0..<regions {
                WorkerPool.shared.run(workers: 2) { worker in
                    for index in (worker == 0 ? 0..<width / 2 : width / 2..<width) {
                        counts[caller][region * width + index].increment()
                    }
                }
            }
        }
        let wrong = counts.joined().filter { $0.count != 1 }.count
        #expect(wrong == 0, "\(wrong) indices did not run exactly once")
    }

    @Test("parallelChunks covers 0..<count with disjoint ranges; inside SerialScope.run it stays on the calling thread")
    func chunksAndSerialScope() {
        for count in [1, 2, 3, 10, 1_001] {
            let seen = (0..<count).map { _ in Counter() }
            parallelChunks(count) { range in for index in range { seen[index].increment() } }
            #expect(seen.allSatisfy { $0.count == 1 }, "count \(count)")
        }
        let caller = pthread_self()
        let others = Counter()
        SerialScope.run {
            #expect(engineWorkers() == 1)
            parallelChunks(64) { _ in if pthread_equal(pthread_self(), caller) == 0 { others.increment() } }
        }
        #expect(others.count == 0, "work left the calling thread inside SerialScope.run")
    }
}
