// The BERT masking recipe (Devlin et al. 2019, §3.1 "Task #1: Masked LM").
import Foundation
import Tensor

/// Chooses 15% of the maskable tokens; of those, 80% become `<mask>`, 10% a random token, 10% stay.
public struct MaskedLanguageModeling: Sendable {
    /// Probability that a maskable token is chosen for prediction (0.15).
    public var maskProbability: Float = 0.15
    /// Of the chosen: share replaced by `<mask>` (0.8); the random share is (1 − this − keepShare).
    public var maskShare: Float = 0.8
    /// Of the chosen: share kept unchanged (0.1).
    public var keepShare: Float = 0.1

    /// The recipe with BERT's proportions.
    public init() {}

    /// Masks `batch` with `generator`. Special tokens and `<pad>` are never chosen; random replacements
    /// are never special tokens. A sequence with a maskable token but no pick gets one pick, so every
    /// sequence contributes; throws when the whole batch has nothing to mask.
    public func mask(_ batch: TokenBatch, configuration: TextEncoderConfiguration,
                     generator: inout SeededGenerator) throws -> MaskedLMBatch {
        let special = Set(configuration.specialTokenIds + [configuration.padTokenId, configuration.maskTokenId])
        let replacements = (0..<Int32(configuration.vocabularySize)).filter { !special.contains($0) }
        var input = batch
        var positions: [Int32] = [], targets: [Int32] = []
        for b in 0..<batch.batchSize {
            let maskable = (0..<batch.tokens).filter { !special.contains(batch.tokenIds[b * batch.tokens + $0]) }
            guard !maskable.isEmpty else { continue }
            var chosen = maskable.filter { _ in generator.nextUniform() < maskProbability }
            if chosen.isEmpty { chosen = [maskable[generator.nextIndex(below: maskable.count)]] }
            for t in chosen {
                let flat = b * batch.tokens + t
                positions.append(Int32(flat))
                targets.append(batch.tokenIds[flat])
                let draw = generator.nextUniform()
                if draw < maskShare {
                    input.tokenIds[flat] = configuration.maskTokenId
                } else if draw < 1 - keepShare, !replacements.isEmpty {
                    input.tokenIds[flat] = replacements[generator.nextIndex(below: replacements.count)]
                }
            }
        }
        guard !positions.isEmpty else { throw TextModelError.emptyBatch("no token can be masked (only padding and special tokens)") }
        return MaskedLMBatch(input: input, positions: positions, targets: targets)
    }
}
