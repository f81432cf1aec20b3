// Matrix products, always through the BLAS seam (`gemm`, or `gemv` when one side is a vector).
//
// matmul(A, B, transposeA, transposeB) = op(A)·op(B), op = transpose of the last two axes when asked.
//   A [..., M, K] (or [..., K, M] transposed), B [..., K, N] (or [..., N, K]) → [..., M, N].
//   Leading (batch) axes: equal on both sides, or one side rank 2 and shared across the other's batch.
//   A [B, T, C] · W [C, C'] without transposeA runs as ONE gemm of (B·T)×C by C×C'.
// Gradient (per batch item, cs231n): dA = G·op(B)ᵀ (transposed back if transposeA),
//   dB = op(A)ᵀ·G (transposed back if transposeB); a shared operand sums over the batch.

/// How a (possibly batched) product maps onto per-matrix BLAS calls.
struct MatmulPlan {
    var batch, m, n, k: Int
    var strideA, strideB, strideC: Int   // elements between batch items; 0 = shared operand
    var outputShape: [Int]

    init(_ aShape: [Int], _ bShape: [Int], transposeA: Bool, transposeB: Bool) {
        precondition(aShape.count >= 2 && bShape.count >= 2, "matmul: operands need rank ≥ 2, got \(aShape) and \(bShape)")
        let aRows = aShape[aShape.count - 2], aColumns = aShape[aShape.count - 1]
        let bRows = bShape[bShape.count - 2], bColumns = bShape[bShape.count - 1]
        k = transposeA ? aRows : aColumns
        n = transposeB ? bRows : bColumns
        let bK = transposeB ? bColumns : bRows
        precondition(k == bK, "matmul: inner sizes differ: \(aShape)\(transposeA ? "ᵀ" : "") · \(bShape)\(transposeB ? "ᵀ" : "")")
        let aBatch = Array(aShape.dropLast(2)), bBatch = Array(bShape.dropLast(2))
        if bBatch.isEmpty && !transposeA {
            // Shared right operand: fold A's batch axes into its rows, one BLAS call.
            m = aShape.dropLast().reduce(1, *)
            batch = 1
            strideA = 0; strideB = 0; strideC = 0
            outputShape = aShape.dropLast() + [n]
            return
        }
        m = transposeA ? aColumns : aRows
        precondition(aBatch.isEmpty || bBatch.isEmpty || aBatch == bBatch,
                     "matmul: batch axes differ: \(aShape) · \(bShape)")
        let batchShape = aBatch.isEmpty ? bBatch : aBatch
        batch = batchShape.reduce(1, *)
        strideA = aBatch.isEmpty ? 0 : m * k
        strideB = bBatch.isEmpty ? 0 : k * n
        strideC = m * n
        outputShape = batchShape + [m, n]
    }
}

/// C[m×n] = op(A)·op(B) + beta·C for one row-major matrix pair, via gemv when m or n is 1.
/// A is stored m×k (k×m when transposed), B k×n (n×k when transposed).
@inline(__always)
func multiply(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
              a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        for index in 0..<(m * n) { c[index] = beta == 0 ? 0 : beta * c[index] }
        return
    }
    if n == 1 {
        gemv(transA, m: transA == .none ? m : k, n: transA == .none ? k : m,
             a: a, lda: transA == .none ? k : m, x: b, beta: beta, y: c)
    } else if m == 1 {
        // c[1×n] = a[1×k]·op(B): y = op(B)ᵀ·a.
        gemv(transB == .none ? .transposed : .none, m: transB == .none ? k : n, n: transB == .none ? n : k,
             a: b, lda: transB == .none ? n : k, x: a, beta: beta, y: c)
    } else {
        gemm(transA, transB, m: m, n: n, k: k, a: a, lda: transA == .none ? k : m,
             b: b, ldb: transB == .none ? n : k, beta: beta, c: c, ldc: n)
    }
}

