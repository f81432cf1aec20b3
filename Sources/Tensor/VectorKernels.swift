// Row kernels with explicit SIMD accumulators. A plain `for` sum is a serial chain of dependent adds
// (the compiler may not reassociate floats); eight-lane partial sums let it run at memory speed.

/// Sum of `count` floats from `start`, in eight-lane partial sums.
@inline(__always)
func vectorSum(_ start: UnsafePointer<Float>, _ count: Int) -> Float {
    var partial = SIMD8<Float>()
    var index = 0
    let raw = UnsafeRawPointer(start)
    while index + 8 <= count {
        partial += raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    var total = partial.sum()
    while index < count { total += start[index]; index += 1 }
    return total
}

/// Σ (xᵢ − mean)² over `count` floats from `start`, in eight-lane partial sums.
@inline(__always)
func vectorSquaredDeviations(_ start: UnsafePointer<Float>, _ count: Int, mean: Float) -> Float {
    var partial = SIMD8<Float>()
    let center = SIMD8<Float>(repeating: mean)
    var index = 0
    let raw = UnsafeRawPointer(start)
    while index + 8 <= count {
        let deviation = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self) - center
        partial += deviation * deviation  // not addingProduct: without an FMA target that is 8 fmaf calls
        index += 8
    }
    var total = partial.sum()
    while index < count { let d = start[index] - mean; total += d * d; index += 1 }
    return total
}
