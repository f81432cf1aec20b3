import Foundation
import Tensor

/// Which inputs a joint head reads: the ablations of the comparison table are heads with fewer inputs.
public struct HeadInputs: Codable, Sendable, Hashable {
    /// Width of the text vector t (0: no text branch).
    public var textWidth: Int
    /// Width of the backbone features v (0: no image branch).
    public var imageWidth: Int
    /// Whether the TF-IDF ridge's prediction is an input (stacking).
    public var usesBaseline: Bool

    /// Creates an input description.
    public init(textWidth: Int, imageWidth: Int, usesBaseline: Bool) {
        self.textWidth = textWidth
        self.imageWidth = imageWidth
        self.usesBaseline = usesBaseline
    }
}

/// Sizes of the joint head.
public struct JointHeadConfiguration: Codable, Sendable, Hashable {
    /// The inputs.
    public var inputs: HeadInputs
    /// P: width the image features are projected to (typical 64).
    public var imageProjection: Int = 64
    /// H: hidden width of the MLP (typical 128).
    public var hidden: Int = 128
    /// Dropout on the hidden layer while training.
    public var dropout: Float = 0.1

    /// Creates a configuration with typical sizes.
    public init(inputs: HeadInputs, imageProjection: Int = 64, hidden: Int = 128, dropout: Float = 0.1) {
        self.inputs = inputs
        self.imageProjection = imageProjection
        self.hidden = hidden
        self.dropout = dropout
    }

    /// D: width of the fused vector [t ; W·v ; image-present ; baseline].
    public var fusedWidth: Int {
        inputs.textWidth + (inputs.imageWidth > 0 ? imageProjection + 1 : 0) + (inputs.usesBaseline ? 1 : 0)
    }
}

/// One batch of head inputs (B examples), already standardized.
public struct HeadBatch: Sendable {
    /// t: [B, textWidth] (empty when the head has no text branch).
    public var text: Tensor
    /// v: [B, imageWidth], zeros for rows without a key visual.
    public var image: Tensor
    /// 1 where the row has a key visual, else 0: [B].
    public var imagePresent: [Float]
    /// TF-IDF ridge predictions: [B] (empty when not stacking).
    public var baseline: [Float]

    /// Number of examples B.
    public var count: Int { imagePresent.count }
}

/// The joint head: [t ; W·v (or the learned missing-image vector) ; image-present ; baseline?] → layer norm
/// → Linear(D→H) → GELU → dropout → Linear(H→1) → sigmoid → normalized popularity in [0, 1].
///
/// Parameters (safetensors names, shapes):
/// `image_projection.weight` [imageWidth, P], `image_projection.bias` [P], `missing_image` [P],
/// `norm.weight` [D], `norm.bias` [D], `fc1.weight` [D, H], `fc1.bias` [H], `fc2.weight` [H, 1], `fc2.bias` [1].
public struct JointHead: Sendable {
    /// The sizes.
    public let configuration: JointHeadConfiguration
    /// Parameters in `parameterNames` order.
    public var parameters: [Tensor]

    /// Parameter names in storage order (image ones only when the head has an image branch).
    public var parameterNames: [String] {
        (configuration.inputs.imageWidth > 0 ? ["image_projection.weight", "image_projection.bias", "missing_image"] : [])
            + ["norm.weight", "norm.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    }

    /// A freshly initialised head (Xavier for projections, Kaiming for the GELU layer; seeded).
    public init(configuration: JointHeadConfiguration, seed: UInt64) {
        self.configuration = configuration
        var generator = SeededGenerator(seed: seed)
        let p = configuration.imageProjection, d = configuration.fusedWidth, h = configuration.hidden
        var tensors: [Tensor] = []
        if configuration.inputs.imageWidth > 0 {
            tensors += [
                Tensor.xavierUniform([configuration.inputs.imageWidth, p], generator: &generator),
                Tensor.zeros([p]),
                Tensor.normal([p], standardDeviation: 0.02, generator: &generator),
            ]
        }
        tensors += [
            Tensor(shape: [d], repeating: 1), Tensor.zeros([d]),
            Tensor.kaimingNormal([d, h], generator: &generator), Tensor.zeros([h]),
            Tensor.xavierUniform([h, 1], generator: &generator), Tensor.zeros([1]),
        ]
        parameters = tensors
    }

    /// A head with given parameters, checked by name and shape.
    /// - Throws: `ModelFileError.mismatchedTensor` / `.missingTensor` naming the tensor.
    public init(configuration: JointHeadConfiguration, named: [String: Tensor], file: String) throws {
        self.init(configuration: configuration, seed: 0)
        for (index, name) in parameterNames.enumerated() {
            guard let tensor = named[name] else { throw ModelFileError.missingTensor(file: file, name: name) }
            guard tensor.shape == parameters[index].shape else {
                throw ModelFileError.mismatchedTensor(file: file, name: name, expected: parameters[index].shape, found: tensor.shape)
            }
            parameters[index] = tensor
        }
    }

    /// Parameters by name, for saving.
    public var namedParameters: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: zip(parameterNames, parameters))
    }

