/// Strict access to a state dict while a network is built: every tensor taken is shape-checked, and
/// `finish()` fails on any tensor left over (`num_batches_tracked` aside). Errors name the key and shapes.
struct StateDictLoader {
    private var tensors: [String: CheckpointTensor]
    private var used: Set<String> = []

    init(_ tensors: [String: CheckpointTensor]) { self.tensors = tensors }

    /// The values of `key`, which must have exactly `shape`.
    mutating func take(_ key: String, shape: [Int]) throws -> [Float] {
        guard let tensor = tensors[key] else { throw CheckpointError.missingTensor(key: key, expectedShape: shape) }
        guard tensor.shape == shape else {
            throw CheckpointError.shapeMismatch(key: key, expectedShape: shape, actualShape: tensor.shape)
        }
        used.insert(key)
        return tensor.values
    }

    /// The BN parameters stored under `prefix` (weight, bias, running_mean, running_var).
    mutating func batchNorm(_ prefix: String, channels: Int, epsilon: Float) throws -> BatchNormParameters {
        BatchNormParameters(
            scale: try take(prefix + ".weight", shape: [channels]),
            shift: try take(prefix + ".bias", shape: [channels]),
            runningMean: try take(prefix + ".running_mean", shape: [channels]),
            runningVariance: try take(prefix + ".running_var", shape: [channels]),
            epsilon: epsilon)
    }

    /// A dense conv (PyTorch weight `convKey` [Cout, Cin, k, k], no bias) with the BN at `batchNormKey` folded in.
    mutating func convolution(
        _ convKey: String, batchNorm batchNormKey: String, epsilon: Float,
        input: Int, output: Int, kernel: Int, stride: Int, padding: PaddingRule, activation: Activation
    ) throws -> Convolution {
        let weight = try take(convKey + ".weight", shape: [output, input, kernel, kernel])
        let batchNorm = try self.batchNorm(batchNormKey, channels: output, epsilon: epsilon)
        let folded = foldDense(weight: weight, outputChannels: output, inputChannels: input, kernel: kernel,
                               convBias: nil, batchNorm: batchNorm)
        return Convolution(inputChannels: input, outputChannels: output, kernel: kernel, stride: stride,
                           padding: padding, activation: activation, weights: folded.weights, bias: folded.bias)
    }

    /// A depthwise conv (weight [C, 1, k, k]) with its BN folded in.
    mutating func depthwise(
        _ convKey: String, batchNorm batchNormKey: String, epsilon: Float,
        channels: Int, kernel: Int, stride: Int, padding: PaddingRule, activation: Activation
    ) throws -> DepthwiseConvolution {
        let weight = try take(convKey + ".weight", shape: [channels, 1, kernel, kernel])
        let batchNorm = try self.batchNorm(batchNormKey, channels: channels, epsilon: epsilon)
        let folded = foldDepthwise(weight: weight, channels: channels, kernel: kernel, batchNorm: batchNorm)
        return DepthwiseConvolution(channels: channels, kernel: kernel, stride: stride, padding: padding,
                                    activation: activation, weights: folded.weights, bias: folded.bias)
    }

    /// The classifier (`prefix`.weight [classes, features], `prefix`.bias [classes]).
    mutating func classifier(_ prefix: String, features: Int, classes: Int) throws -> Classifier {
        Classifier(weight: try take(prefix + ".weight", shape: [classes, features]),
                   bias: try take(prefix + ".bias", shape: [classes]), features: features, classes: classes)
    }

    /// Fails on the first (sorted) tensor that was never taken, ignoring BN `num_batches_tracked` counters.
    func finish() throws {
        for key in tensors.keys.sorted() where !used.contains(key) && !key.hasSuffix("num_batches_tracked") {
            throw CheckpointError.unexpectedTensor(key: key, shape: tensors[key]?.shape ?? [])
        }
    }
}
