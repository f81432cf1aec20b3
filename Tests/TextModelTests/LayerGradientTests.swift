// Finite-difference checks of every layer's backward: loss = Σ output·R, analytic vs central differences.
import Testing
@testable import TextModel

@Suite("Layer gradients match central finite differences (relative error ≤ 1e-3)")
struct LayerGradientTests {
    @Test("Embedding: dwte and dwpe")
    func embedding() {
        let (b, t, c, v) = (2, 3, 4, 7)
        let ids: [Int32] = [1, 5, 1, 6, 0, 3]
        let tokenTable = randomValues(v * c, seed: 1), positionTable = randomValues(t * c, seed: 2)
        let weight = randomValues(b * t * c, seed: 3)
        func loss(_ wte: [Float], _ wpe: [Float]) -> Double {
            var output = [Float](repeating: 0, count: b * t * c)
            Embedding.forward(output: &output, tokenIds: ids, tokenTable: wte, positionTable: wpe, batchSize: b, tokens: t, channels: c)
            return weightedSum(output, weight)
        }
        var dwte = [Float](repeating: 0, count: v * c), dwpe = [Float](repeating: 0, count: t * c)
        Embedding.backward(tokenTableGradient: &dwte, positionTableGradient: &dwpe, outputGradient: weight, tokenIds: ids,
                           batchSize: b, tokens: t, channels: c)
        let numericTokens = numericalGradient(tokenTable, step: 1e-2) { loss($0, positionTable) }
        let numericPositions = numericalGradient(positionTable, step: 1e-2) { loss(tokenTable, $0) }
        #expect(relativeError(doubles(dwte), numericTokens) <= 1e-3)
        #expect(relativeError(doubles(dwpe), numericPositions) <= 1e-3)
        #expect(dwte[2 * c..<3 * c].allSatisfy { $0 == 0 }, "token 2 is absent, so its row gets no gradient")
    }

    @Test("LayerNorm: dinput, dweight, dbias")
    func layerNorm() {
        let (n, c) = (6, 8)
        let input = randomValues(n * c, scale: 2, seed: 4), weight = randomValues(c, seed: 5).map { $0 + 1 }
        let bias = randomValues(c, seed: 6), outputWeight = randomValues(n * c, seed: 7)
        func loss(_ x: [Float], _ w: [Float], _ b: [Float]) -> Double {
            var output = [Float](repeating: 0, count: n * c), mean = [Float](repeating: 0, count: n), rstd = mean
            LayerNorm.forward(output: &output, mean: &mean, reciprocalStd: &rstd, input: x, weight: w, bias: b,
                              rows: n, channels: c, epsilon: 1e-5)
            return weightedSum(output, outputWeight)
        }
        var output = [Float](repeating: 0, count: n * c), mean = [Float](repeating: 0, count: n), rstd = mean
        LayerNorm.forward(output: &output, mean: &mean, reciprocalStd: &rstd, input: input, weight: weight, bias: bias,
                          rows: n, channels: c, epsilon: 1e-5)
        var dx = [Float](repeating: 0, count: n * c), dw = [Float](repeating: 0, count: c), db = dw
        LayerNorm.backward(inputGradient: &dx, weightGradient: &dw, biasGradient: &db, outputGradient: outputWeight,
                           input: input, weight: weight, mean: mean, reciprocalStd: rstd, rows: n, channels: c)
        #expect(relativeError(doubles(dx), numericalGradient(input, step: 1e-3) { loss($0, weight, bias) }) <= 1e-3)
        #expect(relativeError(doubles(dw), numericalGradient(weight, step: 1e-3) { loss(input, $0, bias) }) <= 1e-3)
        #expect(relativeError(doubles(db), numericalGradient(bias, step: 1e-3) { loss(input, weight, $0) }) <= 1e-3)
    }

