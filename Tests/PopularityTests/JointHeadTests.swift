import Foundation
import Tensor
import Testing
@testable import Popularity

@Suite("Joint head")
struct JointHeadTests {
    /// A synthetic set whose target depends on text and image features; a third of the rows lack an image.
    static func synthetic(count: Int, seed: UInt64) -> HeadExamples {
        var generator = SeededGenerator(seed: seed)
        var text: [[Float]] = [], image: [[Float]?] = [], targets: [Float] = [], years: [Int] = []
        for row in 0..<count {
            let t = (0..<6).map { _ in generator.nextGaussian() }
            let v = (0..<10).map { _ in generator.nextGaussian() }
            let hasImage = row % 3 != 0
            let signal = 0.8 * t[0] - 0.5 * t[1] + (hasImage ? 0.6 * v[2] : 0)
            text.append(t)
            image.append(hasImage ? v : nil)
            targets.append(1 / (1 + Foundation.exp(-signal)))
            years.append(2000 + row % 4)
        }
        return HeadExamples(text: text, image: image, baseline: targets.map { $0 * 0.5 + 0.25 }, targets: targets, years: years)
    }

    static let inputs = HeadInputs(textWidth: 6, imageWidth: 10, usesBaseline: true)

    @Test("a tiny head overfits a tiny synthetic set (MSE below 0.002)")
    func overfits() {
        let examples = Self.synthetic(count: 48, seed: 1)
        var settings = HeadTrainingSettings()
        settings.epochs = 300
        settings.batchSize = 16
        settings.learningRate = 1e-2
        settings.weightDecay = 0
        settings.rankingWeight = 0
        settings.patience = 300
        settings.imageDropout = 0
        settings.imputeMissingImages = false
        let configuration = JointHeadConfiguration(inputs: Self.inputs, imageProjection: 8, hidden: 32, dropout: 0)
        let (head, scaler, history) = HeadTrainer.train(configuration: configuration, training: examples, validation: examples, settings: settings)
        let predictions = head.predict(examples.batch(Array(0..<examples.count), inputs: Self.inputs, scaler: scaler))
        let mse = zip(predictions, examples.targets).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +) / Double(examples.count)
        #expect(mse < 0.002, "training MSE \(mse)")
        #expect(history.last.map { $0.validationSpearman > 0.95 } ?? false)
        #expect(predictions.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test("the ranking term and early stopping generalize to held-out rows")
    func generalizes() {
        let training = Self.synthetic(count: 400, seed: 2), validation = Self.synthetic(count: 200, seed: 3)
        var settings = HeadTrainingSettings()
        settings.epochs = 40
        let configuration = JointHeadConfiguration(inputs: Self.inputs, imageProjection: 8, hidden: 32)
        let (_, _, history) = HeadTrainer.train(configuration: configuration, training: training, validation: validation, settings: settings)
        let best = history.map(\.validationSpearman).max() ?? 0
        #expect(best > 0.9, "best validation Spearman \(best)")
    }

    @Test("rows without a key visual are scored through the learned missing-image vector")
    func missingImage() {
        let head = JointHead(configuration: JointHeadConfiguration(inputs: Self.inputs, imageProjection: 4, hidden: 8), seed: 3)
        let examples = Self.synthetic(count: 3, seed: 4)
        let scaler = FeatureScaler(fitting: examples)
        var changed = head
        changed.parameters[2] = Tensor(shape: [4], repeating: 5)  // missing_image
        let batch = examples.batch([0, 1], inputs: Self.inputs, scaler: scaler)   // row 0 has no image, row 1 has one
        let before = head.predict(batch), after = changed.predict(batch)
        #expect(before[0] != after[0])
        #expect(before[1] == after[1])
    }

    @Test("with imputation, a title without a key visual is scored exactly as an average cover")
    func imputation() {
        let head = JointHead(configuration: JointHeadConfiguration(inputs: Self.inputs, imageProjection: 4, hidden: 8), seed: 4)
        var examples = Self.synthetic(count: 6, seed: 5)
        let scaler = FeatureScaler(fitting: examples)
        var average = examples
        average.image[0] = scaler.image.mean            // the mean image standardizes to zeros
        examples.image[0] = nil
        let imputed = head.predict(examples.batch([0], inputs: Self.inputs, scaler: scaler, imputeMissing: true))
        let mean = head.predict(average.batch([0], inputs: Self.inputs, scaler: scaler))
        let learned = head.predict(examples.batch([0], inputs: Self.inputs, scaler: scaler))
        #expect(abs(imputed[0] - mean[0]) < 1e-6)
        #expect(imputed[0] != learned[0])
    }

