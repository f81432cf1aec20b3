// Transpose of the last two axes: x [..., R, C] → [..., C, R] (a copy; matmul takes transposes for free,
// so this is for layouts such as [B, T, H, D] ↔ [B, T, D, H]). Gradient: the same transpose of G.

extension Tensor {
    /// Swaps the last two axes: [..., R, C] → [..., C, R].
    public func transposedLastTwo() -> Tensor {
        precondition(rank >= 2, "transposedLastTwo: rank \(rank) < 2")
        let rows = shape[rank - 2], columns = shape[rank - 1], plane = rows * columns
        var newShape = shape
        newShape.swapAt(rank - 2, rank - 1)
        var result = [Float](repeating: 0, count: count)
        guard plane > 0 else { return Tensor(shape: newShape, scalars: result) }
        scalars.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                for start in stride(from: 0, to: input.count, by: plane) {
                    for r in 0..<rows {
                        for c in 0..<columns { output[start + c * rows + r] = input[start + r * columns + c] }
                    }
                }
            }
        }
        return Tensor(shape: newShape, scalars: result)
    }
}

extension Tape {
    /// Differentiable swap of the last two axes: [..., R, C] → [..., C, R].
    public func transposeLastTwo(_ x: Variable) -> Variable {
        record(value(x).transposedLastTwo(), inputs: [x]) { gradient, _ in [gradient.transposedLastTwo()] }
    }
}
