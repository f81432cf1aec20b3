// Unary elementwise ops; x [...] → [...].
// Gradients: d(s·x) = s·G, d(exp x) = G·exp x, d(log x) = G / x.
import Foundation

extension Tape {
    /// x · factor for a constant factor.
    public func scale(_ x: Variable, by factor: Float) -> Variable {
        record(value(x).map { $0 * factor }, inputs: [x]) { gradient, _ in [gradient.map { $0 * factor }] }
    }

    /// e^x elementwise.
    public func exp(_ x: Variable) -> Variable {
        let output = value(x).map { Foundation.exp($0) }
        return record(output, inputs: [x]) { gradient, _ in [gradient * output] }
    }

    /// Natural logarithm elementwise (x > 0).
    public func log(_ x: Variable) -> Variable {
        let input = value(x)
        return record(input.map { Foundation.log($0) }, inputs: [x]) { gradient, _ in [gradient / input] }
    }
}
