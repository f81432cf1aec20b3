// Masked mean pooling: the text vector is the average of the non-pad positions.
//
// Shapes: input (B,T,C) · valid (B,T) with 1 for real tokens, 0 for <pad> → output (B,C).

/// output[b] = Σ_t valid[b,t]·input[b,t] / Σ_t valid[b,t] (zero vector for a sequence of padding only).
enum MeanPooling {
    /// output (B,C) from input (B,T,C) and valid (B,T).
    static func forward(output: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, valid: UnsafePointer<Float>,
                        batchSize: Int, tokens: Int, channels: Int) {
        let c = channels
        for b in 0..<batchSize {
            let out = output + b * c
            out.update(repeating: 0, count: c)
            var count: Float = 0
            for t in 0..<tokens where valid[b * tokens + t] != 0 {
                count += 1
                let x = input + (b * tokens + t) * c
                for i in 0..<c { out[i] += x[i] }
            }
            if count > 0 { for i in 0..<c { out[i] /= count } }
        }
    }

    /// dinput[b,t] (B,T,C) += doutput[b] / count_b at valid positions.
    static func backward(inputGradient: UnsafeMutablePointer<Float>, outputGradient: UnsafePointer<Float>,
                         valid: UnsafePointer<Float>, batchSize: Int, tokens: Int, channels: Int) {
        let c = channels
        for b in 0..<batchSize {
            var count: Float = 0
            for t in 0..<tokens where valid[b * tokens + t] != 0 { count += 1 }
            guard count > 0 else { continue }
            let dy = outputGradient + b * c
            for t in 0..<tokens where valid[b * tokens + t] != 0 {
                let dx = inputGradient + (b * tokens + t) * c
                for i in 0..<c { dx[i] += dy[i] / count }
            }
        }
    }
}
