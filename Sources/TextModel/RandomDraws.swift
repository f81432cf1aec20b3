// Float draws for initialisation and masking, on the project's SplitMix64 (Tensor/Random.swift):
// the numpy reference (tools/textmodel_reference.py) replays the same stream.
import Foundation
import Tensor

extension SplitMix64 {
    /// A uniform Float in [0, 1).
    mutating func nextUnit() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A normal sample with the given mean and standard deviation (Box–Muller).
    mutating func nextNormal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        let u1 = Double(next() >> 11) * 0x1p-53 + 0x1p-54
        let u2 = Double(next() >> 11) * 0x1p-53
        return mean + standardDeviation * Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }
}
