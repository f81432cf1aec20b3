// Finite-difference helpers shared by the gradient tests (central differences, sums in Double).
import Tensor
@testable import TextModel

/// Central-difference gradient of `loss` with respect to every element of `values` (or those in `indices`).
func numericalGradient(_ values: [Float], step: Float, indices: [Int]? = nil, loss: ([Float]) -> Double) -> [Double] {
    var perturbed = values
    return (indices ?? Array(values.indices)).map { i in
        perturbed[i] = values[i] + step
        let plus = loss(perturbed)
        perturbed[i] = values[i] - step
        let minus = loss(perturbed)
        perturbed[i] = values[i]
        return (plus - minus) / Double(2 * step)
    }
}

/// ‖a − b‖ / max(‖a‖, ‖b‖): the norm-wise relative error (robust to tiny entries).
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "relativeError: \(a.count) vs \(b.count) values")
    var difference = 0.0, normA = 0.0, normB = 0.0
    for (x, y) in zip(a, b) {
        difference += (x - y) * (x - y)
        normA += x * x
        normB += y * y
    }
    let scale = max(normA, normB).squareRoot()
    return scale == 0 ? 0 : difference.squareRoot() / scale
}

/// Σ outputᵢ · weightᵢ in Double: the scalar whose gradient the layer tests check (d/d output = weight).
func weightedSum(_ output: [Float], _ weight: [Float]) -> Double {
    zip(output, weight).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

/// Seeded pseudo-random Floats in a symmetric range, for test inputs.
func randomValues(_ count: Int, scale: Float = 1, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in (generator.nextUniform() * 2 - 1) * scale }
}

/// Widens Floats to Doubles for comparisons.
func doubles(_ values: [Float]) -> [Double] { values.map(Double.init) }
