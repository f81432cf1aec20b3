/// Scales all `gradients` together so their global L2 norm is at most `maxNorm`; returns the norm before clipping.
///
/// As PyTorch's `clip_grad_norm_`: the scale is maxNorm / (norm + 1e-6), applied only when norm > maxNorm.
/// The norm is accumulated in Double.
@discardableResult
public func clipGradients(_ gradients: inout [Tensor], maxNorm: Float) -> Float {
    var sumOfSquares = 0.0
    for gradient in gradients {
        for value in gradient.scalars { sumOfSquares += Double(value) * Double(value) }
    }
    let norm = Float(sumOfSquares.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / (norm + 1e-6)
        for index in gradients.indices {
            gradients[index].scalars.withUnsafeMutableBufferPointer { buffer in
                for i in 0..<buffer.count { buffer[i] *= scale }
            }
        }
    }
    return norm
}
