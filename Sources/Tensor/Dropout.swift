// Inverted dropout: each element is zeroed with probability p, survivors scaled by 1/(1−p), so the
// expectation is unchanged and evaluation needs no rescaling. x [...] → [...].
// The mask is drawn from the caller's seeded generator; gradient: G ⊙ mask (mask ∈ {0, 1/(1−p)}).

extension Tensor {
    /// A dropout mask of `shape`: 0 with probability `probability`, else 1/(1−probability).
    public static func dropoutMask(_ shape: [Int], probability: Float, generator: inout SeededGenerator) -> Tensor {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) must be in [0, 1)")
        let keep = 1 / (1 - probability)
        return Tensor(shape: shape, scalars: (0..<elementCount(of: shape)).map { _ in
            generator.nextUniform() < probability ? 0 : keep
        })
    }
}

extension Tape {
    /// Dropout with a mask from `generator`; identity (no draws) when `probability` is 0. [...] → [...].
    public func dropout(_ x: Variable, probability: Float, generator: inout SeededGenerator) -> Variable {
        if probability == 0 { return x }
        let mask = Tensor.dropoutMask(shape(x), probability: probability, generator: &generator)
        return record(value(x) * mask, inputs: [x]) { gradient, _ in [gradient * mask] }
    }
}
