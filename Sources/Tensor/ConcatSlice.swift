// Concatenation and slicing along one axis (negative axes count from the end).
//   concat: xᵢ [A..., Lᵢ, I...] → [A..., ΣLᵢ, I...];  gradient: G sliced back into each part.
//   slice:  x [A..., L, I...], range r ⊆ 0..<L → [A..., |r|, I...];  gradient: G placed in r, zeros elsewhere.

extension Tensor {
    /// Joins `parts` along `axis`; all other extents must agree.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat: no tensors")
        let axis = normalize(axis: axis, rank: parts[0].rank)
        var shape = parts[0].shape
        shape[axis] = 0
        for part in parts {
            var other = part.shape
            precondition(other.count == shape.count, "concat: ranks differ: \(parts.map(\.shape))")
            other[axis] = 0
            precondition(other == shape, "concat: shapes differ off axis \(axis): \(parts.map(\.shape))")
        }
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let (outer, _, inner) = split(shape, at: axis)
        var result: [Float] = []
        result.reserveCapacity(elementCount(of: shape))
        for o in 0..<outer {
            for part in parts {
                let run = part.shape[axis] * inner
                result.append(contentsOf: part.scalars[(o * run)..<((o + 1) * run)])
            }
        }
        return Tensor(shape: shape, scalars: result)
    }

    /// The elements at positions `range` of `axis`.
    public func slice(axis: Int, range: Range<Int>) -> Tensor {
        let axis = Tensor.normalize(axis: axis, rank: rank)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis],
                     "slice: range \(range) outside 0..<\(shape[axis]) on axis \(axis) of \(shape)")
        let (outer, extent, inner) = Tensor.split(shape, at: axis)
        var newShape = shape
        newShape[axis] = range.count
        var result: [Float] = []
        result.reserveCapacity(Tensor.elementCount(of: newShape))
        for o in 0..<outer {
            let start = (o * extent + range.lowerBound) * inner
            result.append(contentsOf: scalars[start..<(start + range.count * inner)])
        }
        return Tensor(shape: newShape, scalars: result)
    }
}

extension Tape {
    /// Differentiable concatenation along `axis`.
    public func concat(_ parts: [Variable], axis: Int) -> Variable {
        let values = parts.map { value($0) }
        let output = Tensor.concat(values, axis: axis)
        let resolved = Tensor.normalize(axis: axis, rank: output.rank)
        return record(output, inputs: parts) { gradient, wanted in
            var offset = 0
            return values.indices.map { index in
                let extent = values[index].shape[resolved]
                defer { offset += extent }
                return wanted[index] ? gradient.slice(axis: resolved, range: offset..<(offset + extent)) : nil
            }
        }
    }

    /// Differentiable slice of `range` along `axis`.
    public func slice(_ x: Variable, axis: Int, range: Range<Int>) -> Variable {
        let input = value(x), resolved = Tensor.normalize(axis: axis, rank: input.rank)
        return record(input.slice(axis: resolved, range: range), inputs: [x]) { gradient, _ in
            let (outer, extent, inner) = Tensor.split(input.shape, at: resolved)
            var result = [Float](repeating: 0, count: input.count)
            let run = range.count * inner
            for o in 0..<outer {
                let start = (o * extent + range.lowerBound) * inner
                for i in 0..<run { result[start + i] = gradient.scalars[o * run + i] }
            }
            return [Tensor(shape: input.shape, scalars: result)]
        }
    }

    /// The same elements with another shape of equal count; gradient reshaped back.
    public func reshape(_ x: Variable, to newShape: [Int]) -> Variable {
        let inputShape = shape(x)
        return record(value(x).reshaped(newShape), inputs: [x]) { gradient, _ in [gradient.reshaped(inputShape)] }
    }
}