    @Test("Linear: dinput, dweight, dbias (through gemm)")
    func linear() {
        let (n, inputs, outputs) = (5, 6, 4)
        let input = randomValues(n * inputs, seed: 8), weight = randomValues(outputs * inputs, seed: 9)
        let bias = randomValues(outputs, seed: 10), outputWeight = randomValues(n * outputs, seed: 11)
        func loss(_ x: [Float], _ w: [Float], _ b: [Float]) -> Double {
            var output = [Float](repeating: 0, count: n * outputs)
            Linear.forward(output: &output, input: x, weight: w, bias: b, rows: n, inputChannels: inputs, outputChannels: outputs)
            return weightedSum(output, outputWeight)
        }
        var dx = [Float](repeating: 0, count: n * inputs), dw = [Float](repeating: 0, count: outputs * inputs)
        var db = [Float](repeating: 0.5, count: outputs)  // starts non-zero: backward must add, not overwrite
        Linear.backward(inputGradient: &dx, weightGradient: &dw, biasGradient: &db, outputGradient: outputWeight,
                        input: input, weight: weight, rows: n, inputChannels: inputs, outputChannels: outputs)
        #expect(relativeError(doubles(dx), numericalGradient(input, step: 1e-2) { loss($0, weight, bias) }) <= 1e-3)
        #expect(relativeError(doubles(dw), numericalGradient(weight, step: 1e-2) { loss(input, $0, bias) }) <= 1e-3)
        #expect(relativeError(doubles(db).map { $0 - 0.5 }, numericalGradient(bias, step: 1e-2) { loss(input, weight, $0) }) <= 1e-3)
    }

    @Test("Attention with a key padding mask: dqkv")
    func attention() {
        let (b, t, c, heads) = (2, 5, 8, 2)
        let valid: [Float] = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
        let qkv = randomValues(b * t * 3 * c, scale: 1.5, seed: 12), outputWeight = randomValues(b * t * c, seed: 13)
        func run(_ qkv: [Float]) -> ([Float], [Float]) {
            var output = [Float](repeating: 0, count: b * t * c), probabilities = [Float](repeating: 0, count: b * heads * t * t)
            Attention.forward(output: &output, probabilities: &probabilities, qkv: qkv, valid: valid,
                              batchSize: b, tokens: t, channels: c, headCount: heads)
            return (output, probabilities)
        }
        let (_, probabilities) = run(qkv)
        var dqkv = [Float](repeating: 0, count: b * t * 3 * c)
        Attention.backward(qkvGradient: &dqkv, outputGradient: outputWeight, probabilities: probabilities, qkv: qkv,
                           batchSize: b, tokens: t, channels: c, headCount: heads)
        let numeric = numericalGradient(qkv, step: 1e-3) { weightedSum(run($0).0, outputWeight) }
        #expect(relativeError(doubles(dqkv), numeric) <= 1e-3)
        // Padded keys get zero probability, and so no key/value gradient.
        let secondBatchRow = (1 * heads + 0) * t * t
        #expect(probabilities[secondBatchRow + 3] == 0 && probabilities[secondBatchRow + 4] == 0)
        let paddedKey = (1 * t + 4) * 3 * c + c
        #expect(dqkv[paddedKey..<paddedKey + 2 * c].allSatisfy { $0 == 0 })
    }

    @Test("GELU (tanh approximation): dinput")
    func gelu() {
        let input = randomValues(64, scale: 4, seed: 14), outputWeight = randomValues(64, seed: 15)
        func loss(_ x: [Float]) -> Double {
            var output = [Float](repeating: 0, count: x.count)
            GELU.forward(output: &output, input: x, count: x.count)
            return weightedSum(output, outputWeight)
        }
        var dx = [Float](repeating: 0, count: 64)
        GELU.backward(inputGradient: &dx, input: input, outputGradient: outputWeight, count: 64)
        #expect(relativeError(doubles(dx), numericalGradient(input, step: 1e-3, loss: loss)) <= 1e-3)
    }

