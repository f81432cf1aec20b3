/// A depthwise 2-D convolution (one k×k filter per channel) on NHWC activations, computed directly with
/// SIMD over channels; BN folded in, activation fused.
public struct DepthwiseConvolution: Sendable {
    /// C (input = output channels).
    public let channels: Int
    /// kH = kW.
    public let kernel: Int
    /// Stride along both axes.
    public let stride: Int
    /// Padding rule.
    public let padding: PaddingRule
    /// Nonlinearity after bias.
    public let activation: Activation
    /// [kH, kW, C].
    let weights: [Float]
    /// [C].
    let bias: [Float]

    /// A depthwise conv from engine-layout weights ([kH, kW, C]) and bias ([C]).
    public init(channels: Int, kernel: Int, stride: Int, padding: PaddingRule, activation: Activation,
                weights: [Float], bias: [Float]) {
        precondition(weights.count == kernel * kernel * channels && bias.count == channels,
                     "depthwise weights do not match their declared shape")
        self.channels = channels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.weights = weights
        self.bias = bias
    }

    /// The output shape for an input shape.
    public func outputShape(_ input: FeatureMapShape) -> FeatureMapShape {
        FeatureMapShape(batch: input.batch,
                        height: padding.resolve(input: input.height, kernel: kernel, stride: stride).output,
                        width: padding.resolve(input: input.width, kernel: kernel, stride: stride).output,
                        channels: channels)
    }

    /// y[n, oy, ox, c] = act(bias[c] + Σ w[ky, kx, c] · x[n, oy·s − top + ky, ox·s − left + kx, c]).
    /// `input` [N, H, W, C] → `output` [N, Ho, Wo, C]; returns the output shape.
    ///
    /// Columns whose taps all lie inside the image go four at a time (`fourColumns`): each weight vector is
    /// loaded once for four outputs, which takes the loop from two loads per FMA to five per four. The edges go
    /// one at a time (`oneColumn`), skipping the taps that fall in the padding.
    @discardableResult
    public func forward(_ input: UnsafePointer<Float>, shape: FeatureMapShape, output: UnsafeMutablePointer<Float>) -> FeatureMapShape {
        let outShape = outputShape(shape)
        let top = padding.resolve(input: shape.height, kernel: kernel, stride: stride).leading
        let left = padding.resolve(input: shape.width, kernel: kernel, stride: stride).leading
        // Output columns with every tap inside the image: ox·s − left ≥ 0 and ox·s − left + k ≤ W.
        let interiorStart = (left + stride - 1) / stride
        let interiorEnd = max(interiorStart, shape.width + left - kernel >= 0 ? (shape.width + left - kernel) / stride + 1 : 0)
        weights.withUnsafeBufferPointer { weightBuffer in
            bias.withUnsafeBufferPointer { biasBuffer in
                guard let weightBase = weightBuffer.baseAddress, let biasBase = biasBuffer.baseAddress else { return }
                parallelChunks(outShape.batch * outShape.height) { outputRows in
                    for outputRow in outputRows {
                        let image = outputRow / outShape.height, oy = outputRow % outShape.height
                        let row = OutputRow(
                            image: input + image * shape.height * shape.width * channels,
                            output: output + outputRow * outShape.width * channels,
                            inputY: oy * stride - top, left: left, inputWidth: shape.width,
                            // Taps inside the image along y for this row.
                            taps: max(0, top - oy * stride)..<max(max(0, top - oy * stride), min(kernel, shape.height + top - oy * stride)))
                        var ox = 0
                        while ox < outShape.width {
                            if ox >= interiorStart && ox + 4 <= min(interiorEnd, outShape.width) {
                                fourColumns(row, ox: ox, weights: weightBase, bias: biasBase)
                                ox += 4
                            } else {
                                oneColumn(row, ox: ox, weights: weightBase, bias: biasBase)
                                ox += 1
                            }
                        }
                    }
                }
            }
        }
        return outShape
    }

