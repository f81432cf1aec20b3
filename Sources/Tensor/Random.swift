// Small seeded generators so that every run with the same seed draws the same numbers on every platform
// (SystemRandomNumberGenerator is not seedable; Swift's Float.random(in:using:) may change between releases).
// SplitMix64 and xoshiro256** follow Vigna's reference C code (https://prng.di.unimi.it/).
import Foundation

/// SplitMix64: a 64-bit generator used to expand one seed into xoshiro's state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// xoshiro256**: the project's seeded generator, with uniform and Gaussian Float draws.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// A generator whose 256-bit state is four SplitMix64 outputs of `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A uniform Float in [lower, upper).
    public mutating func nextUniform(in lower: Float, _ upper: Float) -> Float { lower + (upper - lower) * nextUniform() }

    /// A standard normal draw (Box–Muller in Double, one value per two uniforms).
    public mutating func nextGaussian() -> Float {
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53   // (0, 1]: log is finite
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// A uniform integer in 0..<bound (bound > 0), by Lemire's multiply-shift (tiny bias for huge bounds).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "nextIndex(below:) needs a positive bound")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
