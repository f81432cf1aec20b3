// Matmul through the BLAS seam against the naive triple loop (the algorithmic reference),
// for every transpose combination, the gemv paths (m = 1, n = 1), batched and shared operands.
import Testing
@testable import Tensor

/// The reference: C[m][n] = Σₖ op(A)[m][k]·op(B)[k][n], accumulated in Double.
func naiveMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
    let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
    let n = transposeB ? b.shape[0] : b.shape[1]
    var result = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var total = 0.0
            for p in 0..<k {
                let left = transposeA ? a.scalars[p * m + i] : a.scalars[i * k + p]
                let right = transposeB ? b.scalars[j * k + p] : b.scalars[p * n + j]
                total += Double(left) * Double(right)
            }
            result[i * n + j] = Float(total)
        }
    }
    return Tensor(shape: [m, n], scalars: result)
}

@Suite("Matmul matches the naive loop")
struct MatmulTests {
    @Test("all transpose combinations, including gemv shapes", arguments: [(1, 1, 1), (1, 9, 5), (6, 9, 1), (7, 13, 5), (64, 96, 33)])
    func transposes(m: Int, k: Int, n: Int) {
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = randomTensor(transposeA ? [k, m] : [m, k], seed: UInt64(m * 31 + k))
                let b = randomTensor(transposeB ? [n, k] : [k, n], seed: UInt64(n * 17 + k))
                let product = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
                expectClose(product, naiveMatmul(a, b, transposeA: transposeA, transposeB: transposeB),
                            absolute: 1e-4, relative: 1e-4, "\(m)×\(k)×\(n) tA=\(transposeA) tB=\(transposeB)")
            }
        }
    }

    @Test("batched products equal per-item products; a shared operand is reused")
    func batched() {
        let a = randomTensor([3, 4, 6], seed: 1), b = randomTensor([3, 6, 5], seed: 2), w = randomTensor([6, 5], seed: 3)
        let batched = Tensor.matmul(a, b)
        let shared = Tensor.matmul(a, w)
        let transposedShared = Tensor.matmul(a, randomTensor([4, 2], seed: 4), transposeA: true)
        #expect(batched.shape == [3, 4, 5] && shared.shape == [3, 4, 5] && transposedShared.shape == [3, 6, 2])
        for item in 0..<3 {
            let aItem = a.slice(axis: 0, range: item..<(item + 1)).reshaped([4, 6])
            let bItem = b.slice(axis: 0, range: item..<(item + 1)).reshaped([6, 5])
            expectClose(batched.slice(axis: 0, range: item..<(item + 1)).reshaped([4, 5]),
                        naiveMatmul(aItem, bItem, transposeA: false, transposeB: false), "batched item \(item)")
            expectClose(shared.slice(axis: 0, range: item..<(item + 1)).reshaped([4, 5]),
                        naiveMatmul(aItem, w, transposeA: false, transposeB: false), "shared item \(item)")
        }
    }

    @Test("transposing the last two axes agrees with matmul's transpose flag")
    func transposeAgreesWithFlag() {
        let a = randomTensor([2, 5, 3], seed: 5), b = randomTensor([2, 5, 4], seed: 6)
        #expect(a.transposedLastTwo().shape == [2, 3, 5])
        #expect(a.transposedLastTwo().transposedLastTwo() == a)
        expectClose(Tensor.matmul(a.transposedLastTwo(), b), Tensor.matmul(a, b, transposeA: true), "aᵀb")
    }

    @Test("empty inner dimension gives zeros")
    func emptyInner() {
        let product = Tensor.matmul(Tensor.zeros([3, 0]), Tensor.zeros([0, 2]))
        #expect(product == Tensor.zeros([3, 2]))
    }
}
