import Foundation
import Tensor

/// Settings of head training (seeded; typical values shown).
public struct HeadTrainingSettings: Codable, Sendable {
    /// Passes over the training rows at most.
    public var epochs = 150
    /// Examples per step.
    public var batchSize = 64
    /// Peak AdamW learning rate.
    public var learningRate: Float = 2e-3
    /// Decoupled weight decay.
    public var weightDecay: Float = 0.05
    /// Weight of the pairwise ranking term (0: MSE only).
    public var rankingWeight: Float = 0.5
    /// Popularity gap that makes a same-year pair "discriminable" (Ding et al.).
    public var rankingGap: Float = 0.2
    /// Stop after this many epochs without a better validation Spearman.
    public var patience = 20
    /// Probability that a training row's key visual is hidden (modality dropout).
    public var imageDropout: Float = 0.3
    /// Titles without a key visual get the mean image and the flag 1 (see `HeadExamples.batch`), so fused heads
    /// learn from every title. Off by default, because it does not hide the artifact it was meant to hide: in the
    /// public data having a cover marks popular titles, and in 1,280 dimensions no real cover sits at the mean,
    /// so a head still tells "no cover" apart (measured: Spearman 0.56 on all test titles against 0.12 on those
    /// with a cover). Off, heads with an image branch learn from titles with a cover only.
    public var imputeMissingImages = false
    /// Global gradient-norm clip.
    public var clipNorm: Float = 1
    /// Seed for initialisation, shuffling and dropout.
    public var seed: UInt64 = 7

    /// Typical settings.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case epochs, batchSize, learningRate, weightDecay, rankingWeight, rankingGap, patience, imageDropout
        case imputeMissingImages, clipNorm, seed
    }

    /// Decodes settings; a key missing from an older model.json keeps the value that model was trained with.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let settings = HeadTrainingSettings()
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? settings.epochs
        batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? settings.batchSize
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? settings.learningRate
        weightDecay = try container.decodeIfPresent(Float.self, forKey: .weightDecay) ?? settings.weightDecay
        rankingWeight = try container.decodeIfPresent(Float.self, forKey: .rankingWeight) ?? settings.rankingWeight
        rankingGap = try container.decodeIfPresent(Float.self, forKey: .rankingGap) ?? settings.rankingGap
        patience = try container.decodeIfPresent(Int.self, forKey: .patience) ?? settings.patience
        imageDropout = try container.decodeIfPresent(Float.self, forKey: .imageDropout) ?? settings.imageDropout
        imputeMissingImages = try container.decodeIfPresent(Bool.self, forKey: .imputeMissingImages) ?? settings.imputeMissingImages
        clipNorm = try container.decodeIfPresent(Float.self, forKey: .clipNorm) ?? settings.clipNorm
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? settings.seed
    }
}

/// One epoch's record, for progress lines and the model card.
public struct HeadEpoch: Codable, Sendable {
    /// 1-based epoch.
    public var epoch: Int
    /// Mean training loss.
    public var loss: Double
    /// Validation Spearman after the epoch.
    public var validationSpearman: Double
}

