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
                let zeroBias = [Float](repeating: 0, count: channels)
                parallelChunks(outShape.batch * outShape.height) { outputRows in
                    for outputRow in outputRows {
                        let image = outputRow / outShape.height, oy = outputRow % outShape.height
                        let imageBase = input + image * shape.height * shape.width * channels
                        for ox in 0..<outShape.width {
                            let destination = output + (outputRow * outShape.width + ox) * channels
                            destination.update(from: biasBase, count: channels)
                            for ky in 0..<kernel {
                                let iy = oy * stride - top + ky
                                if iy < 0 || iy >= shape.height { continue }
                                for kx in 0..<kernel {
                                    let ix = ox * stride - left + kx
                                    if ix < 0 || ix >= shape.width { continue }
                                    accumulate(destination, imageBase + (iy * shape.width + ix) * channels,
                                               weightBase + (ky * kernel + kx) * channels, count: channels)
                                }
                            }
                        }
                        zeroBias.withUnsafeBufferPointer { zeros in
                            guard let zeroBase = zeros.baseAddress else { return }
                            finishRows(output + outputRow * outShape.width * channels, rows: outShape.width,
                                       channels: channels, bias: zeroBase, residual: nil, activation: activation)
                        }
                    }
                }
            }
        }
        return outShape
    }
}

/// destination[c] += source[c] · weight[c] for c < count, eight lanes at a time.
@inline(__always)
func accumulate(_ destination: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>,
                _ weight: UnsafePointer<Float>, count: Int) {
    var channel = 0
    while channel + 8 <= count {
        store8(load8(destination + channel) + load8(source + channel) * load8(weight + channel), destination + channel)
        channel += 8
    }
    while channel < count {
        destination[channel] += source[channel] * weight[channel]
        channel += 1
    }
}
