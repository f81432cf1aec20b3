// The text encoder's parameter layout (nanoGPT names) and its GPT-2 style initialization.
import Foundation
import Tensor

/// Pointers to one block's parameters inside a `ParameterBuffer`. Shapes: (OC, IC) weights, (OC) biases.
struct BlockParameters {
    /// `h.l.ln_1.weight`, `.bias` (C).
    let layerNorm1Weight, layerNorm1Bias: UnsafeMutablePointer<Float>
    /// `h.l.attn.c_attn.weight` (3C, C), `.bias` (3C).
    let attentionInputWeight, attentionInputBias: UnsafeMutablePointer<Float>
    /// `h.l.attn.c_proj.weight` (C, C), `.bias` (C).
    let attentionOutputWeight, attentionOutputBias: UnsafeMutablePointer<Float>
    /// `h.l.ln_2.weight`, `.bias` (C).
    let layerNorm2Weight, layerNorm2Bias: UnsafeMutablePointer<Float>
    /// `h.l.mlp.c_fc.weight` (4C, C), `.bias` (4C).
    let mlpInputWeight, mlpInputBias: UnsafeMutablePointer<Float>
    /// `h.l.mlp.c_proj.weight` (C, 4C), `.bias` (C).
    let mlpOutputWeight, mlpOutputBias: UnsafeMutablePointer<Float>

    init(_ buffer: ParameterBuffer, layer: Int) {
        let prefix = "h.\(layer)."
        layerNorm1Weight = buffer.pointer(prefix + "ln_1.weight")
        layerNorm1Bias = buffer.pointer(prefix + "ln_1.bias")
        attentionInputWeight = buffer.pointer(prefix + "attn.c_attn.weight")
        attentionInputBias = buffer.pointer(prefix + "attn.c_attn.bias")
        attentionOutputWeight = buffer.pointer(prefix + "attn.c_proj.weight")
        attentionOutputBias = buffer.pointer(prefix + "attn.c_proj.bias")
        layerNorm2Weight = buffer.pointer(prefix + "ln_2.weight")
        layerNorm2Bias = buffer.pointer(prefix + "ln_2.bias")
        mlpInputWeight = buffer.pointer(prefix + "mlp.c_fc.weight")
        mlpInputBias = buffer.pointer(prefix + "mlp.c_fc.bias")
        mlpOutputWeight = buffer.pointer(prefix + "mlp.c_proj.weight")
        mlpOutputBias = buffer.pointer(prefix + "mlp.c_proj.bias")
    }
}

/// Pointers to every parameter (or every gradient) of the encoder.
struct EncoderParameters {
    /// `wte.weight` (V, C): token embedding, tied to the masked-LM output layer.
    let tokenEmbedding: UnsafeMutablePointer<Float>
    /// `wpe.weight` (maxT, C): learned position embedding.
    let positionEmbedding: UnsafeMutablePointer<Float>
    /// The L blocks.
    let blocks: [BlockParameters]
    /// `ln_f.weight`, `ln_f.bias` (C): final layer norm.
    let finalNormWeight, finalNormBias: UnsafeMutablePointer<Float>

    init(_ buffer: ParameterBuffer, layerCount: Int) {
        tokenEmbedding = buffer.pointer("wte.weight")
        positionEmbedding = buffer.pointer("wpe.weight")
        blocks = (0..<layerCount).map { BlockParameters(buffer, layer: $0) }
        finalNormWeight = buffer.pointer("ln_f.weight")
        finalNormBias = buffer.pointer("ln_f.bias")
    }
}

extension TextEncoderConfiguration {
    /// Parameter names and shapes in storage order (nanoGPT names without the `transformer.` prefix).
    public var parameterLayout: [(name: String, shape: [Int])] {
        let c = width, hidden = mlpWidth
        var layout: [(name: String, shape: [Int])] = [("wte.weight", [vocabularySize, c]), ("wpe.weight", [contextLength, c])]
        for layer in 0..<layerCount {
            let prefix = "h.\(layer)."
            layout += [
                (prefix + "ln_1.weight", [c]), (prefix + "ln_1.bias", [c]),
                (prefix + "attn.c_attn.weight", [3 * c, c]), (prefix + "attn.c_attn.bias", [3 * c]),
                (prefix + "attn.c_proj.weight", [c, c]), (prefix + "attn.c_proj.bias", [c]),
                (prefix + "ln_2.weight", [c]), (prefix + "ln_2.bias", [c]),
                (prefix + "mlp.c_fc.weight", [hidden, c]), (prefix + "mlp.c_fc.bias", [hidden]),
                (prefix + "mlp.c_proj.weight", [c, hidden]), (prefix + "mlp.c_proj.bias", [c]),
            ]
        }
        layout += [("ln_f.weight", [c]), ("ln_f.bias", [c])]
        return layout
    }

    /// Number of trainable Floats.
    public var parameterCount: Int { parameterLayout.reduce(0) { $0 + $1.shape.reduce(1, *) } }
}

extension ParameterBuffer {
    /// GPT-2 initialization (nanoGPT `_init_weights`): weights and embeddings N(0, 0.02), residual
    /// projections (`c_proj`) N(0, 0.02/√(2L)), biases 0, layer-norm weights 1. Seeded, reproducible.
    func initializeGPT2(layerCount: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let projectionStandardDeviation = 0.02 / Float(2 * layerCount).squareRoot()
        for specification in specifications {
            let pointer = base + specification.offset
            if specification.name.hasSuffix(".bias") {
                pointer.update(repeating: 0, count: specification.count)
            } else if specification.name.contains("ln_") {
                pointer.update(repeating: 1, count: specification.count)
            } else {
                let deviation: Float = specification.name.hasSuffix("c_proj.weight") ? projectionStandardDeviation : 0.02
                for i in 0..<specification.count { pointer[i] = deviation * generator.nextGaussian() }
            }
        }
    }
}