    /// Where one output row reads and writes.
    private struct OutputRow {
        /// The image's first input pixel.
        let image: UnsafePointer<Float>
        /// The row's first output pixel.
        let output: UnsafeMutablePointer<Float>
        /// Input row of tap ky = 0 (may be negative).
        let inputY: Int
        /// Padding before the first input column.
        let left: Int
        /// W.
        let inputWidth: Int
        /// The taps ky that fall inside the image.
        let taps: Range<Int>
    }

    /// Where output column `ox` reads: the offset of its window's tap (0, 0) from the image's first value (may be
    /// negative; only in-image taps are read) and the taps kx that fall inside the image.
    @inline(__always)
    private func window(_ row: OutputRow, ox: Int) -> (origin: Int, taps: Range<Int>) {
        let firstX = max(0, row.left - ox * stride), lastX = max(firstX, min(kernel, row.inputWidth + row.left - ox * stride))
        return ((row.inputY * row.inputWidth + (ox * stride - row.left)) * channels, firstX..<lastX)
    }

    /// Output column `ox` alone, any column (taps outside the image along x are skipped).
    @inline(__always)
    private func oneColumn(_ row: OutputRow, ox: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>) {
        let (origin, columnTaps) = window(row, ox: ox)
        let destination = row.output + ox * channels
        var channel = 0
        // Sixteen channels at a time (one AVX-512 register), all taps fused-multiply-added in a register, one store.
        while channel + 16 <= channels {
            var sum = load16(bias + channel)
            for ky in row.taps {
                for kx in columnTaps {
                    sum = sum.addingProduct(load16(row.image + (origin + (ky * row.inputWidth + kx) * channels + channel)),
                                            load16(weights + (ky * kernel + kx) * channels + channel))
                }
            }
            store16(activate16(sum, activation), destination + channel)
            channel += 16
        }
        remainderChannels(row, ox: ox, from: channel, weights: weights, bias: bias)
    }

    /// Channels [first, C) of output column `ox`, one at a time (C is not a multiple of 16 only in tests).
    private func remainderChannels(_ row: OutputRow, ox: Int, from first: Int, weights: UnsafePointer<Float>,
                                   bias: UnsafePointer<Float>) {
        let (origin, columnTaps) = window(row, ox: ox)
        let destination = row.output + ox * channels
        for channel in first..<max(first, channels) {
            var sum = bias[channel]
            for ky in row.taps {
                for kx in columnTaps {
                    sum += row.image[origin + (ky * row.inputWidth + kx) * channels + channel] * weights[(ky * kernel + kx) * channels + channel]
                }
            }
            destination[channel] = sum
            applyActivation(destination + channel, count: 1, activation)
        }
    }

    /// Output columns ox…ox+3, all of whose taps lie inside the image along x: one weight load per tap serves four outputs.
    @inline(__always)
    private func fourColumns(_ row: OutputRow, ox: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>) {
        let destination = row.output + ox * channels
        let origin = window(row, ox: ox).origin
        let step = stride * channels   // from one output column's window to the next
        var channel = 0
        while channel + 16 <= channels {
            let b = load16(bias + channel)
            var s0 = b, s1 = b, s2 = b, s3 = b
            for ky in row.taps {
                let source = row.image + (origin + ky * row.inputWidth * channels + channel)
                let taps = weights + ky * kernel * channels + channel
                for kx in 0..<kernel {
                    let w = load16(taps + kx * channels), x = source + kx * channels
                    s0 = s0.addingProduct(load16(x), w)
                    s1 = s1.addingProduct(load16(x + step), w)
                    s2 = s2.addingProduct(load16(x + 2 * step), w)
                    s3 = s3.addingProduct(load16(x + 3 * step), w)
                }
            }
            store16(activate16(s0, activation), destination + channel)
            store16(activate16(s1, activation), destination + channels + channel)
            store16(activate16(s2, activation), destination + 2 * channels + channel)
            store16(activate16(s3, activation), destination + 3 * channels + channel)
            channel += 16
        }
        if channel < channels {
            // Channels past the last multiple of 16: column by column (the general path reads only these).
            for column in 0..<4 { remainderChannels(row, ox: ox + column, from: channel, weights: weights, bias: bias) }
        }
    }
}
