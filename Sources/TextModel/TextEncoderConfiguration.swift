// The text encoder's hyper-parameters, saved beside the weights as JSON.
import Foundation

/// Shape and special tokens of a `TextEncoder` (typical values in the comments).
public struct TextEncoderConfiguration: Codable, Sendable, Equatable {
    /// V: token ids are in 0..<V (16000, the shipped BPE vocabulary).
    public var vocabularySize: Int
    /// Longest sequence the learned positions cover (256); longer inputs are truncated.
    public var contextLength: Int
    /// L: number of pre-LN transformer blocks (4).
    public var layerCount: Int
    /// C: channels of the residual stream and of the pooled text vector (256).
    public var width: Int
    /// NH: attention heads; C must be a multiple of it (4, head size 64).
    public var headCount: Int
    /// Hidden width of the MLP as a multiple of C (4).
    public var mlpRatio: Int
    /// Id of `<pad>`: padded positions are masked out of attention keys, pooling and the MLM loss.
    public var padTokenId: Int32
    /// Id of `<mask>`, written over 80% of the positions chosen for masked-LM.
    public var maskTokenId: Int32
    /// Ids never chosen for masking nor used as random replacements (`<|endoftext|>`, `<pad>`, `<mask>`, `<cls>`).
    public var specialTokenIds: [Int32]
    /// Epsilon inside every layer norm's square root (1e-5, as PyTorch).
    public var layerNormEpsilon: Float

    /// Creates a configuration; the defaults are the starting point (4 layers, d=256, 4 heads, 256 tokens).
    public init(
        vocabularySize: Int = 16000, contextLength: Int = 256, layerCount: Int = 4, width: Int = 256,
        headCount: Int = 4, mlpRatio: Int = 4, padTokenId: Int32 = 1, maskTokenId: Int32 = 2,
        specialTokenIds: [Int32] = [0, 1, 2, 3], layerNormEpsilon: Float = 1e-5
    ) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.layerCount = layerCount
        self.width = width
        self.headCount = headCount
        self.mlpRatio = mlpRatio
        self.padTokenId = padTokenId
        self.maskTokenId = maskTokenId
        self.specialTokenIds = specialTokenIds
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Channels per attention head, C / NH.
    public var headSize: Int { width / headCount }

    /// Hidden channels of the MLP, mlpRatio · C.
    public var mlpWidth: Int { mlpRatio * width }

    /// Throws when the shape is impossible (non-positive sizes, C not divisible by NH, special ids out of range).
    public func validate() throws {
        let sizes = [vocabularySize, contextLength, layerCount, width, headCount, mlpRatio]
        guard sizes.allSatisfy({ $0 > 0 }) else { throw TextModelError.invalidConfiguration("all sizes must be positive: \(sizes)") }
        guard width % headCount == 0 else {
            throw TextModelError.invalidConfiguration("width \(width) is not a multiple of headCount \(headCount)")
        }
        for id in [padTokenId, maskTokenId] + specialTokenIds where id < 0 || Int(id) >= vocabularySize {
            throw TextModelError.invalidConfiguration("special token id \(id) is outside the vocabulary 0..<\(vocabularySize)")
        }
    }
}
