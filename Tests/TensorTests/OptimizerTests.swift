// AdamW against a hand-computed step, the warm-up + cosine schedule against the Python reference,
// global-norm clipping, optimizer state save/restore, and the seeded generators and initialisers.
import Foundation
import Testing
@testable import Tensor

@Suite("Optimizer, schedule, clipping, initialisation")
struct OptimizerTests {
    @Test("AdamW first step by hand: bias correction makes the update ±lr, decay is decoupled")
    func adamWOneStep() {
        // m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g² → update = g/(|g| + ε) ≈ ±1.
        // p ← p·(1 − lr·λ) − lr·update = 1·(1 − 0.1·0.01) ∓ 0.1.
        var parameters = [Tensor(shape: [2], scalars: [1, 1]), Tensor(shape: [1], scalars: [1])]
        let gradients = [Tensor(shape: [2], scalars: [0.5, -2]), Tensor(shape: [1], scalars: [3])]
        let optimizer = AdamW(configuration: AdamWConfiguration(learningRate: 0.1, weightDecay: 0.01),
                              parameterShapes: [[2], [1]], decays: [true, false])
        optimizer.step(parameters: &parameters, gradients: gradients, learningRate: 0.1)
        expectClose(parameters[0], Tensor(shape: [2], scalars: [0.899, 1.099]), absolute: 1e-6, relative: 0, "decayed")
        expectClose(parameters[1], Tensor(shape: [1], scalars: [0.9]), absolute: 1e-6, relative: 0, "not decayed")
        #expect(optimizer.stepCount == 1)
        expectClose(optimizer.firstMoments[0], Tensor(shape: [2], scalars: [0.05, -0.2]), "m")
        expectClose(optimizer.secondMoments[0], Tensor(shape: [2], scalars: [0.00025, 0.004]), "v")
    }

    @Test("AdamW state saved and restored continues identically")
    func adamWResume() throws {
        let shapes = [[3], [2, 2]]
        let configuration = AdamWConfiguration(learningRate: 0.01)
        var parameters = [randomTensor([3], seed: 1), randomTensor([2, 2], seed: 2)]
        let gradients = [randomTensor([3], seed: 3), randomTensor([2, 2], seed: 4)]
        let first = AdamW(configuration: configuration, parameterShapes: shapes)
        first.step(parameters: &parameters, gradients: gradients, learningRate: 0.01)
        let restored = AdamW(configuration: configuration, parameterShapes: shapes)
        try restored.loadState(first.stateTensors())
        var copy = parameters
        first.step(parameters: &parameters, gradients: gradients, learningRate: 0.01)
        restored.step(parameters: &copy, gradients: gradients, learningRate: 0.01)
        #expect(parameters == copy)
        #expect(throws: AdamWStateError.missing(name: "m.0")) { try restored.loadState(["step": Tensor(scalar: 1)]) }
        var wrong = first.stateTensors()
        wrong["v.1"] = Tensor.zeros([4])
        #expect(throws: AdamWStateError.shapeMismatch(name: "v.1", expected: [2, 2], found: [4])) { try restored.loadState(wrong) }
    }

    @Test("warm-up + cosine schedule matches the Python reference")
    func schedule() throws {
        let data = try Data(contentsOf: try fixtureURL("reference", "json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let reference = try #require(json["schedule"] as? [String: Any])
        let steps = try #require(reference["steps"] as? [Int]), values = try #require(reference["values"] as? [Double])
        let schedule = WarmupCosineSchedule(peak: 0.001, warmupSteps: 10, totalSteps: 100, floor: 0.0001)
        for (step, value) in zip(steps, values) {
            #expect(abs(Double(schedule.learningRate(at: step)) - value) <= 1e-9, "step \(step)")
        }
        #expect(schedule.learningRate(at: 9) == 0.001)       // warm-up ends at the peak
        #expect(schedule.learningRate(at: 1000) == 0.0001)   // floor after the end
        #expect(WarmupCosineSchedule(peak: 1, warmupSteps: 0, totalSteps: 4).learningRate(at: 0) == 1)
    }

    @Test("clipping scales by maxNorm/norm only above the bound and returns the norm before")
    func clipping() {
        var gradients = [Tensor(shape: [1], scalars: [3]), Tensor(shape: [1, 1], scalars: [4])]
        #expect(clipGradients(&gradients, maxNorm: 1) == 5)
        expectClose(gradients[0], Tensor(shape: [1], scalars: [0.6]), absolute: 1e-6, "clipped")
        expectClose(gradients[1], Tensor(shape: [1, 1], scalars: [0.8]), absolute: 1e-6, "clipped")
        var small = [Tensor(shape: [2], scalars: [0.3, 0.4])]
        #expect(abs(clipGradients(&small, maxNorm: 1) - 0.5) < 1e-7)
        #expect(small[0].scalars == [0.3, 0.4])
    }

    @Test("generators reproduce the reference outputs exactly")
    func generators() throws {
        // SplitMix64 seeded with 0: first output 0xe220a8397b1dcdaf (Vigna's reference).
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xe220_a839_7b1d_cdaf)
        let data = try Data(contentsOf: try fixtureURL("reference", "json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let xoshiro = try #require(json["xoshiro_outputs"] as? [String]).compactMap(UInt64.init)
        let splitmix = try #require(json["splitmix_outputs"] as? [String]).compactMap(UInt64.init)
        var generator = SeededGenerator(seed: 42)
        #expect((0..<xoshiro.count).map { _ in generator.next() } == xoshiro)
        var mixer = SplitMix64(seed: 7)
        #expect((0..<splitmix.count).map { _ in mixer.next() } == splitmix)
    }

    @Test("initialisers: seeded, deterministic, with the stated spread")
    func initialisers() {
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        let first = Tensor.xavierUniform([200, 300], generator: &a)
        #expect(first == Tensor.xavierUniform([200, 300], generator: &b))
        let bound = (6.0 / 500.0).squareRoot()
        #expect(first.scalars.allSatisfy { abs(Double($0)) <= bound })
        func standardDeviation(_ t: Tensor) -> Double {
            let mean = t.scalars.reduce(0.0) { $0 + Double($1) } / Double(t.count)
            return (t.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(t.count)).squareRoot()
        }
        var generator = SeededGenerator(seed: 10)
        let cases: [(Tensor, Double)] = [
            (Tensor.xavierNormal([200, 300], generator: &generator), (2.0 / 500).squareRoot()),
            (Tensor.kaimingNormal([200, 300], generator: &generator), (2.0 / 200).squareRoot()),
            (Tensor.kaimingUniform([200, 300], generator: &generator), (2.0 / 200).squareRoot()),  // (√(6/n))/√3
            (Tensor.normal([60_000], standardDeviation: 0.02, generator: &generator), 0.02),
            (first, bound / 3.0.squareRoot()),
        ]
        for (index, (tensor, expected)) in cases.enumerated() {
            #expect(abs(standardDeviation(tensor) / expected - 1) < 0.02, "case \(index): std \(standardDeviation(tensor)) vs \(expected)")
        }
        var masks = SeededGenerator(seed: 11)
        let mask = Tensor.dropoutMask([100_000], probability: 0.25, generator: &masks)
        let dropped = Double(mask.scalars.filter { $0 == 0 }.count) / 100_000
        #expect(abs(dropped - 0.25) < 0.01 && mask.scalars.allSatisfy { $0 == 0 || $0 == Float(1) / 0.75 })
    }
}
