import Foundation
import Tensor
import Testing
import Tokenizer
@testable import Popularity

@Suite("Head + TF-IDF blend")
struct HeadBlendTests {
    /// n draws of N(0, 1), shifted and scaled to mean 0 and standard deviation 1 exactly.
    static func standardized(_ n: Int, _ generator: inout SeededGenerator) -> [Double] {
        let raw = (0..<n).map { _ in Double(generator.nextGaussian()) }
        let (mean, deviation) = HeadBlend.moments(raw)
        return raw.map { ($0 - mean) / deviation }
    }

    @Test("the weight chosen on validation Spearman recovers the known mix of two signals (0.3, not 0.7)")
    func recoversWeight() {
        var generator = SeededGenerator(seed: 21)
        let a = Self.standardized(2000, &generator), b = Self.standardized(2000, &generator)
        let targets = zip(a, b).map { 0.3 * $0 + 0.7 * $1 }
        // Each component on its own scale and offset: the blend standardizes them before mixing.
        let head = a.map { 5 * $0 + 2 }, baseline = b.map { 0.1 * $0 - 1 }
        let blend = HeadBlend(choosingOn: head, baseline: baseline, targets: targets)
        #expect(blend.headWeight == 0.3, "chosen \(blend.headWeight)")
        #expect(blend.validationSpearman.count == HeadBlend.grid.count)
        #expect((blend.validationSpearman.max() ?? 0) > 0.999)
        #expect(abs(blend.headMean - 2) < 1e-9 && abs(blend.headDeviation - 5) < 1e-9)
        #expect(abs(blend.baselineMean + 1) < 1e-9 && abs(blend.baselineDeviation - 0.1) < 1e-9)
        let mixed = zip(head, baseline).map { blend.apply(head: $0, baseline: $1) }
        #expect(zip(mixed, targets).allSatisfy { abs($0 - $1) < 1e-9 }, "0.3·z(head) + 0.7·z(ridge) is the target itself")
    }

    @Test("a head that carries nothing gets weight 0 (ties and undefined correlations go to the ridge)")
    func uselessHead() {
        var generator = SeededGenerator(seed: 22)
        let targets = Self.standardized(300, &generator)
        let blend = HeadBlend(choosingOn: Array(repeating: 0.4, count: 300), baseline: targets.map { 3 * $0 }, targets: targets)
        #expect(blend.headWeight == 0)
        #expect(blend.validationSpearman.last?.isNaN == true, "a constant blend has no Spearman")
        #expect(abs(blend.apply(head: 0.4, baseline: 3) - 1) < 1e-9)
    }

    @Test("a fused blend fitted through compare's model interface leans on the ridge when the text vectors are noise")
    func fittedBlend() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blend-\(UUID().uuidString)")
        let catalogue = try makeSyntheticCatalogue(folder: folder, withImages: false, count: 300)
        var generator = SeededGenerator(seed: 23)
        let noise = Dictionary(uniqueKeysWithValues: catalogue.titles.map { ($0.id, (0..<8).map { _ in generator.nextGaussian() }) })
        var model = JointHeadModel(variant: .textBlend, features: NeuralFeatures(text: noise, image: [:]))
        model.settings.epochs = 10
        let split = Splits.time(catalogue.titles)
        let targets = Targets.values(.popularity, titles: catalogue.titles, trainingRows: split.train).map { $0 ?? .nan }
        let all = ExampleSet(titles: catalogue.titles, imageURLs: Array(repeating: nil, count: catalogue.titles.count),
                             pixels: Array(repeating: nil, count: catalogue.titles.count), targets: targets)
        let fitted = try #require(try model.fit(training: all.subset(split.train), validation: all.subset(split.validation)) as? FittedJointHead)
        let blend = try #require(fitted.blend)
        #expect(blend.headWeight < 0.5, "head weight \(blend.headWeight)")
        let test = all.subset(split.test)
        let predictions = try fitted.predict(test)
        #expect(Metrics.spearman(predictions, test.targets) > 0.6)
        #expect(predictions.allSatisfy { (0...1).contains($0) })
        #expect(fitted.summary.contains("blend head weight"))
    }

    @Test("a shipped blend is saved with the model and applied by the scorer: calibration(blend(head, ridge))")
    func scorerAppliesBlend() throws {
        let directory = try TinyModel.temporaryDirectory("blend")
        var bundle = try TinyModel.write(to: directory)
        let tokenizer = try Tokenizer.load(path: bundle.configuration.tokenizer)
        var generator = SplitMix64(seed: 24)
        let inputs = (0..<12).map { _ in TitleInput(synopsis: TinyModel.synopsis(&generator), image: nil) }
        let nils = [[Float]?](repeating: nil, count: inputs.count)
        let plain = try TitleScorer(bundle: bundle, tokenizer: tokenizer, images: nil).score(inputs, imageFeatures: nils)
        // Weight 0: the score is the calibrated z-scored ridge alone, whatever the head says.
        let center = plain.map(\.baseline).reduce(0, +) / Double(plain.count)
        let blend = HeadBlend(headWeight: 0, headMean: 0.5, headDeviation: 0.2, baselineMean: center, baselineDeviation: 2)
        bundle.configuration.blend = blend
        try bundle.write(to: directory)
        let reloaded = try ModelBundle.read(from: directory)
        #expect(reloaded.configuration.blend == blend)
        let scores = try TitleScorer(bundle: reloaded, tokenizer: tokenizer, images: nil).score(inputs, imageFeatures: nils)
        for (score, before) in zip(scores, plain) {
            let expected = bundle.configuration.calibration.apply((score.baseline - center) / 2)
            #expect(abs(score.popularity - expected) < 1e-9)
            #expect(abs(score.baseline - before.baseline) < 1e-12)
        }
        #expect(scores.map(\.popularity) != plain.map(\.popularity), "the blend changed the output")
    }
}
