import Dispatch
import Foundation
import Testing
import Tensor

@Suite("OpenBLAS one-thread scopes")
struct OneThreadScopeTests {
    @Test("scopes that overlap on two threads, the first closing first, give the thread count back")
    func overlappingScopes() {
        let before = BLAS.configuredThreadCount
        let firstOpen = DispatchSemaphore(value: 0), firstClosed = DispatchSemaphore(value: 0)
        let secondOpen = DispatchSemaphore(value: 0), done = DispatchGroup()
        nonisolated(unsafe) var countsInside: [Int] = []
        let lock = DispatchQueue(label: "counts")
        done.enter()
        Thread.detachNewThread {
            BLAS.withOneThread {
                lock.sync { countsInside.append(BLAS.threadCount) }
                firstOpen.signal()
                secondOpen.wait()
            }
            firstClosed.signal()
            done.leave()
        }
        firstOpen.wait()
        // The second scope opens while the first is open, and closes after it: the order in which saving and
        // restoring the count per scope would leave OpenBLAS at one thread.
        BLAS.withOneThread {
            secondOpen.signal()
            firstClosed.wait()
            lock.sync { countsInside.append(BLAS.threadCount) }
        }
        done.wait()
        #expect(countsInside == [1, 1])
        #expect(BLAS.configuredThreadCount == before)
    }
}