/// Trains a joint head with AdamW, warm-up + cosine decay, MSE plus the optional pairwise ranking term,
/// and early stopping on validation Spearman (the best epoch's parameters are kept).
public enum HeadTrainer {
    /// Trains a head on `training`, selecting the epoch on `validation`; `report` sees every epoch.
    public static func train(
        configuration: JointHeadConfiguration, training: HeadExamples, validation: HeadExamples,
        settings: HeadTrainingSettings, report: (HeadEpoch) -> Void = { _ in }
    ) -> (head: JointHead, scaler: FeatureScaler, history: [HeadEpoch]) {
        let scaler = FeatureScaler(fitting: training)
        var head = JointHead(configuration: configuration, seed: settings.seed)
        var generator = SeededGenerator(seed: settings.seed &+ 1)
        let stepsPerEpoch = max(1, (training.count + settings.batchSize - 1) / settings.batchSize)
        let totalSteps = stepsPerEpoch * settings.epochs
        let schedule = WarmupCosineSchedule(peak: settings.learningRate, warmupSteps: min(stepsPerEpoch * 3, totalSteps / 10),
                                            totalSteps: totalSteps, floor: settings.learningRate * 0.05)
        let decays = head.parameterNames.map { $0.hasSuffix(".weight") && !$0.hasPrefix("norm") }
        let optimizer = AdamW(configuration: AdamWConfiguration(learningRate: settings.learningRate, weightDecay: settings.weightDecay),
                              parameterShapes: head.parameters.map(\.shape), decays: decays)
        let validationBatch = validation.batch(Array(0..<validation.count), inputs: configuration.inputs, scaler: scaler,
                                               imputeMissing: settings.imputeMissingImages)
        let validationTargets = validation.targets.map(Double.init)
        var best = (spearman: -Double.infinity, parameters: head.parameters)
        var history: [HeadEpoch] = []
        var stale = 0
        var step = 0
        for epoch in 1...max(1, settings.epochs) {
            var order = Array(0..<training.count)
            order.shuffle(using: &generator)
            var lossSum = 0.0
            for start in stride(from: 0, to: order.count, by: settings.batchSize) {
                let indices = Array(order[start..<min(start + settings.batchSize, order.count)])
                let batch = training.batch(indices, inputs: configuration.inputs, scaler: scaler,
                                           imputeMissing: settings.imputeMissingImages) { _ in
                    settings.imageDropout > 0 && generator.nextUniform() < settings.imageDropout
                }
                let tape = Tape()
                let (prediction, variables) = head.forward(batch, on: tape, training: true, generator: &generator)
                let targets = Tensor(shape: [indices.count, 1], scalars: indices.map { training.targets[$0] })
                var loss = tape.meanSquaredError(prediction, target: targets)
                if settings.rankingWeight > 0,
                   let pairs = rankingPairs(indices, examples: training, gap: settings.rankingGap) {
                    let differences = tape.matmul(tape.constant(pairs), prediction)               // [pairs, 1]
                    let ranking = tape.mean(tape.softplus(tape.scale(differences, by: -4)))       // logistic pair loss
                    loss = tape.add(loss, tape.scale(ranking, by: settings.rankingWeight))
                }
                tape.backward(loss)
                var gradients = variables.map { tape.gradient(of: $0) }
                _ = clipGradients(&gradients, maxNorm: settings.clipNorm)
                optimizer.step(parameters: &head.parameters, gradients: gradients, learningRate: schedule.learningRate(at: step))
                step += 1
                lossSum += Double(tape.value(loss).scalar) * Double(indices.count)
            }
            let predictions = head.predict(validationBatch).map(Double.init)
            let spearman = Metrics.spearman(predictions, validationTargets)
            let record = HeadEpoch(epoch: epoch, loss: lossSum / Double(max(training.count, 1)), validationSpearman: spearman)
            history.append(record)
            report(record)
            if spearman > best.spearman + 1e-6 {
                best = (spearman, head.parameters)
                stale = 0
            } else {
                stale += 1
                if stale >= settings.patience { break }
            }
        }
        head.parameters = best.parameters
        return (head, scaler, history)
    }

    /// The pair-selection matrix [pairs, B]: +1 at the more popular title, −1 at the less popular one, for
    /// in-batch pairs of the same start year whose targets differ by more than `gap`; nil when there are none.
    static func rankingPairs(_ indices: [Int], examples: HeadExamples, gap: Float) -> Tensor? {
        var rows: [Float] = []
        var count = 0
        for a in 0..<indices.count {
            for b in (a + 1)..<indices.count where examples.years[indices[a]] == examples.years[indices[b]] {
                let difference = examples.targets[indices[a]] - examples.targets[indices[b]]
                guard abs(difference) > gap else { continue }
                var row = [Float](repeating: 0, count: indices.count)
                row[a] = difference > 0 ? 1 : -1
                row[b] = difference > 0 ? -1 : 1
                rows += row
                count += 1
            }
        }
        return count == 0 ? nil : Tensor(shape: [count, indices.count], scalars: rows)
    }
}
