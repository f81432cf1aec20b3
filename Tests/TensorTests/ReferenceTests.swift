// Forward values against goldens from tools/tensor_reference.py (numpy, float64 where it matters),
// stored in Fixtures/reference.safetensors (written by the Python `safetensors` package).
import Foundation
import Testing
@testable import Tensor

@Suite("Forward ops match the numpy reference")
struct ReferenceTests {
    let t: [String: Tensor]

    init() throws {
        t = try SafeTensors.read(contentsOf: try fixtureURL("reference", "safetensors"))
    }

    func get(_ name: String) throws -> Tensor { try #require(t[name], "fixture lacks \(name)") }

    @Test("matmul with transposes and batches")
    func matmul() throws {
        let a = try get("matmul.a")
        expectClose(Tensor.matmul(a, try get("matmul.b")), try get("matmul.ab"), "ab")
        expectClose(Tensor.matmul(a, try get("matmul.c"), transposeA: true), try get("matmul.atb"), "aᵀb")
        expectClose(Tensor.matmul(a, try get("matmul.d"), transposeB: true), try get("matmul.abt"), "abᵀ")
        expectClose(Tensor.matmul(a, try get("matmul.e"), transposeA: true, transposeB: true), try get("matmul.atbt"), "aᵀbᵀ")
        expectClose(Tensor.matmul(try get("batched.a"), try get("batched.b")), try get("batched.ab"), "batched")
        let w = try get("matmul.b").slice(axis: 0, range: 0..<6)
        expectClose(Tensor.matmul(try get("batched.a"), w), try get("batched.a_shared_w"), "shared")
    }

    @Test("broadcast elementwise")
    func elementwise() throws {
        let x = try get("elementwise.x"), row = try get("elementwise.row")
        expectClose(x + row, try get("elementwise.add"), "add")
        expectClose(x - row, try get("elementwise.sub"), "sub")
        expectClose(x * row, try get("elementwise.mul"), "mul")
        expectClose(x / (try get("elementwise.positive")), try get("elementwise.div"), "div")
    }

    @Test("reductions along each axis")
    func reductions() throws {
        let x = try get("elementwise.x")
        for axis in 0..<3 {
            expectClose(x.sum(axis: axis), try get("reduce.sum\(axis)"), "sum \(axis)")
            expectClose(x.mean(axis: axis), try get("reduce.mean\(axis)"), "mean \(axis)")
            expectClose(x.max(axis: axis), try get("reduce.max\(axis)"), "max \(axis)")
        }
    }

    @Test("softmax, log-softmax, layer norm, GELU, ReLU")
    func normalizationAndActivations() throws {
        let logits = try get("softmax.x")
        expectClose(logits.softmax(), try get("softmax.y"), absolute: 1e-6, "softmax")
        expectClose(logits.logSoftmax(), try get("logsoftmax.y"), "logSoftmax")
        let layerNormed = Tensor.layerNorm(try get("layernorm.x"), gain: try get("layernorm.gain"), bias: try get("layernorm.bias"))
        expectClose(layerNormed, try get("layernorm.y"), absolute: 1e-5, relative: 1e-4, "layerNorm")
        let activation = try get("activation.x")
        expectClose(activation.gelu(), try get("activation.gelu"), absolute: 1e-6, "gelu")
        expectClose(activation.relu(), try get("activation.relu"), absolute: 0, relative: 0, "relu")
    }

    @Test("embedding, concat, slice")
    func gatherConcatSlice() throws {
        let ids = try get("embedding.ids").scalars.map { Int($0) }
        expectClose(Tensor.embedding(try get("embedding.table"), ids: ids, idsShape: [2, 3]), try get("embedding.y"),
                    absolute: 0, relative: 0, "embedding")
        let a = try get("concat.a"), b = try get("concat.b")
        expectClose(Tensor.concat([a, b], axis: 1), try get("concat.axis1"), absolute: 0, relative: 0, "concat")
        expectClose(b.slice(axis: 2, range: 1..<3), try get("slice.axis2"), absolute: 0, relative: 0, "slice")
    }

    @Test("losses")
    func losses() throws {
        let tape = Tape()
        let mse = tape.meanSquaredError(tape.constant(try get("mse.prediction")), target: try get("mse.target"))
        expectClose(tape.value(mse).reshaped([1]), try get("mse.loss"), absolute: 1e-6, "mse")
        let targets = try get("ce.targets").scalars.map { Int($0) }
        let crossEntropy = tape.crossEntropy(tape.constant(try get("ce.logits")), targets: targets)
        expectClose(tape.value(crossEntropy).reshaped([1]), try get("ce.loss"), absolute: 1e-6, "crossEntropy")
    }

    @Test("AdamW over three steps (weight decay 0.1)")
    func adamW() throws {
        let configuration = AdamWConfiguration(learningRate: 0.01, weightDecay: 0.1)
        var parameters = [try get("adamw.params")]
        let optimizer = AdamW(configuration: configuration, parameterShapes: [parameters[0].shape])
        for step in 0..<3 {
            optimizer.step(parameters: &parameters, gradients: [try get("adamw.grad\(step)")], learningRate: 0.01)
        }
        expectClose(parameters[0], try get("adamw.after3"), absolute: 1e-6, "AdamW")
    }
}
