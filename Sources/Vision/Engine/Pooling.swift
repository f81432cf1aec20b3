/// Pooling on NHWC activations.
public enum Pooling {
    /// The output shape of a k×k pool with `stride` and `padding` over `shape` [N, H, W, C].
    public static func outputShape(_ shape: FeatureMapShape, kernel: Int, stride: Int, padding: PaddingRule) -> FeatureMapShape {
        FeatureMapShape(batch: shape.batch, height: padding.resolve(input: shape.height, kernel: kernel, stride: stride).output,
                        width: padding.resolve(input: shape.width, kernel: kernel, stride: stride).output, channels: shape.channels)
    }

    /// Max pooling with a k×k window: `input` [N, H, W, C] → `output` [N, Ho, Wo, C]; padded cells are
    /// ignored (PyTorch semantics: −∞ padding). Returns the output shape. Sixteen channels at a time stay in a register
    /// across the window: ResNet-50's 3×3/2 pool over 112²×64 took 0.22–0.25 ms per image with a scalar loop through
    /// the output, 0.09 this way (`animepop-bench vision --profile --each`, 2 threads, batch 1 and 8, AMD EPYC Zen 4).
    @discardableResult
    public static func max(
        _ input: UnsafePointer<Float>, shape: FeatureMapShape, output: UnsafeMutablePointer<Float>,
        kernel: Int, stride: Int, padding: PaddingRule
    ) -> FeatureMapShape {
        let rows = padding.resolve(input: shape.height, kernel: kernel, stride: stride)
        let columns = padding.resolve(input: shape.width, kernel: kernel, stride: stride)
        let outShape = outputShape(shape, kernel: kernel, stride: stride, padding: padding)
        let channels = shape.channels, vectors = channels / 16
        parallelChunks(outShape.batch * outShape.height) { outputRows in
            for outputRow in outputRows {
                let image = outputRow / outShape.height, oy = outputRow % outShape.height
                let firstRow = Swift.max(0, oy * stride - rows.leading), endRow = Swift.min(shape.height, oy * stride - rows.leading + kernel)
                for ox in 0..<outShape.width {
                    let destination = output + (outputRow * outShape.width + ox) * channels
                    let firstColumn = Swift.max(0, ox * stride - columns.leading)
                    let endColumn = Swift.min(shape.width, ox * stride - columns.leading + kernel)
                    /// Input pixel (iy, ix) of this image.
                    func pixel(_ iy: Int, _ ix: Int) -> UnsafePointer<Float> { input + ((image * shape.height + iy) * shape.width + ix) * channels }
                    // Sixteen channels at a time in a register across the window; the rest one by one. Either way a
                    // value replaces the maximum when it is at least as large, as `Swift.max` does.
                    for vector in 0..<vectors {
                        var maximum = Lanes16(repeating: -.infinity)
                        for iy in firstRow..<endRow {
                            for ix in firstColumn..<endColumn {
                                let value = load16(pixel(iy, ix) + 16 * vector)
                                maximum.replace(with: value, where: value .>= maximum)
                            }
                        }
                        store16(maximum, destination + 16 * vector)
                    }
                    for channel in (16 * vectors)..<channels {
                        var maximum = -Float.infinity
                        for iy in firstRow..<endRow {
                            for ix in firstColumn..<endColumn { maximum = Swift.max(maximum, pixel(iy, ix)[channel]) }
                        }
                        destination[channel] = maximum
                    }
                }
            }
        }
        return outShape
    }

    /// Global average pooling: `input` [N, H, W, C] → `output` [N, C] (mean over H·W, accumulated in Double).
    public static func globalAverage(_ input: UnsafePointer<Float>, shape: FeatureMapShape, output: UnsafeMutablePointer<Float>) {
        let pixels = shape.height * shape.width
        for image in 0..<shape.batch {
            var sums = [Double](repeating: 0, count: shape.channels)
            let base = input + image * pixels * shape.channels
            for pixel in 0..<pixels {
                for channel in 0..<shape.channels { sums[channel] += Double(base[pixel * shape.channels + channel]) }
            }
            for channel in 0..<shape.channels { output[image * shape.channels + channel] = Float(sums[channel] / Double(pixels)) }
        }
    }
}
