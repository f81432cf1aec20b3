import Tensor

/// The ImageNet classifier on pooled features: logits [N, classes] = features [N, F] · Wᵀ + b.
public struct Classifier: Sendable {
    /// W, [classes, F] (PyTorch `Linear` layout).
    let weight: [Float]
    /// b, [classes].
    let bias: [Float]
    /// F.
    public let features: Int
    /// Number of classes (1000 for ImageNet).
    public let classes: Int

    /// Logits for `batch` feature rows.
    public func logits(_ pooled: [Float], batch: Int) -> [Float] {
        var result = [Float](repeating: 0, count: batch * classes)
        for image in 0..<batch { for index in 0..<classes { result[image * classes + index] = bias[index] } }
        pooled.withUnsafeBufferPointer { a in
            weight.withUnsafeBufferPointer { w in
                result.withUnsafeMutableBufferPointer { c in
                    guard let a = a.baseAddress, let w = w.baseAddress, let c = c.baseAddress else { return }
                    gemm(.none, .transposed, m: batch, n: classes, k: features, a: a, lda: features,
                         b: w, ldb: features, beta: 1, c: c, ldc: classes)
                }
            }
        }
        return result
    }
}
