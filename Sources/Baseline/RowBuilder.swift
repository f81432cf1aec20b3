// Builds TF-IDF CSR rows from a document's column occurrences: count per column, weight, l2-normalize.
import Foundation

/// 1 + ln(c) for c < 64 (index 0 unused).
private let sublinearTable: [Double] = (0..<64).map { $0 == 0 ? 0 : Foundation.log(Double($0)) + 1 }

/// Accumulates CSR rows; one per thread.
struct RowBuilder {
    private var counts: [Int32]
    private var touched: [Int32] = []
    private(set) var rowOffsets: [Int] = [0]
    private(set) var columnIndices: [Int32] = []
    private(set) var values: [Float] = []
    private var weights: [Double] = []
    private var radixScratch: [Int32] = []

    /// A builder for rows of `columns` columns.
    init(columns: Int) { counts = [Int32](repeating: 0, count: columns) }

    /// Records one occurrence of `column` in the current row (-1 = not in the vocabulary, ignored).
    @inline(__always) mutating func add(_ column: Int32) {
        guard column >= 0 else { return }
        if counts[Int(column)] == 0 { touched.append(column) }
        counts[Int(column)] += 1
    }

    /// Closes the current row: (1 + ln count)·idf or count·idf, then unit l2 norm (sklearn's order of operations).
    mutating func finishRow(_ vectorizer: TfidfVectorizer) {
        if touched.count > 64 {
            if radixScratch.count < touched.count { radixScratch = [Int32](repeating: 0, count: touched.count * 2) }
            let bits = counts.count > 1 ? Int.bitWidth - (counts.count - 1).leadingZeroBitCount : 1
            touched.withUnsafeMutableBufferPointer { values in
                radixScratch.withUnsafeMutableBufferPointer { scratch in radixSort(values, scratch: scratch, bits: bits) }
            }
        } else {
            touched.withUnsafeMutableBufferPointer { sortAscending($0) }
        }
        weights.removeAll(keepingCapacity: true)
        var squareSum = 0.0
        let sublinear = vectorizer.configuration.sublinearTF
        for column in touched {
            let count = Double(counts[Int(column)])
            let tf = sublinear ? (count < 64 ? sublinearTable[Int(count)] : Foundation.log(count) + 1) : count
            let weight = tf * vectorizer.idf[Int(column)]
            weights.append(weight)
            squareSum += weight * weight
            counts[Int(column)] = 0
        }
        let scale = squareSum > 0 ? 1 / squareSum.squareRoot() : 0
        for (index, column) in touched.enumerated() {
            columnIndices.append(column)
            values.append(Float(weights[index] * scale))
        }
        rowOffsets.append(columnIndices.count)
        touched.removeAll(keepingCapacity: true)
    }

    /// Stacks the builders' rows in order into one matrix.
    static func concatenate(_ parts: [RowBuilder], columns: Int) -> SparseMatrix {
        var rowOffsets: [Int] = [0], columnIndices: [Int32] = [], values: [Float] = []
        let total = parts.reduce(0) { $0 + $1.values.count }
        columnIndices.reserveCapacity(total)
        values.reserveCapacity(total)
        for part in parts {
            let base = columnIndices.count
            rowOffsets.append(contentsOf: part.rowOffsets.dropFirst().map { $0 + base })
            columnIndices.append(contentsOf: part.columnIndices)
            values.append(contentsOf: part.values)
        }
        return SparseMatrix(rows: rowOffsets.count - 1, columns: columns, rowOffsets: rowOffsets,
                            columnIndices: columnIndices, values: values)
    }
}

/// In-place ascending sort of a short Int32 buffer (a row's columns): quicksort, insertion sort below 24.
func sortAscending(_ values: UnsafeMutableBufferPointer<Int32>) {
    var low = 0, high = values.count - 1
    while high - low >= 24 {
        let middle = low + (high - low) / 2
        // Median of three as pivot.
        if values[middle] < values[low] { values.swapAt(middle, low) }
        if values[high] < values[low] { values.swapAt(high, low) }
        if values[high] < values[middle] { values.swapAt(high, middle) }
        let pivot = values[middle]
        var left = low, right = high
        while left <= right {
            while values[left] < pivot { left += 1 }
            while values[right] > pivot { right -= 1 }
            if left <= right { values.swapAt(left, right); left += 1; right -= 1 }
        }
        // Recurse into the smaller part, loop on the larger.
        if right - low < high - left {
            if right > low { sortAscending(UnsafeMutableBufferPointer(rebasing: values[low...right])) }
            low = left
        } else {
            if high > left { sortAscending(UnsafeMutableBufferPointer(rebasing: values[left...high])) }
            high = right
        }
    }
    if high > low {
        for index in (low + 1)...high {
            let value = values[index]
            var position = index - 1
            while position >= low && values[position] > value { values[position + 1] = values[position]; position -= 1 }
            values[position + 1] = value
        }
    }
}

/// In-place ascending LSD radix sort of non-negative values below 2^bits, 8 bits per pass (branch-free,
/// faster than comparison sorting for a long row's columns).
func radixSort(_ values: UnsafeMutableBufferPointer<Int32>, scratch: UnsafeMutableBufferPointer<Int32>, bits: Int) {
    var source = values, target = UnsafeMutableBufferPointer(rebasing: scratch[0..<values.count])
    var shift = 0
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { histogram in
    while shift < bits {
        for index in 0..<256 { histogram[index] = 0 }
        for value in source { histogram[Int((value >> Int32(shift)) & 0xFF)] += 1 }
        var total = 0
        for index in 0..<256 { let count = histogram[index]; histogram[index] = total; total += count }
        for value in source {
            let bucket = Int((value >> Int32(shift)) & 0xFF)
            target[histogram[bucket]] = value
            histogram[bucket] += 1
        }
        swap(&source, &target)
        shift += 8
    }
    }
    if source.baseAddress != values.baseAddress {
        for index in 0..<values.count { values[index] = source[index] }
    }
}
