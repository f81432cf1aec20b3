// exp and tanh as branch-free scalar code that LLVM vectorizes inside plain loops (glibc's expf/tanhf calls
// dominated the profile; Swift's generic SIMD types compiled to scalar lane code here).

/// Elementary functions with float32 accuracy (a few ulp), clamped so they never overflow.
enum VectorMath {
    /// e^x (Cephes `expf`: 2^n · p(r) with r = x − n·ln 2, |r| ≤ ½ ln 2); x is clamped to [−87, 88].
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87), 88)
        // Round x·log2(e) to the nearest integer with the 1.5·2^23 trick; the low bits of `shifted` then hold n.
        let shifted = clamped * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * r * r + r + 1
        return p * Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
    }

    /// tanh(x) = 1 − 2/(e^{2x} + 1) (absolute error ~1e-7).
    @inline(__always)
    static func tanh(_ x: Float) -> Float { 1 - 2 / (exp(2 * x) + 1) }

    /// In-place softmax of one row of `count` Floats; with `valid`, columns where valid = 0 get probability 0
    /// (a row with no valid column becomes all zeros).
    static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int, valid: UnsafePointer<Float>? = nil) {
        var maximum = -Float.infinity
        if let valid {
            for j in 0..<count { maximum = Swift.max(maximum, valid[j] != 0 ? row[j] : -.infinity) }
        } else {
            maximum = Self.maximum(row, count: count)
        }
        guard maximum > -.infinity else {
            row.update(repeating: 0, count: count)
            return
        }
        if let valid {
            // A product rather than a branch keeps the loop vectorizable; exp is clamped, so 0 · e^x is 0.
            for j in 0..<count { row[j] = exp(row[j] - maximum) * valid[j] }
        } else {
            for j in 0..<count { row[j] = exp(row[j] - maximum) }
        }
        let inverse = 1 / sum(row, count: count)
        for j in 0..<count { row[j] *= inverse }
    }

    /// max(values[0..<count]) (−∞ when empty) with four running maxima, so the loop vectorizes.
    @inline(__always)
    static func maximum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var m0 = -Float.infinity, m1 = -Float.infinity, m2 = -Float.infinity, m3 = -Float.infinity
        var j = 0
        while j + 4 <= count {
            m0 = values[j] > m0 ? values[j] : m0
            m1 = values[j + 1] > m1 ? values[j + 1] : m1
            m2 = values[j + 2] > m2 ? values[j + 2] : m2
            m3 = values[j + 3] > m3 ? values[j + 3] : m3
            j += 4
        }
        while j < count { m0 = values[j] > m0 ? values[j] : m0; j += 1 }
        return Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
    }

    /// Σ values[0..<count] with four running sums (independent chains keep the adds pipelined).
    @inline(__always)
    static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var j = 0
        while j + 4 <= count {
            s0 += values[j]; s1 += values[j + 1]; s2 += values[j + 2]; s3 += values[j + 3]
            j += 4
        }
        while j < count { s0 += values[j]; j += 1 }
        return (s0 + s1) + (s2 + s3)
    }
}
