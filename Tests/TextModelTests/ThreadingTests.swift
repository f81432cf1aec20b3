// The row-split product and the two threading modes give the same numbers.
import Tensor
import Testing
@testable import TextModel

@Suite("Threading: row-split products match single products")
struct ThreadingTests {
    @Test("rowSplitGemm equals one gemm, for A stored as is and transposed", arguments: [Transpose.none, .transposed])
    func rowSplit(transA: Transpose) {
        let (m, n, k) = (300, 40, 24)
        let a = randomValues(m * k, seed: 31), b = randomValues(k * n, seed: 32)
        let lda = transA == .none ? k : m
        var expected = randomValues(m * n, seed: 33), actual = expected
        gemm(transA, .none, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: n, beta: 1, c: &expected, ldc: n)
        Parallel.withSingleThreadedBLAS {
            Parallel.rowSplitGemm(transA, .none, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: n, beta: 1, c: &actual, ldc: n)
        }
        #expect(toleranceRatio(actual, expected, atol: 1e-5, rtol: 1e-5) <= 1)
    }

    @Test("Encoder gradients agree between split-rows and OpenBLAS threading")
    func modesAgree() throws {
        let configuration = TextEncoderConfiguration(vocabularySize: 300, contextLength: 64, layerCount: 1, width: 32, headCount: 2)
        var generator = SeededGenerator(seed: 3)
        let sequences: [[Int32]] = (0..<4).map { _ in (0..<64).map { _ in Int32(4 + generator.next() % 296) } }
        let batch = try MaskedLanguageModeling().mask(try TokenBatch(sequences: sequences, padTokenId: 1, maximumLength: 64),
                                                      configuration: configuration, generator: &generator)
        func gradients(_ threading: Threading) throws -> [Float] {
            let encoder = try TextEncoder(configuration: configuration, seed: 4)
            encoder.threading = threading
            encoder.gradients.zero()
            _ = try encoder.forwardMaskedLM(batch)
            try encoder.backward()
            return Array(UnsafeBufferPointer(start: encoder.gradients.base, count: encoder.gradients.count))
        }
        let split = try gradients(.splitRows), blas = try gradients(.openBLAS), serial = try gradients(.serial)
        #expect(relativeError(doubles(split), doubles(blas)) < 1e-5)
        #expect(relativeError(doubles(split), doubles(serial)) < 1e-5)
    }

    @Test("Inside `serially` every row loop runs as one chunk on the calling thread; outside it still splits")
    func serialThreads() {
        func chunks() -> Int {
            var seen = [Bool](repeating: false, count: Parallel.workerCount)
            seen.withUnsafeMutableBufferPointer { seen in
                Parallel.forEachChunk(10_000) { chunk, _ in seen[chunk] = true }
            }
            return seen.filter { $0 }.count
        }
        #expect(Parallel.serially { chunks() } == 1)
        #expect(Parallel.serially { Parallel.isSerialThread })
        #expect(!Parallel.isSerialThread)
        #expect(chunks() == min(Parallel.workerCount, 10_000))
    }

    @Test("A copy encodes exactly as the original, and owns its weights")
    func copyEncodes() throws {
        let configuration = TextEncoderConfiguration(vocabularySize: 300, contextLength: 32, layerCount: 2, width: 32, headCount: 2)
        let original = try TextEncoder(configuration: configuration, seed: 8)
        original.threading = .serial
        let copy = original.copy()
        #expect(copy.threading == .serial)
        var generator = SeededGenerator(seed: 5)
        let sequences: [[Int32]] = [20, 7, 32].map { length in (0..<length).map { _ in Int32(4 + generator.next() % 296) } }
        let expected = try original.encode(batch: sequences)
        #expect(try copy.encode(batch: sequences) == expected)
        copy.parameters.base.update(repeating: 0, count: copy.parameters.count)
        #expect(try original.encode(batch: sequences) == expected)
        #expect(try copy.encode(batch: sequences) != expected)
    }
}
