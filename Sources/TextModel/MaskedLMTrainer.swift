// Masked-LM pre-training: BERT masking, forward + backward, gradient clipping, AdamW with warm-up/cosine.
import Foundation
import Tensor

/// Trains a `TextEncoder` by masked-LM, one batch of token id sequences per `step`. Seeded and reproducible.
public final class MaskedLMTrainer {
    /// The model being trained (its parameters change in place).
    public let encoder: TextEncoder
    /// AdamW over the encoder's parameters in `ParameterBuffer` order; 2-D weights decay, biases and gains do not.
    public let optimizer: AdamW
    /// Learning rate per step.
    public let schedule: WarmupCosineSchedule
    /// Global gradient-norm bound (PyTorch `clip_grad_norm_`); 0 turns clipping off.
    public let maxGradientNorm: Float
    /// The masking recipe (BERT's 15% / 80-10-10).
    public var masking = MaskedLanguageModeling()
    /// Steps taken.
    public private(set) var stepCount = 0
    /// Global gradient norm of the last step, before clipping.
    public private(set) var lastGradientNorm: Float = 0
    private var generator: SplitMix64
    /// The optimizer's view of parameters and gradients, reused step after step (no fresh 30 MB arrays per step).
    private var parameterTensors: [Tensor], gradientTensors: [Tensor]

    /// A trainer with AdamW (β = 0.9, 0.999; weight decay `weightDecay` on matrices) and a warm-up/cosine schedule.
    public init(encoder: TextEncoder, peakLearningRate: Float = 1e-3, warmupSteps: Int = 100, totalSteps: Int = 10_000,
                weightDecay: Float = 0.01, maxGradientNorm: Float = 1, seed: UInt64 = 0) {
        self.encoder = encoder
        let shapes = encoder.parameters.specifications.map(\.shape)
        optimizer = AdamW(configuration: AdamWConfiguration(learningRate: peakLearningRate, weightDecay: weightDecay),
                          parameterShapes: shapes, decays: shapes.map { $0.count >= 2 })
        schedule = WarmupCosineSchedule(peak: peakLearningRate, warmupSteps: warmupSteps, totalSteps: totalSteps,
                                        floor: peakLearningRate / 10)
        self.maxGradientNorm = maxGradientNorm
        generator = SplitMix64(seed: seed)
        parameterTensors = encoder.parameters.tensors()
        gradientTensors = encoder.gradients.tensors()
    }

    /// Pads `sequences` to the longest (≤ contextLength), masks them, and takes one optimizer step; returns the loss.
    @discardableResult
    public func step(sequences: [[Int32]]) throws -> Float {
        let configuration = encoder.configuration
        let batch = try TokenBatch(sequences: sequences, padTokenId: configuration.padTokenId,
                                   maximumLength: configuration.contextLength)
        return try step(masking.mask(batch, configuration: configuration, generator: &generator))
    }

    /// One optimizer step on an already masked batch; returns the masked-LM loss before the update.
    @discardableResult
    public func step(_ batch: MaskedLMBatch) throws -> Float {
        encoder.gradients.zero()
        let loss = try encoder.forwardMaskedLM(batch)
        try encoder.backward()
        encoder.gradients.copy(into: &gradientTensors)
        lastGradientNorm = maxGradientNorm > 0 ? clipGradients(&gradientTensors, maxNorm: maxGradientNorm) : 0
        encoder.parameters.copy(into: &parameterTensors)
        optimizer.step(parameters: &parameterTensors, gradients: gradientTensors, learningRate: schedule.learningRate(at: stepCount))
        encoder.parameters.update(from: parameterTensors)
        stepCount += 1
        return loss
    }

    /// Masked-LM loss of `sequences` without training (the masking draws from the trainer's generator).
    public func evaluate(sequences: [[Int32]]) throws -> Float {
        let configuration = encoder.configuration
        let batch = try TokenBatch(sequences: sequences, padTokenId: configuration.padTokenId,
                                   maximumLength: configuration.contextLength)
        return try encoder.forwardMaskedLM(masking.mask(batch, configuration: configuration, generator: &generator))
    }
}

extension ParameterBuffer {
    /// Every parameter as a `Tensor`, in storage order.
    public func tensors() -> [Tensor] {
        specifications.map { Tensor(shape: $0.shape, scalars: Array(UnsafeBufferPointer(start: base + $0.offset, count: $0.count))) }
    }

    /// Copies every parameter into `tensors` (storage order, same shapes), reusing their storage.
    public func copy(into tensors: inout [Tensor]) {
        for (index, specification) in specifications.enumerated() where index < tensors.count && tensors[index].count == specification.count {
            tensors[index].scalars.withUnsafeMutableBufferPointer { target in
                guard let target = target.baseAddress else { return }
                target.update(from: base + specification.offset, count: specification.count)
            }
        }
    }

    /// Copies `tensors` (storage order, shapes as `specifications`) back into the buffer.
    public func update(from tensors: [Tensor]) {
        for (specification, tensor) in zip(specifications, tensors) where tensor.count == specification.count {
            tensor.scalars.withUnsafeBufferPointer { source in
                guard let source = source.baseAddress else { return }
                (base + specification.offset).update(from: source, count: specification.count)
            }
        }
    }
}
