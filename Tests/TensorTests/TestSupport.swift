// Shared helpers: closeness checks that report shape first, then the worst element; the
// finite-difference gradient checker; seeded test inputs; fixture loading.
import Foundation
import Testing
@testable import Tensor

/// Largest |a − b| over elements, or +∞ when the shapes differ.
func maximumDifference(_ a: Tensor, _ b: Tensor) -> Float {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.scalars, b.scalars).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
}

/// Expects equal shapes and |a − b| ≤ atol + rtol·|b| elementwise, reporting the worst element.
func expectClose(_ actual: Tensor, _ expected: Tensor, absolute: Float = 1e-5, relative: Float = 1e-4,
                 _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, "\(label): shape \(actual.shape) vs expected \(expected.shape)",
            sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    var worst = (index: -1, excess: Float(0))
    for (index, (a, e)) in zip(actual.scalars, expected.scalars).enumerated() {
        let excess = abs(a - e) - (absolute + relative * abs(e))
        if excess > worst.excess || a.isNaN != e.isNaN { worst = (index, Swift.max(excess, 1)) }
    }
    let found = worst.index >= 0 ? actual.scalars[worst.index] : 0
    let wanted = worst.index >= 0 ? expected.scalars[worst.index] : 0
    #expect(worst.index < 0, "\(label): element \(worst.index) is \(found), expected \(wanted)", sourceLocation: sourceLocation)
}

/// Normal(0, scale) test data from a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.normal(shape, standardDeviation: scale, generator: &generator)
}

/// Values bounded away from 0 (|x| ≥ margin), for ops with a kink there (ReLU).
func awayFromZero(_ shape: [Int], seed: UInt64, margin: Float = 0.1) -> Tensor {
    randomTensor(shape, seed: seed).map { $0 >= 0 ? $0 + margin : $0 - margin }
}

/// Distinct values spaced 0.05 apart in a seeded order, so a max has no near-ties.
func distinctValues(_ shape: [Int], seed: UInt64) -> Tensor {
    let count = Tensor.elementCount(of: shape)
    var generator = SeededGenerator(seed: seed)
    var values = (0..<count).map { Float($0) * 0.05 - Float(count) * 0.025 }
    for index in stride(from: count - 1, to: 0, by: -1) { values.swapAt(index, generator.nextIndex(below: index + 1)) }
    return Tensor(shape: shape, scalars: values)
}

/// Result of comparing an analytic gradient with central finite differences.
struct GradientCheck {
    /// ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖, 1e-3) over the checked elements, per input.
    var relativeErrors: [Double]
    /// Elements compared per input.
    var checkedCounts: [Int]
}

/// Checks the tape gradient of `op` against central differences of L = Σ op(inputs) ⊙ R (R fixed random),
/// with sums in Double. Large inputs are checked on `sampleLimit` seeded positions.
func checkGradient(_ inputs: [Tensor], epsilon: Float = 1e-2, sampleLimit: Int = 64,
                   _ op: (Tape, [Variable]) -> Variable) -> GradientCheck {
    let probeTape = Tape()
    let outputShape = probeTape.value(op(probeTape, inputs.map { probeTape.constant($0) })).count
    let projection = randomTensor([outputShape], seed: 99)

    func loss(_ values: [Tensor]) -> Double {
        let tape = Tape()
        let output = tape.value(op(tape, values.map { tape.constant($0) }))
        return zip(output.scalars, projection.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    let tape = Tape()
    let variables = inputs.map { tape.parameter($0) }
    let output = op(tape, variables)
    tape.backward(output, seed: projection.reshaped(tape.shape(output)))

    var errors: [Double] = [], counts: [Int] = []
    var generator = SeededGenerator(seed: 5)
    for (index, input) in inputs.enumerated() {
        let analytic = tape.gradient(of: variables[index])
        let positions = input.count <= sampleLimit
            ? Array(0..<input.count) : (0..<sampleLimit).map { _ in generator.nextIndex(below: input.count) }
        var difference = 0.0, analyticNorm = 0.0, numericNorm = 0.0
        for position in positions {
            var values = inputs
            values[index].scalars[position] = input.scalars[position] + epsilon
            let plus = loss(values)
            values[index].scalars[position] = input.scalars[position] - epsilon
            let minus = loss(values)
            // Divide by the step actually taken in Float32.
            let step = Double(input.scalars[position] + epsilon) - Double(input.scalars[position] - epsilon)
            let numeric = (plus - minus) / step
            let exact = Double(analytic.scalars[position])
            difference += (exact - numeric) * (exact - numeric)
            analyticNorm += exact * exact
            numericNorm += numeric * numeric
        }
        let scale = Swift.max(analyticNorm.squareRoot(), numericNorm.squareRoot())
        // Floor on the scale: where the true gradient vanishes (e.g. layer norm over 2 values) compare absolutely.
        errors.append(difference.squareRoot() / Swift.max(scale, 1e-3))
        counts.append(positions.count)
    }
    return GradientCheck(relativeErrors: errors, checkedCounts: counts)
}

/// Expects every input's relative gradient error to be ≤ `tolerance`.
func expectGradient(_ label: String, _ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Double = 1e-3,
                    sourceLocation: SourceLocation = #_sourceLocation, _ op: (Tape, [Variable]) -> Variable) {
    let result = checkGradient(inputs, epsilon: epsilon, op)
    for (index, error) in result.relativeErrors.enumerated() {
        #expect(error <= tolerance, "\(label) input \(index) \(inputs[index].shape): relative error \(error)",
                sourceLocation: sourceLocation)
    }
}

/// URL of a committed fixture file.
func fixtureURL(_ name: String, _ ext: String) throws -> URL {
    try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"),
                 "missing fixture \(name).\(ext)")
}

/// A fresh path in the temporary directory.
func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("tensor-tests-\(UUID().uuidString)-\(name)")
}
