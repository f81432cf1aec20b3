import Foundation
import Tensor
import TextModel

/// Settings of masked-LM pre-training (typical values shown).
public struct PretrainingSettings: Codable, Sendable {
    /// Sequences per step.
    public var batchSize = 16
    /// Stop after this many steps…
    public var maximumSteps = 4_000
    /// …or after this many seconds, whichever comes first.
    public var timeBudgetSeconds = 1_500.0
    /// Peak learning rate (after warm-up).
    public var learningRate: Float = 1e-3
    /// Seed for masking and batch order.
    public var seed: UInt64 = 11

    /// Typical settings.
    public init() {}
}

/// One pre-training progress record.
public struct PretrainingProgress: Sendable {
    /// Steps taken.
    public var step: Int
    /// Planned steps.
    public var plannedSteps: Int
    /// Mean masked-LM loss over the last steps.
    public var loss: Float
    /// Tokens seen so far.
    public var tokens: Int
    /// Seconds since the start.
    public var seconds: Double
}

/// Masked-LM pre-training of the text encoder on token sequences (sequences are grouped by length so that
/// batches carry little padding; batch order is shuffled with the seed).
public enum Pretraining {
    /// Trains `encoder` in place; returns the record of the last step.
    @discardableResult
    public static func run(encoder: TextEncoder, sequences: [[Int32]], settings: PretrainingSettings,
                           report: (PretrainingProgress) -> Void = { _ in }) throws -> PretrainingProgress {
        let usable = sequences.filter { $0.count >= 8 }
        guard !usable.isEmpty else { return PretrainingProgress(step: 0, plannedSteps: 0, loss: .nan, tokens: 0, seconds: 0) }
        // Batches of similar length: sort by length, cut, shuffle the batches.
        let sorted = usable.sorted { $0.count < $1.count }
        var batches = stride(from: 0, to: sorted.count, by: settings.batchSize).map {
            Array(sorted[$0..<min($0 + settings.batchSize, sorted.count)])
        }
        var generator = SplitMix64(seed: settings.seed)
        let trainer = MaskedLMTrainer(encoder: encoder, peakLearningRate: settings.learningRate,
                                      warmupSteps: min(200, settings.maximumSteps / 10), totalSteps: settings.maximumSteps,
                                      seed: settings.seed)
        let start = Date()
        var recent: [Float] = []
        var record = PretrainingProgress(step: 0, plannedSteps: settings.maximumSteps, loss: .nan, tokens: 0, seconds: 0)
        var cursor = batches.count
        while record.step < settings.maximumSteps && record.seconds < settings.timeBudgetSeconds {
            if cursor == batches.count {
                generator.shuffle(&batches)
                cursor = 0
            }
            let batch = batches[cursor]
            cursor += 1
            let loss = try trainer.step(sequences: batch)
            recent.append(loss)
            if recent.count > 50 { recent.removeFirst() }
            record.step += 1
            record.tokens += batch.reduce(0) { $0 + min($1.count, encoder.configuration.contextLength) }
            record.seconds = Date().timeIntervalSince(start)
            record.loss = recent.reduce(0, +) / Float(recent.count)
            if record.step % 10 == 0 { report(record) }
        }
        report(record)
        return record
    }
}
