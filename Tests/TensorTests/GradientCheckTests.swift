// Finite-difference checks of every tape op's gradient rule (central differences, sums in Double,
// relative error ≤ 1e-3), on shapes with extents of 1, odd extents and one large case per op.
// To add an op: one @Test with its shapes and a closure building it on the tape.
import Testing
@testable import Tensor

@Suite("Gradients match central finite differences")
struct GradientCheckTests {
    static let shapes: [[Int]] = [[1, 1], [3, 5], [2, 3, 7], [4, 257]]

    @Test("matmul, every transpose combination, batched and shared operands", arguments: [(1, 1, 1), (3, 5, 2), (4, 1, 7), (33, 65, 17)])
    func matmul(m: Int, k: Int, n: Int) {
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = randomTensor(transposeA ? [k, m] : [m, k], seed: 1)
                let b = randomTensor(transposeB ? [n, k] : [k, n], seed: 2)
                expectGradient("matmul \(transposeA) \(transposeB)", [a, b]) {
                    $0.matmul($1[0], $1[1], transposeA: transposeA, transposeB: transposeB)
                }
                let batchedA = randomTensor([3] + a.shape, seed: 3)
                let batchedB = randomTensor([3] + b.shape, seed: 4)
                expectGradient("batched \(transposeA) \(transposeB)", [batchedA, batchedB]) {
                    $0.matmul($1[0], $1[1], transposeA: transposeA, transposeB: transposeB)
                }
                expectGradient("shared right \(transposeA) \(transposeB)", [batchedA, b]) {
                    $0.matmul($1[0], $1[1], transposeA: transposeA, transposeB: transposeB)
                }
                expectGradient("shared left \(transposeA) \(transposeB)", [a, batchedB]) {
                    $0.matmul($1[0], $1[1], transposeA: transposeA, transposeB: transposeB)
                }
            }
        }
    }

    @Test("add, subtract, multiply, divide with trailing broadcast", arguments: shapes)
    func binary(shape: [Int]) {
        let a = randomTensor(shape, seed: 10)
        let same = randomTensor(shape, seed: 11)
        let trailing = randomTensor([shape.last ?? 1], seed: 12)
        let positive = randomTensor([shape.last ?? 1], seed: 13).map { abs($0) + 0.5 }
        for b in [same, trailing] {
            expectGradient("add \(b.shape)", [a, b]) { $0.add($1[0], $1[1]) }
            expectGradient("subtract \(b.shape)", [a, b]) { $0.subtract($1[0], $1[1]) }
            expectGradient("multiply \(b.shape)", [a, b]) { $0.multiply($1[0], $1[1]) }
        }
        expectGradient("divide", [a, positive]) { $0.divide($1[0], $1[1]) }
        expectGradient("add scalar", [a, Tensor(scalar: 0.3)]) { $0.add($1[0], $1[1]) }
    }

    @Test("scale, exp, log", arguments: shapes)
    func unary(shape: [Int]) {
        let x = randomTensor(shape, seed: 20)
        expectGradient("scale", [x]) { $0.scale($1[0], by: -1.7) }
        expectGradient("exp", [x], epsilon: 3e-3) { $0.exp($1[0]) }
        expectGradient("log", [x.map { abs($0) + 0.5 }], epsilon: 3e-3) { $0.log($1[0]) }
    }

    @Test("sum, mean, max along every axis and over everything", arguments: shapes)
    func reductions(shape: [Int]) {
        let x = randomTensor(shape, seed: 30)
        let distinct = distinctValues(shape, seed: 31)
        for axis in 0..<shape.count {
            expectGradient("sum axis \(axis)", [x]) { $0.sum($1[0], axis: axis) }
            expectGradient("mean axis \(axis)", [x]) { $0.mean($1[0], axis: axis) }
            expectGradient("max axis \(axis)", [distinct]) { $0.max($1[0], axis: axis) }
        }
        expectGradient("sum all", [x]) { $0.sum($1[0]) }
        expectGradient("mean all", [x]) { $0.mean($1[0]) }
        expectGradient("negative axis", [x]) { $0.sum($1[0], axis: -1) }
    }

    @Test("softmax and log-softmax", arguments: shapes)
    func softmax(shape: [Int]) {
        let x = randomTensor(shape, seed: 40, scale: 2)
        expectGradient("softmax", [x], epsilon: 3e-3) { $0.softmax($1[0]) }
        expectGradient("logSoftmax", [x], epsilon: 3e-3) { $0.logSoftmax($1[0]) }
    }

    @Test("layer norm", arguments: [[1, 3], [3, 5], [2, 3, 7], [2, 513]])
    func layerNorm(shape: [Int]) {
        let width = shape.last ?? 1
        let x = randomTensor(shape, seed: 50, scale: 1.5)
        let gain = randomTensor([width], seed: 51).map { $0 + 1 }
        let bias = randomTensor([width], seed: 52)
        expectGradient("layerNorm", [x, gain, bias], epsilon: 3e-3) { $0.layerNorm($1[0], gain: $1[1], bias: $1[2]) }
    }

    @Test("GELU and ReLU (inputs kept off ReLU's kink)", arguments: shapes)
    func activations(shape: [Int]) {
        expectGradient("gelu", [randomTensor(shape, seed: 60, scale: 2)], epsilon: 3e-3) { $0.gelu($1[0]) }
        expectGradient("relu", [awayFromZero(shape, seed: 61)]) { $0.relu($1[0]) }
    }

    @Test("dropout with a fixed seed", arguments: shapes)
    func dropout(shape: [Int]) {
        expectGradient("dropout", [randomTensor(shape, seed: 70)]) { tape, inputs in
            var generator = SeededGenerator(seed: 71)  // same mask on every evaluation
            return tape.dropout(inputs[0], probability: 0.3, generator: &generator)
        }
    }

    @Test("embedding gather with repeated ids", arguments: [1, 5, 300])
    func embedding(width: Int) {
        let table = randomTensor([7, width], seed: 80)
        expectGradient("embedding", [table]) { $0.embedding($1[0], ids: [3, 0, 3, 6, 1, 3], idsShape: [2, 3]) }
    }

    @Test("concat and slice along every axis", arguments: shapes)
    func concatSlice(shape: [Int]) {
        for axis in 0..<shape.count {
            var otherShape = shape
            otherShape[axis] += 2
            let a = randomTensor(shape, seed: 90), b = randomTensor(otherShape, seed: 91)
            expectGradient("concat axis \(axis)", [a, b, a]) { $0.concat($1, axis: axis) }
            expectGradient("slice axis \(axis)", [b]) { $0.slice($1[0], axis: axis, range: 1..<(otherShape[axis] - 1)) }
        }
        let x = randomTensor(shape, seed: 92)
        expectGradient("reshape", [x]) { $0.reshape($1[0], to: [x.count]) }
        expectGradient("transposeLastTwo", [x]) { $0.transposeLastTwo($1[0]) }
    }

    @Test("mean squared error and cross-entropy (with an ignored row)", arguments: [1, 3, 301])
    func losses(width: Int) {
        let prediction = randomTensor([4, width], seed: 100)
        let target = randomTensor([4, width], seed: 101)
        // The loss is one Float32 near 1 while each partial is ~1/count: wide steps keep the rounding of the
        // loss small against the difference (MSE is quadratic, so central differences are exact for any step).
        expectGradient("mse", [prediction], epsilon: 0.1) { $0.meanSquaredError($1[0], target: target) }
        let targets = [0, width - 1, -1, width / 2]
        expectGradient("crossEntropy", [randomTensor([4, width], seed: 102, scale: 2)], epsilon: 3e-2) {
            $0.crossEntropy($1[0], targets: targets)
        }
    }

    @Test("backward accumulates across calls and over repeated uses")
    func accumulation() {
        let tape = Tape()
        let x = tape.parameter(Tensor(shape: [2], scalars: [1, 2]))
        let y = tape.sum(tape.multiply(x, x))            // Σ x², used twice below
        let z = tape.add(y, y)                           // dz/dx = 4x
        tape.backward(z)
        #expect(tape.gradient(of: x).scalars == [4, 8])
        tape.backward(z)                                 // accumulates: 8x
        #expect(tape.gradient(of: x).scalars == [8, 16])
        tape.zeroGradients()
        tape.backward(y)
        #expect(tape.gradient(of: x).scalars == [2, 4])
    }

    @Test("constants get no gradient and record no rule")
    func constants() {
        let tape = Tape()
        let c = tape.constant(Tensor(shape: [2], scalars: [1, 2]))
        let p = tape.parameter(Tensor(shape: [2], scalars: [3, 4]))
        let product = tape.multiply(c, p)
        #expect(!tape.requiresGradient(tape.exp(c)))
        tape.backward(tape.sum(product))
        #expect(tape.gradient(of: p).scalars == [1, 2])
        #expect(tape.gradient(of: c).scalars == [0, 0])
    }
}
