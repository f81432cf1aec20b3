/// How a convolution or pool pads its input.
public enum PaddingRule: Sendable, Equatable {
    /// PyTorch-style: `amount` zeros on every side (ResNet).
    case symmetric(Int)
    /// TensorFlow "SAME", computed from the input size: output = ceil(input / stride), the total padding
    /// max((output − 1)·stride + kernel − input, 0) split with the smaller half first (top/left), so stride 2
    /// pads asymmetrically (EfficientNet; lukemelas `Conv2dStaticSamePadding`).
    case tensorFlowSame

    /// Output length and leading padding along one axis for this rule.
    public func resolve(input: Int, kernel: Int, stride: Int) -> (output: Int, leading: Int) {
        switch self {
        case .symmetric(let amount):
            return ((input + 2 * amount - kernel) / stride + 1, amount)
        case .tensorFlowSame:
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            return (output, total / 2)
        }
    }
}
