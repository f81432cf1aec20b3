// GELU activation, tanh approximation (Hendrycks & Gimpel 2016; GPT-2's `gelu`), 16 lanes at a time.
//
// Shapes: input (N) → output (N), elementwise; N = B·T·4C in the MLP.

/// gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
enum GELU {
    static let scale: Float = (2 / Float.pi).squareRoot()

    /// output (N) = gelu(input (N)).
    static func forward(output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
        Parallel.forEachChunk((count + 15) / 16, minimumRows: 1024) { _, blocks in
            for block in blocks {
                let start = block * 16, lanes = min(16, count - start)
                let x = VectorMath.load(input + start, count: lanes)
                let inner: Float16Lanes = scale * (x + 0.044715 * x * x * x)
                let y: Float16Lanes = 0.5 * x * (1 + VectorMath.tanh(inner))
                VectorMath.store(y, to: output + start, count: lanes)
            }
        }
    }

    /// dinput (N) += gelu'(input) · doutput, with gelu' = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²).
    static func backward(inputGradient: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                         outputGradient: UnsafePointer<Float>, count: Int) {
        Parallel.forEachChunk((count + 15) / 16, minimumRows: 1024) { _, blocks in
            for block in blocks {
                let start = block * 16, lanes = min(16, count - start)
                let x = VectorMath.load(input + start, count: lanes)
                let inner: Float16Lanes = scale * (x + 0.044715 * x * x * x)
                let tanhValue = VectorMath.tanh(inner)
                let slope: Float16Lanes = scale * (1 + 3 * 0.044715 * x * x)
                let sech2: Float16Lanes = 1 - tanhValue * tanhValue
                let derivative: Float16Lanes = 0.5 * (1 + tanhValue) + 0.5 * x * sech2 * slope
                let upstream = VectorMath.load(outputGradient + start, count: lanes)
                let gradient: Float16Lanes = VectorMath.load(inputGradient + start, count: lanes) + derivative * upstream
                VectorMath.store(gradient, to: inputGradient + start, count: lanes)
            }
        }
    }
}
