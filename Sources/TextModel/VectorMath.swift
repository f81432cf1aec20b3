// exp and tanh on 16 Floats at a time, for GELU and the softmaxes (glibc's scalar tanhf/expf dominated profiles).

/// Sixteen Floats, one AVX-512 register.
typealias Float16Lanes = SIMD16<Float>

/// Vectorized elementary functions with float32 accuracy (a few ulp), clamped so they never overflow.
enum VectorMath {
    /// e^x for each lane (Cephes `expf`: 2^n · p(r) with r = x − n·ln 2, |r| ≤ ½ ln 2); x is clamped to [−87, 88].
    @inline(__always)
    static func exp(_ x: Float16Lanes) -> Float16Lanes {
        let clamped = x.clamped(lowerBound: Float16Lanes(repeating: -87), upperBound: Float16Lanes(repeating: 88))
        // Round x·log2(e) to the nearest integer with the 1.5·2^23 trick; its low bits then hold n.
        let shifted = clamped * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = Float16Lanes(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * r * r + r + 1
        let exponent = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(exponent, to: Float16Lanes.self)
    }

    /// tanh(x) = 1 − 2/(e^{2x} + 1) for each lane (absolute error ~1e-7).
    @inline(__always)
    static func tanh(_ x: Float16Lanes) -> Float16Lanes {
        1 - 2 / (exp(2 * x) + 1)
    }

    /// Loads 16 Floats from `pointer` (any alignment), or `count` < 16 of them padded with `padding`.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>, count: Int = 16, padding: Float = 0) -> Float16Lanes {
        if count >= 16 { return UnsafeRawPointer(pointer).loadUnaligned(as: Float16Lanes.self) }
        var lanes = Float16Lanes(repeating: padding)
        for i in 0..<count { lanes[i] = pointer[i] }
        return lanes
    }

    /// Stores the first `count` (≤ 16) lanes to `pointer`.
    @inline(__always)
    static func store(_ lanes: Float16Lanes, to pointer: UnsafeMutablePointer<Float>, count: Int = 16) {
        if count >= 16 {
            UnsafeMutableRawPointer(pointer).storeBytes(of: lanes, as: Float16Lanes.self)
        } else {
            for i in 0..<count { pointer[i] = lanes[i] }
        }
    }
}

extension VectorMath {
    /// In-place softmax of one row of `count` Floats; with `valid`, columns where valid = 0 get probability 0
    /// (a row with no valid column becomes all zeros).
    static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int, valid: UnsafePointer<Float>? = nil) {
        var maximumLanes = Float16Lanes(repeating: -.infinity)
        var start = 0
        while start < count {
            let lanes = min(16, count - start)
            var x = load(row + start, count: lanes, padding: -.infinity)
            if let valid { x.replace(with: -.infinity, where: load(valid + start, count: lanes) .== 0) }
            maximumLanes = pointwiseMax(maximumLanes, x)
            start += 16
        }
        let maximum = maximumLanes.max()
        guard maximum > -.infinity else {
            row.update(repeating: 0, count: count)
            return
        }
        var sumLanes = Float16Lanes(repeating: 0)
        start = 0
        while start < count {
            let lanes = min(16, count - start)
            var e = exp(load(row + start, count: lanes) - maximum)
            if let valid { e *= load(valid + start, count: lanes) }
            if lanes < 16 { for i in lanes..<16 { e[i] = 0 } }
            sumLanes += e
            store(e, to: row + start, count: lanes)
            start += 16
        }
        let inverse = 1 / sumLanes.sum()
        start = 0
        while start < count {
            let lanes = min(16, count - start)
            store(load(row + start, count: lanes) * inverse, to: row + start, count: lanes)
            start += 16
        }
    }
}
