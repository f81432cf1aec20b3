// Design matrices ridge can solve on, each with implicit centering (Xc = X − 1·μᵀ, never formed):
//   SparseDesign   Xc v = X v − (μ·v)·1,  Xcᵀ u = Xᵀ u − μ·Σu          (two sparse mat-vecs, parallel)
//   DenseDesign    XcᵀXc formed once by gemm (P × P), then Gram–vector products in Double
//   StackedDesign  [S | D]: sparse block beside an already-centered dense block (D v through gemv)
import Foundation

/// A centered design matrix Xc (N × P) that conjugate gradient can solve ridge on.
protocol RidgeDesign: Sendable {
    /// P.
    var featureCount: Int { get }
    /// Column means μ (P) of the uncentered X, for the intercept b = ȳ − μ·w.
    var means: [Double] { get }
    /// XcᵀXc·v (P).
    func normalProduct(_ v: [Double]) -> [Double]
    /// diag(XcᵀXc) (P).
    func normalDiagonal() -> [Double]
    /// Xcᵀ·u (P) for a centered u (Σu = 0).
    func transposedProduct(_ u: [Double]) -> [Double]
}

/// Sparse X with implicit centering.
struct SparseDesign: RidgeDesign {
    let matrix: SparseMatrix
    let means: [Double]
    var featureCount: Int { matrix.columns }

    init(_ matrix: SparseMatrix) {
        self.matrix = matrix
        means = matrix.columnMeans()
    }

    /// Xc·v (N).
    func centeredProduct(_ v: [Double]) -> [Double] {
        let shift = dot(means, v)
        return matrix.multiply(v).map { $0 - shift }
    }

    func normalProduct(_ v: [Double]) -> [Double] { centeredTransposed(centeredProduct(v)) }

    /// Xcᵀ·u for any u.
    func centeredTransposed(_ u: [Double]) -> [Double] {
        let total = u.reduce(0, +)
        var result = matrix.multiplyTransposed(u)
        for column in 0..<result.count { result[column] -= means[column] * total }
        return result
    }

    func normalDiagonal() -> [Double] {
        let squares = matrix.columnSquareSums(), count = Double(matrix.rows)
        return (0..<featureCount).map { max(squares[$0] - count * means[$0] * means[$0], 0) }
    }

    func transposedProduct(_ u: [Double]) -> [Double] { matrix.multiplyTransposed(u) }
}

/// Dense X: the Gram matrix of the centered data is formed once (gemm) and reused for every alpha.
struct DenseDesign: RidgeDesign {
    let centered: DenseFeatures
    let means: [Double]
    let gram: [Double]
    var featureCount: Int { centered.columns }

    init(_ features: DenseFeatures) {
        let statistics = features.columnStatistics()
        means = statistics.means
        centered = features.standardized(means: statistics.means, deviations: [Double](repeating: 1, count: features.columns))
        gram = centered.gram()
    }

    func normalProduct(_ v: [Double]) -> [Double] {
        let size = featureCount
        let blocks = chunkRanges(size, size < 512 ? 1 : BaselineThreads.defaultCount)
        let parts = parallelMap(blocks.count) { block in
            gram.withUnsafeBufferPointer { g in
                v.withUnsafeBufferPointer { x in
                    blocks[block].map { row in
                        var sum = 0.0
                        let base = row * size
                        for column in 0..<size { sum += g[base + column] * x[column] }
                        return sum
                    }
                }
            }
        }
        return Array(parts.joined())
    }

    func normalDiagonal() -> [Double] { (0..<featureCount).map { gram[$0 * featureCount + $0] } }

    func transposedProduct(_ u: [Double]) -> [Double] { centered.multiplyTransposed(u) }
}

/// [S | D]: sparse TF-IDF block (implicitly centered) beside a dense block that is already centered and scaled.
struct StackedDesign: RidgeDesign {
    let sparse: SparseDesign
    let dense: DenseFeatures
    let means: [Double]
    var featureCount: Int { sparse.featureCount + dense.columns }

    init(sparse: SparseMatrix, centeredDense: DenseFeatures) {
        self.sparse = SparseDesign(sparse)
        dense = centeredDense
        means = self.sparse.means + [Double](repeating: 0, count: centeredDense.columns)
    }

    func normalProduct(_ v: [Double]) -> [Double] {
        let split = sparse.featureCount
        var product = sparse.centeredProduct(Array(v[..<split]))
        let denseProduct = dense.multiply(Array(v[split...]))
        for row in 0..<product.count { product[row] += denseProduct[row] }
        return sparse.centeredTransposed(product) + dense.multiplyTransposed(product)
    }

    func normalDiagonal() -> [Double] {
        var squares = [Double](repeating: 0, count: dense.columns)
        for row in 0..<dense.rows {
            for column in 0..<dense.columns {
                let value = Double(dense.values[row * dense.columns + column])
                squares[column] += value * value
            }
        }
        return sparse.normalDiagonal() + squares
    }

    func transposedProduct(_ u: [Double]) -> [Double] {
        sparse.transposedProduct(u) + dense.multiplyTransposed(u)
    }
}