    @Test("Residual: dstream and dbranch")
    func residual() {
        let stream = randomValues(10, seed: 16), branch = randomValues(10, seed: 17), outputWeight = randomValues(10, seed: 18)
        func loss(_ s: [Float], _ r: [Float]) -> Double {
            var output = [Float](repeating: 0, count: 10)
            Residual.forward(output: &output, stream: s, branch: r, count: 10)
            return weightedSum(output, outputWeight)
        }
        var ds = [Float](repeating: 0, count: 10), dr = ds
        Residual.backward(streamGradient: &ds, branchGradient: &dr, outputGradient: outputWeight, count: 10)
        #expect(relativeError(doubles(ds), numericalGradient(stream, step: 1e-2) { loss($0, branch) }) <= 1e-3)
        #expect(relativeError(doubles(dr), numericalGradient(branch, step: 1e-2) { loss(stream, $0) }) <= 1e-3)
    }

    @Test("Masked mean pooling: dinput, nothing at padding")
    func pooling() {
        let (b, t, c) = (2, 4, 3)
        let valid: [Float] = [1, 1, 1, 1, 1, 1, 0, 0]
        let input = randomValues(b * t * c, seed: 19), outputWeight = randomValues(b * c, seed: 20)
        func loss(_ x: [Float]) -> Double {
            var output = [Float](repeating: 0, count: b * c)
            MeanPooling.forward(output: &output, input: x, valid: valid, batchSize: b, tokens: t, channels: c)
            return weightedSum(output, outputWeight)
        }
        var dx = [Float](repeating: 0, count: b * t * c)
        MeanPooling.backward(inputGradient: &dx, outputGradient: outputWeight, valid: valid, batchSize: b, tokens: t, channels: c)
        #expect(relativeError(doubles(dx), numericalGradient(input, step: 1e-2, loss: loss)) <= 1e-3)
        #expect(dx[(t + 2) * c..<2 * t * c].allSatisfy { $0 == 0 })
        var output = [Float](repeating: 0, count: b * c)
        MeanPooling.forward(output: &output, input: input, valid: valid, batchSize: b, tokens: t, channels: c)
        #expect(abs(output[c] - (input[(t) * c] + input[(t + 1) * c]) / 2) < 1e-6, "second sequence averages its 2 tokens")
    }

    @Test("Masked-LM head tied to wte + softmax cross-entropy: dhidden, dwte")
    func maskedLMHead() {
        let (rows, v, c) = (6, 9, 4)
        let positions: [Int32] = [0, 3, 5], targets: [Int32] = [2, 8, 2]
        let hidden = randomValues(rows * c, scale: 2, seed: 21), tokenTable = randomValues(v * c, scale: 2, seed: 22)
        func loss(_ h: [Float], _ wte: [Float]) -> Double {
            var probabilities = [Float](repeating: 0, count: 3 * v), gathered = [Float](repeating: 0, count: 3 * c)
            return Double(MaskedLMHead.forward(probabilities: &probabilities, gathered: &gathered, hidden: h, positions: positions,
                                               targets: targets, tokenEmbedding: wte, maskedCount: 3, vocabularySize: v, channels: c))
        }
        var probabilities = [Float](repeating: 0, count: 3 * v), gathered = [Float](repeating: 0, count: 3 * c)
        let value = MaskedLMHead.forward(probabilities: &probabilities, gathered: &gathered, hidden: hidden, positions: positions,
                                         targets: targets, tokenEmbedding: tokenTable, maskedCount: 3, vocabularySize: v, channels: c)
        #expect(value > 0)
        var dh = [Float](repeating: 0, count: rows * c), dwte = [Float](repeating: 0, count: v * c)
        MaskedLMHead.backward(hiddenGradient: &dh, tokenEmbeddingGradient: &dwte, probabilities: &probabilities, gathered: gathered,
                              positions: positions, targets: targets, tokenEmbedding: tokenTable, maskedCount: 3,
                              vocabularySize: v, channels: c)
        #expect(relativeError(doubles(dh), numericalGradient(hidden, step: 1e-3) { loss($0, tokenTable) }) <= 1e-3)
        #expect(relativeError(doubles(dwte), numericalGradient(tokenTable, step: 1e-3) { loss(hidden, $0) }) <= 1e-3)
        #expect(dh[c..<3 * c].allSatisfy { $0 == 0 }, "unmasked rows get no gradient")
    }
}
