// Token + learned position embedding.
//
// Shapes: tokenIds (B,T) · wte (V,C) · wpe (maxT,C) → output (B,T,C).

/// The input layer: output[b,t,:] = wte[tokenIds[b,t],:] + wpe[t,:].
enum Embedding {
    /// output (B,T,C) = wte[tokenIds] + wpe[0..<T]; token ids must be in 0..<V (checked by the caller).
    static func forward(
        output: UnsafeMutablePointer<Float>, tokenIds: UnsafePointer<Int32>,
        tokenTable: UnsafePointer<Float>, positionTable: UnsafePointer<Float>,
        batchSize: Int, tokens: Int, channels: Int
    ) {
        let c = channels
        for b in 0..<batchSize {
            for t in 0..<tokens {
                let out = output + (b * tokens + t) * c
                let token = tokenTable + Int(tokenIds[b * tokens + t]) * c
                let position = positionTable + t * c
                for i in 0..<c { out[i] = token[i] + position[i] }
            }
        }
    }

    /// dwte[tokenIds[b,t]] += dout[b,t]; dwpe[t] += dout[b,t]. dout (B,T,C), dwte (V,C), dwpe (maxT,C).
    static func backward(
        tokenTableGradient: UnsafeMutablePointer<Float>, positionTableGradient: UnsafeMutablePointer<Float>,
        outputGradient: UnsafePointer<Float>, tokenIds: UnsafePointer<Int32>,
        batchSize: Int, tokens: Int, channels: Int
    ) {
        let c = channels
        for b in 0..<batchSize {
            for t in 0..<tokens {
                let gradient = outputGradient + (b * tokens + t) * c
                let token = tokenTableGradient + Int(tokenIds[b * tokens + t]) * c
                let position = positionTableGradient + t * c
                for i in 0..<c {
                    token[i] += gradient[i]
                    position[i] += gradient[i]
                }
            }
        }
    }
}
