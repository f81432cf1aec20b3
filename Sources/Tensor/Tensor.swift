// Tensor — dense Float32 tensors, row-major, with a reverse-mode tape for training.
//
// Conventions (stated once for the module):
// - Storage is row-major: the last axis varies fastest. A tensor of shape [] holds one scalar.
// - Shape legend in doc comments: B batch, T tokens, C channels, V vocab; N, H, W, C for images (NHWC).
// - Every matrix product goes through the BLAS seam (`gemm`/`gemv` in BLAS.swift).
// - Broadcasting is trailing only: the right operand's shape is a suffix of the left one's (or []).
// - Each differentiable op lives in its own file: the plain forward on `Tensor`, and beside it the tape
//   op that records the gradient rule (see Tape.swift). Backward always accumulates (+=).
//
// Usage:
//     let tape = Tape()
//     let x = tape.constant(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
//     let w = tape.parameter(weights)             // [3, 4]
//     let loss = tape.meanSquaredError(tape.matmul(x, w), target: y)
//     tape.backward(loss)
//     let gradient = tape.gradient(of: w)         // [3, 4]

/// A dense Float32 tensor stored row-major.
public struct Tensor: Sendable, Equatable {
    /// Extent of each axis, outermost first; [] is a scalar.
    public var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// Wraps `scalars` (row-major) as a tensor of `shape`; the counts must agree.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        precondition(Tensor.elementCount(of: shape) == scalars.count,
                     "Tensor: shape \(shape) needs \(Tensor.elementCount(of: shape)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: Tensor.elementCount(of: shape)))
    }

    /// A tensor of `shape` filled with zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A rank-0 tensor holding `value`.
    public init(scalar value: Float) { self.init(shape: [], scalars: [value]) }

    /// Number of elements (the product of the shape).
    public var count: Int { scalars.count }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// The single element of a one-element tensor (any shape of count 1).
    public var scalar: Float {
        precondition(scalars.count == 1, "Tensor.scalar: tensor of shape \(shape) has \(scalars.count) elements")
        return scalars[0]
    }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, scalars: scalars) }

    /// Product of the extents of `shape` (1 for []).
    public static func elementCount(of shape: [Int]) -> Int { shape.reduce(1, *) }
}

extension Tensor {
    /// Splits `shape` around `axis` into (outer, axisExtent, inner) element counts.
    static func split(_ shape: [Int], at axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        precondition(axis >= 0 && axis < shape.count, "axis \(axis) out of range for shape \(shape)")
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    /// Normalizes a possibly negative axis (-1 is the last) against `rank`.
    static func normalize(axis: Int, rank: Int) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < rank, "axis \(axis) out of range for rank \(rank)")
        return resolved
    }
}
