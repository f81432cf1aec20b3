// Dense feature rows (N × P, row-major Float), e.g. 32·32·3 downsampled pixels, and their standardization.
import Tensor

/// A dense N × P feature matrix, row-major Float.
public struct DenseFeatures: Sendable, Equatable {
    /// Number of rows (N).
    public let rows: Int
    /// Number of columns (P).
    public let columns: Int
    /// Row-major values, count rows · columns.
    public let values: [Float]

    /// Wraps row-major values.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "\(values.count) values ≠ \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Stacks equal-length rows; throws when lengths differ.
    public init(_ rows: [[Float]]) throws {
        let width = rows.first?.count ?? 0
        if let bad = rows.firstIndex(where: { $0.count != width }) {
            throw BaselineError.featureLengthMismatch(row: bad, expected: width, found: rows[bad].count)
        }
        self.init(rows: rows.count, columns: width, values: Array(rows.joined()))
    }

    /// Column means and population standard deviations (0-variance columns get 1), sklearn's StandardScaler.
    func columnStatistics() -> (means: [Double], deviations: [Double]) {
        var sums = [Double](repeating: 0, count: columns), squares = [Double](repeating: 0, count: columns)
        for row in 0..<rows {
            let base = row * columns
            for column in 0..<columns { sums[column] += Double(values[base + column]) }
        }
        let means = sums.map { rows > 0 ? $0 / Double(rows) : 0 }
        for row in 0..<rows {
            let base = row * columns
            for column in 0..<columns {
                let centered = Double(values[base + column]) - means[column]
                squares[column] += centered * centered
            }
        }
        let deviations = squares.map { square -> Double in
            let deviation = rows > 0 ? (square / Double(rows)).squareRoot() : 0
            return deviation > 1e-12 ? deviation : 1
        }
        return (means, deviations)
    }

    /// (x − mean) / deviation · scale, column-wise.
    func standardized(means: [Double], deviations: [Double], scale: Double = 1) -> DenseFeatures {
        var output = [Float](repeating: 0, count: values.count)
        let factors = deviations.map { scale / $0 }
        for row in 0..<rows {
            let base = row * columns
            for column in 0..<columns {
                output[base + column] = Float((Double(values[base + column]) - means[column]) * factors[column])
            }
        }
        return DenseFeatures(rows: rows, columns: columns, values: output)
    }

    /// y = X·x (N) through the BLAS seam (Float).
    func multiply(_ x: [Double]) -> [Double] {
        var output = [Float](repeating: 0, count: rows)
        let vector = x.map(Float.init)
        guard rows > 0, columns > 0 else { return output.map(Double.init) }
        values.withUnsafeBufferPointer { a in
            vector.withUnsafeBufferPointer { v in
                output.withUnsafeMutableBufferPointer { y in
                    guard let a = a.baseAddress, let v = v.baseAddress, let y = y.baseAddress else { return }
                    gemv(.none, m: rows, n: columns, a: a, lda: columns, x: v, y: y)
                }
            }
        }
        return output.map(Double.init)
    }

    /// x = Xᵀ·y (P) through the BLAS seam (Float).
    func multiplyTransposed(_ y: [Double]) -> [Double] {
        var output = [Float](repeating: 0, count: columns)
        let vector = y.map(Float.init)
        guard rows > 0, columns > 0 else { return output.map(Double.init) }
        values.withUnsafeBufferPointer { a in
            vector.withUnsafeBufferPointer { v in
                output.withUnsafeMutableBufferPointer { x in
                    guard let a = a.baseAddress, let v = v.baseAddress, let x = x.baseAddress else { return }
                    gemv(.transposed, m: rows, n: columns, a: a, lda: columns, x: v, y: x)
                }
            }
        }
        return output.map(Double.init)
    }

    /// XᵀX (P × P, row-major, Double) formed by one gemm (Float) through the BLAS seam.
    func gram() -> [Double] {
        var output = [Float](repeating: 0, count: columns * columns)
        guard rows > 0, columns > 0 else { return output.map(Double.init) }
        values.withUnsafeBufferPointer { a in
            output.withUnsafeMutableBufferPointer { c in
                guard let a = a.baseAddress, let c = c.baseAddress else { return }
                gemm(.transposed, .none, m: columns, n: columns, k: rows, a: a, lda: columns, b: a, ldb: columns,
                     c: c, ldc: columns)
            }
        }
        return output.map(Double.init)
    }
}