    /// Records the forward pass on `tape`; returns (ŷ [B, 1], the parameter variables in order).
    /// With `training`, dropout draws its mask from `generator`; otherwise `generator` is untouched.
    public func forward(_ batch: HeadBatch, on tape: Tape, training: Bool, generator: inout SeededGenerator)
        -> (prediction: Variable, parameters: [Variable]) {
        let variables = parameters.map { tape.parameter($0) }
        let b = batch.count
        var next = 0
        func take() -> Variable { defer { next += 1 }; return variables[next] }
        var parts: [Variable] = []
        if configuration.inputs.textWidth > 0 { parts.append(tape.constant(batch.text)) }
        if configuration.inputs.imageWidth > 0 {
            let weight = take(), bias = take(), missing = take()
            let p = configuration.imageProjection
            let projected = tape.add(tape.matmul(tape.constant(batch.image), weight), bias)       // [B, P]
            let present = Tensor(shape: [b, p], scalars: batch.imagePresent.flatMap { Array(repeating: $0, count: p) })
            let absent = Tensor(shape: [b, p], scalars: present.scalars.map { 1 - $0 })
            let mixed = tape.add(tape.multiply(projected, tape.constant(present)),
                                 tape.multiply(tape.constant(absent), missing))                    // [B, P]
            parts += [mixed, tape.constant(Tensor(shape: [b, 1], scalars: batch.imagePresent))]
        }
        if configuration.inputs.usesBaseline { parts.append(tape.constant(Tensor(shape: [b, 1], scalars: batch.baseline))) }
        let normWeight = take(), normBias = take(), fc1Weight = take(), fc1Bias = take(), fc2Weight = take(), fc2Bias = take()
        let fused = parts.count == 1 ? parts[0] : tape.concat(parts, axis: 1)                     // [B, D]
        let normalized = tape.layerNorm(fused, gain: normWeight, bias: normBias)                   // [B, D]
        var hidden = tape.gelu(tape.add(tape.matmul(normalized, fc1Weight), fc1Bias))             // [B, H]
        if training, configuration.dropout > 0 {
            hidden = tape.dropout(hidden, probability: configuration.dropout, generator: &generator)
        }
        let logit = tape.add(tape.matmul(hidden, fc2Weight), fc2Bias)                              // [B, 1]
        return (tape.sigmoid(logit), variables)
    }

    /// Normalized popularity ŷ ∈ [0, 1] for each example of `batch` (inference: no dropout).
    public func predict(_ batch: HeadBatch) -> [Float] {
        let tape = Tape()
        var unused = SeededGenerator(seed: 0)
        return tape.value(forward(batch, on: tape, training: false, generator: &unused).prediction).scalars
    }
}

extension Tape {
    /// σ(x) = 1 / (1 + e^−x), composed from primitives (its gradient follows from theirs).
    public func sigmoid(_ x: Variable) -> Variable {
        let denominator = add(exp(scale(x, by: -1)), constant(Tensor(scalar: 1)))
        return divide(constant(Tensor(shape: shape(x), repeating: 1)), denominator)
    }

    /// softplus(x) = ln(1 + eˣ), composed from primitives; for the pairwise ranking loss (|x| stays small there).
    public func softplus(_ x: Variable) -> Variable {
        log(add(exp(x), constant(Tensor(scalar: 1))))
    }
}
