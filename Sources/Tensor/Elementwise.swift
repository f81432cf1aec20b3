// Binary elementwise ops with trailing broadcasting: b's shape is a suffix of a's (b may be [] or [1]
// treated as a scalar only when its shape is a suffix, e.g. [] always is). a [..., S], b [S] → [..., S].
// Gradients: d(a+b) = (G, ΣG), d(a−b) = (G, −ΣG), d(a·b) = (G·b, Σ G·a), d(a/b) = (G/b, −Σ G·a/b²),
// where Σ sums over the leading (broadcast) axes back to b's shape.

extension Tensor {
    /// Applies `combine` to each element of `a` and the matching element of the broadcast `b`.
    static func broadcasting(_ a: Tensor, _ b: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        precondition(a.shape.count >= b.shape.count && Array(a.shape.suffix(b.shape.count)) == b.shape,
                     "broadcast: \(b.shape) is not a trailing part of \(a.shape)")
        let inner = b.count
        let scalars = [Float](unsafeUninitializedCapacity: a.count) { output, initialized in
            a.scalars.withUnsafeBufferPointer { left in
                b.scalars.withUnsafeBufferPointer { right in
                    if inner == 0 { return }
                    var start = 0
                    while start < left.count {
                        for i in 0..<inner { output[start + i] = combine(left[start + i], right[i]) }
                        start += inner
                    }
                }
            }
            initialized = a.count
        }
        return Tensor(shape: a.shape, scalars: scalars)
    }

    /// Applies `transform` to every element.
    @inlinable
    public func map(_ transform: (Float) -> Float) -> Tensor {
        let scalars = [Float](unsafeUninitializedCapacity: count) { output, initialized in
            self.scalars.withUnsafeBufferPointer { input in
                for i in 0..<input.count { output[i] = transform(input[i]) }
            }
            initialized = count
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// Sums `gradient` over its leading axes down to the trailing `shape` (undoing a broadcast).
    static func sumToTrailing(_ gradient: Tensor, shape: [Int]) -> Tensor {
        if gradient.shape == shape { return gradient }
        let inner = elementCount(of: shape)
        var result = [Float](repeating: 0, count: inner)
        if inner == 0 { return Tensor(shape: shape, scalars: result) }
        gradient.scalars.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                var start = 0
                while start < source.count {
                    for i in 0..<inner { target[i] += source[start + i] }
                    start += inner
                }
            }
        }
        return Tensor(shape: shape, scalars: result)
    }

    /// a + b, b broadcast over a's leading axes.
    public static func + (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, +) }
    /// a − b, b broadcast over a's leading axes.
    public static func - (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, -) }
    /// a · b elementwise, b broadcast over a's leading axes.
    public static func * (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, *) }
    /// a / b elementwise, b broadcast over a's leading axes.
    public static func / (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, /) }
}

extension Tape {
    /// a + b; a [..., S], b [S] (or equal shapes) → [..., S].
    public func add(_ a: Variable, _ b: Variable) -> Variable {
        let bShape = shape(b)
        return record(value(a) + value(b), inputs: [a, b]) { gradient, _ in
            [gradient, Tensor.sumToTrailing(gradient, shape: bShape)]
        }
    }

    /// a − b; a [..., S], b [S] → [..., S].
    public func subtract(_ a: Variable, _ b: Variable) -> Variable {
        let bShape = shape(b)
        return record(value(a) - value(b), inputs: [a, b]) { gradient, _ in
            [gradient, Tensor.sumToTrailing(gradient, shape: bShape).map { -$0 }]
        }
    }

    /// a · b elementwise; a [..., S], b [S] → [..., S].
    public func multiply(_ a: Variable, _ b: Variable) -> Variable {
        let aValue = value(a), bValue = value(b)
        return record(aValue * bValue, inputs: [a, b]) { gradient, wanted in
            [wanted[0] ? gradient * bValue : nil,
             wanted[1] ? Tensor.sumToTrailing(gradient * aValue, shape: bValue.shape) : nil]
        }
    }

    /// a / b elementwise; a [..., S], b [S] → [..., S].
    public func divide(_ a: Variable, _ b: Variable) -> Variable {
        let aValue = value(a), bValue = value(b)
        return record(aValue / bValue, inputs: [a, b]) { gradient, wanted in
            let dA = gradient / bValue
            return [wanted[0] ? dA : nil,
                    wanted[1] ? Tensor.sumToTrailing(Tensor.broadcasting(dA * aValue, bValue) { -$0 / $1 }, shape: bValue.shape) : nil]
        }
    }
}
