// Masked-LM pre-training: BERT masking, forward + backward, gradient clipping, AdamW with warm-up/cosine.
import Foundation
import Tensor

/// Trains a `TextEncoder` by masked-LM, one batch of token id sequences per `step`. Seeded and reproducible.
public final class MaskedLMTrainer {
    /// The model being trained (its parameters change in place).
    public let encoder: TextEncoder
    /// Parameter groups of similar size, each with its own AdamW, stepped in parallel; together they are
    /// exactly one AdamW over all parameters. 2-D weights decay, biases and layer-norm gains do not.
    public let groups: [OptimizerGroup]
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
    private var generator: SeededGenerator

    /// A trainer with AdamW (β = 0.9, 0.999; weight decay `weightDecay` on matrices) and a warm-up/cosine schedule.
    public init(encoder: TextEncoder, peakLearningRate: Float = 1e-3, warmupSteps: Int = 100, totalSteps: Int = 10_000,
                weightDecay: Float = 0.01, maxGradientNorm: Float = 1, seed: UInt64 = 0) {
        self.encoder = encoder
        let specifications = encoder.parameters.specifications
        let parameters = encoder.parameters.tensors()
        groups = Self.balancedGroups(specifications.map(\.count), groupCount: Parallel.workerCount).map { indices in
            let shapes = indices.map { specifications[$0].shape }
            let optimizer = AdamW(configuration: AdamWConfiguration(learningRate: peakLearningRate, weightDecay: weightDecay),
                                  parameterShapes: shapes, decays: shapes.map { $0.count >= 2 })
            return OptimizerGroup(indices: indices, optimizer: optimizer, parameters: indices.map { parameters[$0] })
        }
        schedule = WarmupCosineSchedule(peak: peakLearningRate, warmupSteps: warmupSteps, totalSteps: totalSteps,
                                        floor: peakLearningRate / 10)
        self.maxGradientNorm = maxGradientNorm
        generator = SeededGenerator(seed: seed)
    }

    /// Splits parameter indices into at most `groupCount` groups of similar total size (largest first, greedy).
    static func balancedGroups(_ counts: [Int], groupCount: Int) -> [[Int]] {
        var groups = [[Int]](repeating: [], count: max(1, min(groupCount, counts.count)))
        var totals = [Int](repeating: 0, count: groups.count)
        for index in counts.indices.sorted(by: { counts[$0] > counts[$1] }) {
            let lightest = totals.indices.min { totals[$0] < totals[$1] } ?? 0
            groups[lightest].append(index)
            totals[lightest] += counts[index]
        }
        return groups.map { $0.sorted() }.filter { !$0.isEmpty }
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
        clipGradientNorm()
        let learningRate = schedule.learningRate(at: stepCount)
        // Each group is disjoint: its optimizer, tensors and slices of the buffers belong to one worker only.
        Parallel.forEachChunk(groups.count) { _, range in
            for group in groups[range] { group.step(encoder: encoder, learningRate: learningRate) }
        }
        stepCount += 1
        return loss
    }

    /// Scales the gradient buffer so its global L2 norm is at most `maxGradientNorm` (PyTorch `clip_grad_norm_`:
    /// scale maxNorm / (norm + 1e-6) when norm > maxNorm; the norm is summed in Double); records the norm.
    private func clipGradientNorm() {
        let gradients = encoder.gradients
        var squares: Double = 0
        for i in 0..<gradients.count { squares += Double(gradients.base[i]) * Double(gradients.base[i]) }
        lastGradientNorm = Float(squares.squareRoot())
        guard maxGradientNorm > 0, lastGradientNorm > maxGradientNorm else { return }
        let scale = maxGradientNorm / (lastGradientNorm + 1e-6)
        for i in 0..<gradients.count { gradients.base[i] *= scale }
    }

    /// Masked-LM loss of `sequences` without training (the masking draws from the trainer's generator).
    public func evaluate(sequences: [[Int32]]) throws -> Float {
        let configuration = encoder.configuration
        let batch = try TokenBatch(sequences: sequences, padTokenId: configuration.padTokenId,
                                   maximumLength: configuration.contextLength)
        return try encoder.forwardMaskedLM(masking.mask(batch, configuration: configuration, generator: &generator))
    }
}

/// Some of the encoder's parameters with their own AdamW, and the optimizer's copies of them (reused every step).
public final class OptimizerGroup {
    /// Indices into `ParameterBuffer.specifications`, ascending.
    public let indices: [Int]
    /// AdamW over exactly these parameters, in this order.
    public let optimizer: AdamW
    private var parameters: [Tensor], gradients: [Tensor]

    init(indices: [Int], optimizer: AdamW, parameters: [Tensor]) {
        self.indices = indices
        self.optimizer = optimizer
        self.parameters = parameters
        gradients = parameters
    }

    /// Copies this group's parameters and gradients out of the encoder, steps AdamW, and writes the parameters back.
    func step(encoder: TextEncoder, learningRate: Float) {
        encoder.gradients.copy(into: &gradients, indices: indices)
        encoder.parameters.copy(into: &parameters, indices: indices)
        optimizer.step(parameters: &parameters, gradients: gradients, learningRate: learningRate)
        encoder.parameters.update(from: parameters, indices: indices)
    }
}

extension ParameterBuffer {
    /// Every parameter as a `Tensor`, in storage order.
    public func tensors() -> [Tensor] {
        specifications.map { Tensor(shape: $0.shape, scalars: Array(UnsafeBufferPointer(start: base + $0.offset, count: $0.count))) }
    }

    /// Copies the parameters at `indices` (default: all) into `tensors`, one per index, reusing their storage.
    public func copy(into tensors: inout [Tensor], indices: [Int]? = nil) {
        for (position, index) in (indices ?? Array(specifications.indices)).enumerated() where position < tensors.count {
            let specification = specifications[index]
            guard tensors[position].count == specification.count else { continue }
            tensors[position].scalars.withUnsafeMutableBufferPointer { target in
                guard let target = target.baseAddress else { return }
                target.update(from: base + specification.offset, count: specification.count)
            }
        }
    }

    /// Copies `tensors` back into the parameters at `indices` (default: all, in storage order); counts must match.
    public func update(from tensors: [Tensor], indices: [Int]? = nil) {
        for (tensor, index) in zip(tensors, indices ?? Array(specifications.indices)) where tensor.count == specifications[index].count {
            tensor.scalars.withUnsafeBufferPointer { source in
                guard let source = source.baseAddress else { return }
                (base + specifications[index].offset).update(from: source, count: specifications[index].count)
            }
        }
    }
}
