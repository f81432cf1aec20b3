// GELU activation, tanh approximation (Hendrycks & Gimpel 2016; GPT-2's `gelu`).
//
// Shapes: input (N) → output (N), elementwise; N = B·T·4C in the MLP.

/// gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
enum GELU {
    static let scale: Float = (2 / Float.pi).squareRoot()

    /// output (N) = gelu(input (N)).
    static func forward(output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
        let scale = Self.scale
        Parallel.forEachChunk(count, minimumRows: 16384) { _, range in
            for i in range {
                let x = input[i]
                output[i] = 0.5 * x * (1 + VectorMath.tanh(scale * (x + 0.044715 * x * x * x)))
            }
        }
    }

    /// dinput (N) += gelu'(input) · doutput, with gelu' = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²).
    static func backward(inputGradient: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                         outputGradient: UnsafePointer<Float>, count: Int) {
        let scale = Self.scale
        Parallel.forEachChunk(count, minimumRows: 16384) { _, range in
            for i in range {
                let x = input[i]
                let tanhValue = VectorMath.tanh(scale * (x + 0.044715 * x * x * x))
                let slope = scale * (1 + 3 * 0.044715 * x * x)
                let derivative = 0.5 * (1 + tanhValue) + 0.5 * x * (1 - tanhValue * tanhValue) * slope
                inputGradient[i] += derivative * outputGradient[i]
            }
        }
    }
}
