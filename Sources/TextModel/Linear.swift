// Fully connected layer through the BLAS seam (PyTorch `nn.Linear` layout: weight is (OC, IC)).
//
// Shapes: input (N,IC) with N = B·T rows · weight (OC,IC) · bias (OC) → output (N,OC).
import Tensor

/// output = input · weightᵀ + bias.
enum Linear {
    /// output (N,OC) = input (N,IC) · weightᵀ (IC,OC) + bias (OC).
    static func forward(
        output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        rows: Int, inputChannels: Int, outputChannels: Int
    ) {
        // Broadcast the bias into every row, then accumulate the product on top (beta = 1).
        for row in 0..<rows { (output + row * outputChannels).update(from: bias, count: outputChannels) }
        Parallel.rowSplitGemm(.none, .transposed, m: rows, n: outputChannels, k: inputChannels,
             a: input, lda: inputChannels, b: weight, ldb: inputChannels, beta: 1, c: output, ldc: outputChannels)
    }

    /// Accumulates dinput (N,IC) += dout · W, dweight (OC,IC) += doutᵀ · input, dbias (OC) += Σ_rows dout.
    static func backward(
        inputGradient: UnsafeMutablePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
        biasGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        rows: Int, inputChannels: Int, outputChannels: Int
    ) {
        Parallel.rowSplitGemm(.none, .none, m: rows, n: inputChannels, k: outputChannels,
             a: outputGradient, lda: outputChannels, b: weight, ldb: inputChannels,
             beta: 1, c: inputGradient, ldc: inputChannels)
        Parallel.rowSplitGemm(.transposed, .none, m: outputChannels, n: inputChannels, k: rows,
             a: outputGradient, lda: outputChannels, b: input, ldb: inputChannels,
             beta: 1, c: weightGradient, ldc: inputChannels)
        let ones = [Float](repeating: 1, count: rows)
        ones.withUnsafeBufferPointer { ones in
            guard let ones = ones.baseAddress else { return }
            gemv(.transposed, m: rows, n: outputChannels, a: outputGradient, lda: outputChannels,
                 x: ones, beta: 1, y: biasGradient)
        }
    }
}
