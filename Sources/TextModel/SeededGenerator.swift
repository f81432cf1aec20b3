// A small seeded random generator, identical on every platform (SplitMix64).
import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): a seeded, reproducible `RandomNumberGenerator`.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1).
    public mutating func nextUnit() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A normal sample with the given mean and standard deviation (Box–Muller).
    public mutating func nextNormal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        let u1 = Double(next() >> 11) * 0x1p-53 + 0x1p-54
        let u2 = Double(next() >> 11) * 0x1p-53
        return mean + standardDeviation * Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }
}
