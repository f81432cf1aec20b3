/// One tensor of a checkpoint: its shape and its values, row-major, converted to Float32.
public struct CheckpointTensor: Sendable, Equatable {
    /// Dimensions, outermost first (PyTorch order, e.g. [Cout, Cin, kH, kW] for a conv weight).
    public var shape: [Int]
    /// Values in row-major order; `values.count` is the product of `shape`.
    public var values: [Float]

    /// A tensor from a shape and matching values.
    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}
