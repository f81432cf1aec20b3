// Compressed sparse row (CSR) matrix, N × V, and the two mat-vecs conjugate gradient needs.
//
// Row r's entries are columnIndices[rowOffsets[r]..<rowOffsets[r+1]] (ascending) with the same slice of
// values — the layout of scipy.sparse.csr_matrix (indptr, indices, data).

/// A read-only CSR sparse matrix (rows × columns) with Float values and ascending column indices per row.
public struct SparseMatrix: Sendable, Equatable {
    /// Number of rows (N, documents).
    public let rows: Int
    /// Number of columns (V, features).
    public let columns: Int
    /// Row start offsets into `columnIndices`/`values`; count rows + 1, first 0, last = nonzero count.
    public let rowOffsets: [Int]
    /// Column index of each stored entry, ascending within a row.
    public let columnIndices: [Int32]
    /// Value of each stored entry.
    public let values: [Float]

    /// Wraps CSR arrays; the caller guarantees the layout stated in the file header.
    public init(rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Float]) {
        precondition(rowOffsets.count == rows + 1 && columnIndices.count == values.count, "malformed CSR arrays")
        self.rows = rows
        self.columns = columns
        self.rowOffsets = rowOffsets
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Number of stored entries.
    public var nonzeroCount: Int { values.count }

    /// Row `row` as (column, value) pairs in ascending column order.
    public func row(_ row: Int) -> [(column: Int, value: Float)] {
        (rowOffsets[row]..<rowOffsets[row + 1]).map { (Int(columnIndices[$0]), values[$0]) }
    }

    /// The dense N × V matrix, row-major (for tests and tiny inputs).
    public func dense() -> [[Float]] {
        (0..<rows).map { r in
            var line = [Float](repeating: 0, count: columns)
            for (column, value) in row(r) { line[column] = value }
            return line
        }
    }

    /// Column sums divided by N: the mean of every feature, μ (V).
    public func columnMeans() -> [Double] {
        var sums = [Double](repeating: 0, count: columns)
        for index in 0..<values.count { sums[Int(columnIndices[index])] += Double(values[index]) }
        let scale = rows > 0 ? 1 / Double(rows) : 0
        return sums.map { $0 * scale }
    }

    /// Column sums of squares, Σᵢ x_ij² (V).
    public func columnSquareSums() -> [Double] {
        var sums = [Double](repeating: 0, count: columns)
        for index in 0..<values.count { sums[Int(columnIndices[index])] += Double(values[index]) * Double(values[index]) }
        return sums
    }

    /// y = X·x for x (V) → y (N), rows split over `threads` chunks.
    public func multiply(_ x: [Double], threads: Int = BaselineThreads.defaultCount) -> [Double] {
        precondition(x.count == columns, "vector length \(x.count) ≠ columns \(columns)")
        let ranges = chunkRanges(rows, rows < 2048 ? 1 : threads)
        let parts = parallelMap(ranges.count) { chunk in multiplyRows(ranges[chunk], x) }
        return parts.count == 1 ? parts[0] : Array(parts.joined())
    }

    /// (X·x)[rows] for one block of rows.
    private func multiplyRows(_ block: Range<Int>, _ x: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: block.count)
        rowOffsets.withUnsafeBufferPointer { offsets in
            columnIndices.withUnsafeBufferPointer { indices in
                values.withUnsafeBufferPointer { entries in
                    x.withUnsafeBufferPointer { vector in
                        for row in block {
                            var sum = 0.0
                            for index in offsets[row]..<offsets[row + 1] {
                                sum += Double(entries[index]) * vector[Int(indices[index])]
                            }
                            result[row - block.lowerBound] = sum
                        }
                    }
                }
            }
        }
        return result
    }

    /// x = Xᵀ·y for y (N) → x (V): each block of rows accumulates its own V-vector, then they are summed.
    public func multiplyTransposed(_ y: [Double], threads: Int = BaselineThreads.defaultCount) -> [Double] {
        precondition(y.count == rows, "vector length \(y.count) ≠ rows \(rows)")
        let ranges = chunkRanges(rows, rows < 2048 ? 1 : threads)
        let partials = parallelMap(ranges.count) { chunk in multiplyTransposedRows(ranges[chunk], y) }
        guard var total = partials.first else { return [Double](repeating: 0, count: columns) }
        for partial in partials.dropFirst() {
            for column in 0..<columns { total[column] += partial[column] }
        }
        return total
    }

    /// Σ_{r ∈ block} y[r]·X[r, :] (V).
    private func multiplyTransposedRows(_ block: Range<Int>, _ y: [Double]) -> [Double] {
        var partial = [Double](repeating: 0, count: columns)
        partial.withUnsafeMutableBufferPointer { accumulator in
            rowOffsets.withUnsafeBufferPointer { offsets in
                columnIndices.withUnsafeBufferPointer { indices in
                    values.withUnsafeBufferPointer { entries in
                        for row in block {
                            let scale = y[row]
                            if scale == 0 { continue }
                            for index in offsets[row]..<offsets[row + 1] {
                                accumulator[Int(indices[index])] += Double(entries[index]) * scale
                            }
                        }
                    }
                }
            }
        }
        return partial
    }
}
