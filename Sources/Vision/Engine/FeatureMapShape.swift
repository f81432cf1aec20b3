/// The shape of an NHWC activation: N images of H×W pixels with C channels, stored contiguously.
public struct FeatureMapShape: Sendable, Equatable {
    /// N: images in the batch.
    public var batch: Int
    /// H: rows.
    public var height: Int
    /// W: columns.
    public var width: Int
    /// C: channels (fastest-varying).
    public var channels: Int

    /// A shape from its four dimensions.
    public init(batch: Int, height: Int, width: Int, channels: Int) {
        self.batch = batch
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// N·H·W, the number of pixels (rows of the GEMM view).
    public var pixels: Int { batch * height * width }
    /// N·H·W·C, the number of floats.
    public var count: Int { pixels * channels }
}
