/// A frozen image network: NHWC input (already normalized for this backbone) → pooled features and logits.
public protocol ImageBackbone: AnyObject {
    /// F: length of the pooled feature vector (2048 ResNet-50, 1280 EfficientNet-Lite0).
    var featureCount: Int { get }
    /// The ImageNet classifier on the pooled features.
    var classifier: Classifier { get }
    /// Pooled features [N, F] for `input` [N, H, W, 3].
    func features(_ input: [Float], batch: Int, height: Int, width: Int) -> [Float]
    /// Switches stride-1 3×3 convs to a Winograd variant (nil: back to im2col + GEMM); maps with fewer than
    /// `minimumTiles` output tiles keep im2col + GEMM.
    func useWinograd(_ variant: WinogradVariant?, minimumTiles: Int)
    /// Another instance for another thread: the same weights (immutable once loaded, so shared rather than copied)
    /// with its own activation memory, which serves one call at a time.
    func replica() -> any ImageBackbone
}

extension ImageBackbone {
    /// Switches stride-1 3×3 convs to a Winograd variant with the default tile threshold (`WinogradVariant.defaultMinimumTiles`).
    public func useWinograd(_ variant: WinogradVariant?) { useWinograd(variant, minimumTiles: WinogradVariant.defaultMinimumTiles) }

    /// ImageNet logits [N, classes] for `input` [N, H, W, 3].
    public func logits(_ input: [Float], batch: Int, height: Int, width: Int) -> [Float] {
        classifier.logits(features(input, batch: batch, height: height, width: width), batch: batch)
    }
}
