// Reductions along one axis (the axis is removed) or over everything (→ shape []).
//   x [A..., R, I...] → [A..., I...]. Negative axes count from the end.
// Gradients: sum broadcasts G back along the axis; mean also divides by R;
//   max routes G to the first maximal element (ties: the first wins; not differentiable at ties).

extension Tensor {
    /// Folds the `axis` of `x` with `body(accumulator, element)`, starting from `initial`.
    static func reduce(_ x: Tensor, axis: Int, initial: Float, _ body: (Float, Float) -> Float) -> Tensor {
        let axis = normalize(axis: axis, rank: x.rank)
        let (outer, extent, inner) = split(x.shape, at: axis)
        var shape = x.shape
        shape.remove(at: axis)
        var result = [Float](repeating: initial, count: outer * inner)
        x.scalars.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                for o in 0..<outer {
                    for r in 0..<extent {
                        let row = (o * extent + r) * inner
                        for i in 0..<inner { output[o * inner + i] = body(output[o * inner + i], input[row + i]) }
                    }
                }
            }
        }
        return Tensor(shape: shape, scalars: result)
    }

    /// Sum along `axis` (removed).
    public func sum(axis: Int) -> Tensor { Tensor.reduce(self, axis: axis, initial: 0, +) }

    /// Mean along `axis` (removed).
    public func mean(axis: Int) -> Tensor {
        let extent = Float(shape[Tensor.normalize(axis: axis, rank: rank)])
        return sum(axis: axis).map { $0 / extent }
    }

    /// Maximum along `axis` (removed); -∞ for an empty axis.
    public func max(axis: Int) -> Tensor { Tensor.reduce(self, axis: axis, initial: -.infinity) { Swift.max($0, $1) } }

    /// Sum of all elements, accumulated in Double, as shape [].
    public func sum() -> Tensor { Tensor(scalar: Float(scalars.reduce(0.0) { $0 + Double($1) })) }

    /// Mean of all elements as shape [] (NaN when empty).
    public func mean() -> Tensor { Tensor(scalar: Float(scalars.reduce(0.0) { $0 + Double($1) } / Double(count))) }

    /// Repeats `gradient` (x's shape without `axis`) along `axis`, times `factor`, into x's shape.
    static func expand(_ gradient: Tensor, along axis: Int, to shape: [Int], factor: Float) -> Tensor {
        let (outer, extent, inner) = split(shape, at: axis)
        var result = [Float](repeating: 0, count: elementCount(of: shape))
        gradient.scalars.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for o in 0..<outer {
                    for r in 0..<extent {
                        for i in 0..<inner { target[(o * extent + r) * inner + i] = factor * source[o * inner + i] }
                    }
                }
            }
        }
        return Tensor(shape: shape, scalars: result)
    }
}

extension Tape {
    /// Sum along `axis`: [A..., R, I...] → [A..., I...].
    public func sum(_ x: Variable, axis: Int) -> Variable {
        let inputShape = shape(x), resolved = Tensor.normalize(axis: axis, rank: inputShape.count)
        return record(value(x).sum(axis: resolved), inputs: [x]) { gradient, _ in
            [Tensor.expand(gradient, along: resolved, to: inputShape, factor: 1)]
        }
    }

    /// Mean along `axis`: [A..., R, I...] → [A..., I...].
    public func mean(_ x: Variable, axis: Int) -> Variable {
        let inputShape = shape(x), resolved = Tensor.normalize(axis: axis, rank: inputShape.count)
        return record(value(x).mean(axis: resolved), inputs: [x]) { gradient, _ in
            [Tensor.expand(gradient, along: resolved, to: inputShape, factor: 1 / Float(inputShape[resolved]))]
        }
    }

    /// Maximum along `axis`: [A..., R, I...] → [A..., I...]; the gradient goes to the first maximum.
    public func max(_ x: Variable, axis: Int) -> Variable {
        let input = value(x), resolved = Tensor.normalize(axis: axis, rank: input.rank)
        let output = input.max(axis: resolved)
        return record(output, inputs: [x]) { gradient, _ in
            let (outer, extent, inner) = Tensor.split(input.shape, at: resolved)
            var result = [Float](repeating: 0, count: input.count)
            for o in 0..<outer {
                for i in 0..<inner {
                    for r in 0..<extent where input.scalars[(o * extent + r) * inner + i] == output.scalars[o * inner + i] {
                        result[(o * extent + r) * inner + i] = gradient.scalars[o * inner + i]
                        break
                    }
                }
            }
            return [Tensor(shape: input.shape, scalars: result)]
        }
    }

    /// Sum of all elements → [].
    public func sum(_ x: Variable) -> Variable {
        let inputShape = shape(x)
        return record(value(x).sum(), inputs: [x]) { gradient, _ in [Tensor(shape: inputShape, repeating: gradient.scalar)] }
    }

    /// Mean of all elements → [].
    public func mean(_ x: Variable) -> Variable {
        let inputShape = shape(x), count = Float(Tensor.elementCount(of: inputShape))
        return record(value(x).mean(), inputs: [x]) { gradient, _ in
            [Tensor(shape: inputShape, repeating: gradient.scalar / count)]
        }
    }
}
