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
    @discardableResult
    public func forward(_ input: UnsafePointer<Float>, shape: FeatureMapShape, output: UnsafeMutablePointer<Float>) -> FeatureMapShape {
        let outShape = outputShape(shape)
        let top = padding.resolve(input: shape.height, kernel: kernel, stride: stride).leading
        let left = padding.resolve(input: shape.width, kernel: kernel, stride: stride).leading
        let channels = channels, kernel = kernel, stride = stride, activation = activation
        weights.withUnsafeBufferPointer { weightBuffer in
            bias.withUnsafeBufferPointer { biasBuffer in
                guard let weightBase = weightBuffer.baseAddress, let biasBase = biasBuffer.baseAddress else { return }
                parallelChunks(outShape.batch * outShape.height) { outputRows in
                    for outputRow in outputRows {
                        let image = outputRow / outShape.height, oy = outputRow % outShape.height
                        let imageBase = input + image * shape.height * shape.width * channels
                        // Taps inside the image along y for this row, along x per column.
                        let firstY = max(0, top - oy * stride), lastY = min(kernel, shape.height + top - oy * stride)
                        for ox in 0..<outShape.width {
                            let firstX = max(0, left - ox * stride), lastX = min(kernel, shape.width + left - ox * stride)
                            let destination = output + (outputRow * outShape.width + ox) * channels
                            let origin = ((oy * stride - top) * shape.width + (ox * stride - left)) * channels   // may be negative; only in-image taps are read
                            var channel = 0
                            // Sixteen channels at a time (one AVX-512 register), all taps fused-multiply-added
                            // in a register, one store.
                            while channel + 16 <= channels {
                                var sum = load16(biasBase + channel)
                                for ky in firstY..<max(firstY, lastY) {
                                    for kx in firstX..<max(firstX, lastX) {
                                        sum = sum.addingProduct(load16(imageBase + (origin + (ky * shape.width + kx) * channels + channel)),
                                                                load16(weightBase + (ky * kernel + kx) * channels + channel))
                                    }
                                }
                                store16(activate16(sum, activation), destination + channel)
                                channel += 16
                            }
                            while channel < channels {
                                var sum = biasBase[channel]
                                for ky in firstY..<max(firstY, lastY) {
                                    for kx in firstX..<max(firstX, lastX) {
                                        sum += imageBase[origin + (ky * shape.width + kx) * channels + channel]
                                            * weightBase[(ky * kernel + kx) * channels + channel]
                                    }
                                }
                                destination[channel] = sum
                                applyActivation(destination + channel, count: 1, activation)
                                channel += 1
                            }
                        }
                    }
                }
            }
        }
        return outShape
    }
}
