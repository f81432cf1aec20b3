// Golden outputs and gradients from the independent numpy reference (tools/textmodel_reference.py).
import Foundation
import Tensor
import Testing
@testable import TextModel

/// The fixture: weights, inputs and float64 results of tools/textmodel_reference.py.
struct GoldenFixture {
    let configuration: TextEncoderConfiguration
    let tensors: [String: Tensor]

    init() throws {
        let url = try #require(Bundle.module.url(forResource: "textmodel_golden", withExtension: "safetensors", subdirectory: "Fixtures"))
        tensors = try SafeTensors.read(contentsOf: url)
        let json = try #require(try SafeTensors.readMetadata(contentsOf: url)["config"])
        configuration = try JSONDecoder().decode(TextEncoderConfiguration.self, from: Data(json.utf8))
    }

    func values(_ name: String) throws -> [Float] { try #require(tensors[name], "fixture lacks \(name)").scalars }
    func ids(_ name: String) throws -> [Int32] { try values(name).map { Int32($0) } }

    /// An encoder holding the fixture's weights.
    func encoder() throws -> TextEncoder {
        let encoder = try TextEncoder(configuration: configuration)
        var weights: [String: Tensor] = [:]
        for (name, tensor) in tensors where name.hasPrefix("param.") { weights[String(name.dropFirst(6))] = tensor }
        try encoder.loadWeights(weights, file: "textmodel_golden.safetensors")
        return encoder
    }

    /// The fixture's masked batch (2 sequences of 8, the second padded after 5 tokens).
    func batch() throws -> MaskedLMBatch {
        let shape = try #require(tensors["input.token_ids"]).shape
        return MaskedLMBatch(input: try TokenBatch(tokenIds: try ids("input.token_ids"), batchSize: shape[0], tokens: shape[1]),
                             positions: try ids("input.positions"), targets: try ids("input.targets"))
    }
}

/// Largest |a − b| / (atol + rtol·|b|) over the elements: ≤ 1 means within tolerance.
func toleranceRatio(_ a: [Float], _ b: [Float], atol: Float, rtol: Float) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1) / (atol + rtol * abs($1.1))) }
}

@Suite("Golden outputs from the numpy reference")
struct GoldenTests {
    @Test("Forward: final hidden states, pooled vectors and masked-LM loss")
    func forward() throws {
        let fixture = try GoldenFixture()
        let encoder = try fixture.encoder()
        let loss = try encoder.forwardMaskedLM(fixture.batch())
        #expect(abs(loss - (try fixture.values("expected.mlm_loss")[0])) < 1e-5)
        #expect(encoder.hidden.count == (try fixture.values("expected.hidden")).count)
        #expect(toleranceRatio(encoder.hidden, try fixture.values("expected.hidden"), atol: 1e-5, rtol: 1e-4) <= 1)
        #expect(toleranceRatio(encoder.pooled, try fixture.values("expected.pooled"), atol: 1e-5, rtol: 1e-4) <= 1)
    }

    @Test("Backward: parameter gradients of mlm_loss + Σ pooled·R match the reference's finite differences")
    func gradients() throws {
        let fixture = try GoldenFixture()
        let encoder = try fixture.encoder()
        encoder.gradients.zero()
        _ = try encoder.forwardMaskedLM(fixture.batch())
        try encoder.backward(pooledGradient: try fixture.values("input.pooled_gradient"))
        let names = fixture.tensors.keys.filter { $0.hasPrefix("gradient.") }.sorted()
        #expect(names.count == 10)
        for name in names {
            let parameter = String(name.dropFirst("gradient.".count))
            let analytic = try #require(encoder.gradients.values(parameter))
            let error = relativeError(doubles(analytic), doubles(try fixture.values(name)))
            #expect(error <= 1e-4, "\(parameter): relative error \(error)")
        }
    }

    @Test("encode(_:) of each sequence alone equals its row of the padded batch")
    func encodeMatchesBatch() throws {
        let fixture = try GoldenFixture()
        let encoder = try fixture.encoder()
        let batch = try fixture.batch().input
        let pooled = try encoder.forward(batch)
        let second = Array(batch.tokenIds[8..<13])  // the 5 real tokens of the padded sequence
        let alone = try encoder.encode(second)
        #expect(toleranceRatio(alone, Array(pooled[16..<32]), atol: 1e-5, rtol: 1e-4) <= 1)
    }
}