extension Tensor {
    /// op(a)·op(b) with batching as in the file header. a [..., M, K], b [..., K, N] → [..., M, N].
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let plan = MatmulPlan(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB)
        let count = elementCount(of: plan.outputShape)
        let scalars = [Float](unsafeUninitializedCapacity: count) { output, initialized in
            a.scalars.withUnsafeBufferPointer { aBuffer in
                b.scalars.withUnsafeBufferPointer { bBuffer in
                    guard let aBase = aBuffer.baseAddress, let bBase = bBuffer.baseAddress, let cBase = output.baseAddress
                    else { return }
                    for item in 0..<plan.batch {
                        multiply(transposeA ? .transposed : .none, transposeB ? .transposed : .none,
                                 m: plan.m, n: plan.n, k: plan.k,
                                 a: aBase + item * plan.strideA, b: bBase + item * plan.strideB,
                                 beta: 0, c: cBase + item * plan.strideC)
                    }
                }
            }
            if count > 0 && (a.count == 0 || b.count == 0) { output.initialize(repeating: 0) }
            initialized = count
        }
        return Tensor(shape: plan.outputShape, scalars: scalars)
    }

    /// The gradients of `matmul` for output gradient `g`: (dA, dB), each computed only when asked.
    static func matmulGradients(_ a: Tensor, _ b: Tensor, _ g: Tensor, transposeA: Bool, transposeB: Bool,
                                wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
        let plan = MatmulPlan(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB)
        var gradientA = wantA ? Tensor.zeros(a.shape) : nil
        var gradientB = wantB ? Tensor.zeros(b.shape) : nil
        let t: (Bool) -> Transpose = { $0 ? .transposed : .none }
        a.scalars.withUnsafeBufferPointer { aBuffer in
            b.scalars.withUnsafeBufferPointer { bBuffer in
                g.scalars.withUnsafeBufferPointer { gBuffer in
                    guard let aBase = aBuffer.baseAddress, let bBase = bBuffer.baseAddress, let gBase = gBuffer.baseAddress
                    else { return }
                    // A shared operand (stride 0) accumulates over the batch with beta = 1.
                    gradientA?.scalars.withUnsafeMutableBufferPointer { dA in
                        guard let dABase = dA.baseAddress else { return }
                        for item in 0..<plan.batch {
                            let gItem = gBase + item * plan.strideC, bItem = bBase + item * plan.strideB
                            let target = dABase + item * plan.strideA
                            if transposeA {
                                multiply(t(transposeB), .transposed, m: plan.k, n: plan.m, k: plan.n, a: bItem, b: gItem, beta: 1, c: target)
                            } else {
                                multiply(.none, t(!transposeB), m: plan.m, n: plan.k, k: plan.n, a: gItem, b: bItem, beta: 1, c: target)
                            }
                        }
                    }
                    gradientB?.scalars.withUnsafeMutableBufferPointer { dB in
                        guard let dBBase = dB.baseAddress else { return }
                        for item in 0..<plan.batch {
                            let gItem = gBase + item * plan.strideC, aItem = aBase + item * plan.strideA
                            let target = dBBase + item * plan.strideB
                            if transposeB {
                                multiply(.transposed, t(transposeA), m: plan.n, n: plan.k, k: plan.m, a: gItem, b: aItem, beta: 1, c: target)
                            } else {
                                multiply(t(!transposeA), .none, m: plan.k, n: plan.n, k: plan.m, a: aItem, b: gItem, beta: 1, c: target)
                            }
                        }
                    }
                }
            }
        }
        return (gradientA, gradientB)
    }
}

extension Tape {
    /// Differentiable `Tensor.matmul`: a [..., M, K], b [..., K, N] → [..., M, N] (see file header).
    public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        let aValue = value(a), bValue = value(b)
        let output = Tensor.matmul(aValue, bValue, transposeA: transposeA, transposeB: transposeB)
        return record(output, inputs: [a, b]) { gradient, wanted in
            let (dA, dB) = Tensor.matmulGradients(aValue, bValue, gradient, transposeA: transposeA, transposeB: transposeB,
                                                  wantA: wanted[0], wantB: wanted[1])
            return [dA, dB]
        }
    }
}