    @Test("saved and reloaded parameters give identical predictions; a wrong shape is named")
    func roundTrip() throws {
        let configuration = JointHeadConfiguration(inputs: Self.inputs, imageProjection: 4, hidden: 8)
        let head = JointHead(configuration: configuration, seed: 5)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("head-\(UUID().uuidString).safetensors")
        try SafeTensors.write(head.namedParameters, to: url)
        let loaded = try JointHead(configuration: configuration, named: SafeTensors.read(contentsOf: url), file: url.path)
        let examples = Self.synthetic(count: 5, seed: 6)
        let batch = examples.batch(Array(0..<5), inputs: Self.inputs, scaler: FeatureScaler(fitting: examples))
        #expect(head.predict(batch) == loaded.predict(batch))
        var named = head.namedParameters
        named["fc1.weight"] = Tensor.zeros([3, 3])
        #expect(throws: ModelFileError.mismatchedTensor(file: "f", name: "fc1.weight", expected: [12, 8], found: [3, 3])) {
            try JointHead(configuration: configuration, named: named, file: "f")
        }
    }

    @Test("head gradient matches central finite differences")
    func gradient() {
        let configuration = JointHeadConfiguration(inputs: Self.inputs, imageProjection: 3, hidden: 5, dropout: 0)
        var head = JointHead(configuration: configuration, seed: 8)
        let examples = Self.synthetic(count: 6, seed: 9)
        let batch = examples.batch(Array(0..<6), inputs: Self.inputs, scaler: FeatureScaler(fitting: examples))
        let targets = Tensor(shape: [6, 1], scalars: examples.targets)
        func loss(_ head: JointHead) -> (Double, [Tensor]) {
            let tape = Tape()
            var generator = SeededGenerator(seed: 0)
            let (prediction, variables) = head.forward(batch, on: tape, training: false, generator: &generator)
            let value = tape.meanSquaredError(prediction, target: targets)
            tape.backward(value)
            return (Double(tape.value(value).scalar), variables.map { tape.gradient(of: $0) })
        }
        let analytic = loss(head).1
        var worst = 0.0
        for parameter in head.parameters.indices {
            for element in stride(from: 0, to: head.parameters[parameter].count, by: 3) {
                let original = head.parameters[parameter].scalars[element]
                let epsilon: Float = 1e-2
                head.parameters[parameter].scalars[element] = original + epsilon
                let plus = loss(head).0
                head.parameters[parameter].scalars[element] = original - epsilon
                let minus = loss(head).0
                head.parameters[parameter].scalars[element] = original
                let numeric = (plus - minus) / (2 * Double(epsilon))
                let exact = Double(analytic[parameter].scalars[element])
                worst = max(worst, abs(numeric - exact) / max(1e-3, abs(numeric) + abs(exact)))
            }
        }
        #expect(worst < 1e-2, "worst relative gradient error \(worst)")
    }
}

@Suite("Percentile table")
struct PercentileTableTests {
    @Test("percentiles of a uniform reference are the scores themselves, clamped at the ends")
    func uniform() {
        let table = PercentileTable(scores: (0...1000).map { Double($0) / 1000 }.shuffled())
        #expect(abs(table.percentile(of: 0.25) - 25) < 1e-9)
        #expect(abs(table.percentile(of: 0.9) - 90) < 1e-9)
        #expect(table.percentile(of: -1) == 0)
        #expect(table.percentile(of: 2) == 100)
    }

    @Test("a skewed reference: the median score sits at the 50th percentile")
    func skewed() {
        let scores = (1...999).map { pow(Double($0) / 1000, 3) }
        let table = PercentileTable(scores: scores, resolution: 200)
        #expect(abs(table.percentile(of: pow(0.5, 3)) - 50) < 0.5)
        #expect(table.percentile(of: pow(0.1, 3)) < table.percentile(of: pow(0.2, 3)))
    }
}

@Suite("Head calibration")
struct HeadCalibrationTests {
    @Test("least squares recovers a linear map and clamps to [0, 1]; a reversing fit falls back to the identity")
    func fit() {
        let raw = (0..<50).map { Double($0) / 50 }
        let calibration = HeadCalibration(fitting: raw, to: raw.map { 0.5 * $0 + 0.2 })
        #expect(abs(calibration.scale - 0.5) < 1e-12 && abs(calibration.offset - 0.2) < 1e-12)
        #expect(calibration.apply(10) == 1 && HeadCalibration(scale: 1, offset: -5).apply(0.3) == 0)
        #expect(HeadCalibration(fitting: raw, to: raw.map { 1 - $0 }) == .identity)
        #expect(HeadCalibration(fitting: [0.1, 0.2], to: [0.3, 0.4]) == .identity)
    }
}
