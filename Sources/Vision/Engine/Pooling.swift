/// Pooling on NHWC activations.
public enum Pooling {
    /// The output shape of a k×k pool with `stride` and `padding` over `shape` [N, H, W, C].
    public static func outputShape(_ shape: FeatureMapShape, kernel: Int, stride: Int, padding: PaddingRule) -> FeatureMapShape {
        FeatureMapShape(batch: shape.batch, height: padding.resolve(input: shape.height, kernel: kernel, stride: stride).output,
                        width: padding.resolve(input: shape.width, kernel: kernel, stride: stride).output, channels: shape.channels)
    }

    /// Max pooling with a k×k window: `input` [N, H, W, C] → `output` [N, Ho, Wo, C]; padded cells are
    /// ignored (PyTorch semantics: −∞ padding). Returns the output shape.
    @discardableResult
    public static func max(
        _ input: UnsafePointer<Float>, shape: FeatureMapShape, output: UnsafeMutablePointer<Float>,
        kernel: Int, stride: Int, padding: PaddingRule
    ) -> FeatureMapShape {
        let rows = padding.resolve(input: shape.height, kernel: kernel, stride: stride)
        let columns = padding.resolve(input: shape.width, kernel: kernel, stride: stride)
        let outShape = outputShape(shape, kernel: kernel, stride: stride, padding: padding)
        let channels = shape.channels
        parallelChunks(outShape.batch * outShape.height) { outputRows in
            for outputRow in outputRows {
                let image = outputRow / outShape.height, oy = outputRow % outShape.height
                for ox in 0..<outShape.width {
                    let destination = output + (outputRow * outShape.width + ox) * channels
                    destination.update(repeating: -Float.infinity, count: channels)
                    for ky in 0..<kernel {
                        let iy = oy * stride - rows.leading + ky
                        if iy < 0 || iy >= shape.height { continue }
                        for kx in 0..<kernel {
                            let ix = ox * stride - columns.leading + kx
                            if ix < 0 || ix >= shape.width { continue }
                            let source = input + ((image * shape.height + iy) * shape.width + ix) * channels
                            for channel in 0..<channels {
                                destination[channel] = Swift.max(destination[channel], source[channel])
                            }
                        }
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
