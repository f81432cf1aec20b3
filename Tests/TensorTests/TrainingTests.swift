// End-to-end: the tape + AdamW + schedule + clipping train a two-layer MLP on a seeded synthetic
// regression and a pre-LN transformer block (two heads via slice/concat, dropout) on a toy sequence task.
import Testing
@testable import Tensor

@Suite("Training with the tape")
struct TrainingTests {
    /// Runs `steps` AdamW steps on `parameters`, returning the loss of every step.
    static func train(_ parameters: inout [Tensor], steps: Int, peak: Float, decays: [Bool],
                      loss: (Tape, [Variable], Int) -> Variable) -> [Float] {
        let optimizer = AdamW(configuration: AdamWConfiguration(learningRate: peak, weightDecay: 0.01),
                              parameterShapes: parameters.map(\.shape), decays: decays)
        let schedule = WarmupCosineSchedule(peak: peak, warmupSteps: steps / 10, totalSteps: steps, floor: peak / 10)
        var losses: [Float] = []
        for step in 0..<steps {
            let tape = Tape()
            let variables = parameters.map { tape.parameter($0) }
            let value = loss(tape, variables, step)
            tape.backward(value)
            var gradients = variables.map { tape.gradient(of: $0) }
            clipGradients(&gradients, maxNorm: 1)
            optimizer.step(parameters: &parameters, gradients: gradients, learningRate: schedule.learningRate(at: step))
            losses.append(tape.value(value).scalar)
        }
        return losses
    }

    @Test("a 2-layer MLP fits y = sin(2x₀) + x₁x₂ to MSE < 0.01 (target variance ≈ 1.4; reached ≈ 0.0025)")
    func multilayerPerceptron() {
        let samples = 128, inputs = 4, hidden = 32
        let x = randomTensor([samples, inputs], seed: 1)
        let y = Tensor(shape: [samples, 1], scalars: (0..<samples).map { row in
            Foundation.sin(2 * x.scalars[row * inputs]) + x.scalars[row * inputs + 1] * x.scalars[row * inputs + 2]
        })
        var generator = SeededGenerator(seed: 2)
        var parameters = [
            Tensor.kaimingNormal([inputs, hidden], generator: &generator), Tensor.zeros([hidden]),
            Tensor.xavierNormal([hidden, 1], generator: &generator), Tensor.zeros([1]),
        ]
        let losses = Self.train(&parameters, steps: 600, peak: 0.02, decays: [true, false, true, false]) { tape, p, _ in
            let hiddenLayer = tape.gelu(tape.add(tape.matmul(tape.constant(x), p[0]), p[1]))   // [N, 32]
            let prediction = tape.add(tape.matmul(hiddenLayer, p[2]), p[3])                    // [N, 1]
            return tape.meanSquaredError(prediction, target: y)
        }
        let first = losses[0], last = losses[losses.count - 1]
        #expect(first > 0.8, "initial loss \(first)")
        #expect(last < 0.01, "final training MSE \(last) (initial \(first))")
    }

    @Test("a transformer block learns to copy the first token to every position (loss < 0.1 from ln V ≈ 1.79; reached ≈ 0.004)")
    func transformerBlock() {
        let batch = 8, tokens = 5, channels = 16, vocabulary = 6, heads = 2, headWidth = 8
        var generator = SeededGenerator(seed: 3)
        func matrix(_ rows: Int, _ columns: Int) -> Tensor { Tensor.xavierUniform([rows, columns], generator: &generator) }
        // embedding, positions, ln1 gain/bias, Wq, Wk, Wv, Wo, ln2 gain/bias, W1, b1, W2, b2, lnF gain/bias, Wout
        var parameters = [
            Tensor.normal([vocabulary, channels], standardDeviation: 0.5, generator: &generator),
            Tensor.normal([tokens, channels], standardDeviation: 0.5, generator: &generator),
            Tensor(shape: [channels], repeating: 1), Tensor.zeros([channels]),
            matrix(channels, channels), matrix(channels, channels), matrix(channels, channels), matrix(channels, channels),
            Tensor(shape: [channels], repeating: 1), Tensor.zeros([channels]),
            matrix(channels, 4 * channels), Tensor.zeros([4 * channels]), matrix(4 * channels, channels), Tensor.zeros([channels]),
            Tensor(shape: [channels], repeating: 1), Tensor.zeros([channels]),
            matrix(channels, vocabulary),
        ]
        let decays = [false, false, false, false, true, true, true, true, false, false, true, false, true, false, false, false, true]
        var data = SeededGenerator(seed: 4)
        var dropout = SeededGenerator(seed: 5)
        let losses = Self.train(&parameters, steps: 200, peak: 0.01, decays: decays) { tape, p, _ in
            let ids = (0..<(batch * tokens)).map { _ in data.nextIndex(below: vocabulary) }
            let targets = ids.indices.map { ids[($0 / tokens) * tokens] }                     // first token of the row
            var x = tape.add(tape.embedding(p[0], ids: ids, idsShape: [batch, tokens]), p[1])  // [B, T, C]
            let h = tape.layerNorm(x, gain: p[2], bias: p[3])
            let q = tape.matmul(h, p[4]), k = tape.matmul(h, p[5]), v = tape.matmul(h, p[6])  // [B, T, C]
            let headOutputs = (0..<heads).map { head in
                let range = (head * headWidth)..<((head + 1) * headWidth)
                let qh = tape.slice(q, axis: 2, range: range), kh = tape.slice(k, axis: 2, range: range)
                let scores = tape.scale(tape.matmul(qh, kh, transposeB: true), by: 1 / Float(headWidth).squareRoot())  // [B, T, T]
                return tape.matmul(tape.softmax(scores), tape.slice(v, axis: 2, range: range))  // [B, T, D]
            }
            x = tape.add(x, tape.matmul(tape.concat(headOutputs, axis: 2), p[7]))
            let h2 = tape.layerNorm(x, gain: p[8], bias: p[9])
            let mlp = tape.add(tape.matmul(tape.gelu(tape.add(tape.matmul(h2, p[10]), p[11])), p[12]), p[13])
            x = tape.add(x, tape.dropout(mlp, probability: 0.1, generator: &dropout))
            let logits = tape.matmul(tape.layerNorm(x, gain: p[14], bias: p[15]), p[16])   // [B, T, V]
            return tape.crossEntropy(tape.reshape(logits, to: [batch * tokens, vocabulary]), targets: targets)
        }
        let start = losses.prefix(5).reduce(0, +) / 5, end = losses.suffix(10).reduce(0, +) / 10
        let chance = Foundation.log(Float(vocabulary))
        #expect(start > 0.7 * chance, "initial loss \(start), ln V = \(chance)")
        #expect(end < 0.1, "final loss \(end) (initial \(start), ln V = \(chance))")
    }
}

import Foundation
