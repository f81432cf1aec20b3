/// Deterministic pseudo-random weights and inputs from a seed, for tests and benchmarks without a checkpoint.
///
/// The formula is implemented identically in `tools/vision_net_reference.py`, so a full-size ResNet-50 can be
/// checked against the reference without committing 100 MB of weights. For element i of tensor `key`:
///   h = fmix32(fnv1a32(key) ^ seed + i·0x9E3779B9)   (MurmurHash3 finalizer),  u = (h >> 8)·2⁻²⁴ ∈ [0, 1)
/// and, all in Float32: conv/linear weights (2u − 1)·√(6 / fan-in); BN weight 0.5 + 0.5u; BN bias and
/// linear bias 0.2u − 0.1; running mean 0.2u − 0.1; running variance 0.5 + u.
public enum SyntheticWeights {
    /// FNV-1a, 32-bit, over the UTF-8 bytes of `text`.
    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return hash
    }

    /// The i-th uniform value in [0, 1) of the stream named by `key` and `seed`.
    @inline(__always)
    static func uniform(_ base: UInt32, _ index: Int) -> Float {
        var x = base &+ UInt32(truncatingIfNeeded: index) &* 0x9E37_79B9
        x ^= x >> 16; x = x &* 0x85EB_CA6B
        x ^= x >> 13; x = x &* 0xC2B2_AE35
        x ^= x >> 16
        return Float(x >> 8) * 0x1p-24
    }

    /// `count` uniform values in [0, 1) for `key`.
    public static func uniforms(key: String, seed: UInt32, count: Int) -> [Float] {
        let base = fnv1a(key) ^ seed
        return (0..<count).map { uniform(base, $0) }
    }

    /// A state dict with every tensor of `shapes` filled by the formula above.
    public static func stateDict(_ shapes: [(key: String, shape: [Int])], seed: UInt32) -> [String: CheckpointTensor] {
        var result: [String: CheckpointTensor] = [:]
        for (key, shape) in shapes {
            let count = shape.reduce(1, *)
            let u = uniforms(key: key, seed: seed, count: count)
            let values: [Float]
            if key.hasSuffix("running_var") {
                values = u.map { 0.5 + $0 }
            } else if key.hasSuffix("running_mean") || (key.hasSuffix(".bias")) {
                values = u.map { 0.2 * $0 - 0.1 }
            } else if shape.count == 1 {
                values = u.map { 0.5 + 0.5 * $0 }                                     // BN weight
            } else {
                let fanIn = shape.dropFirst().reduce(1, *)
                let bound = Float((6.0 / Double(fanIn)).squareRoot())
                values = u.map { (2 * $0 - 1) * bound }
            }
            result[key] = CheckpointTensor(shape: shape, values: values)
        }
        return result
    }

    /// A synthetic normalized input [N, H, W, 3] with values 4u − 2 (roughly the range of normalized pixels).
    public static func input(batch: Int, height: Int, width: Int, seed: UInt32) -> [Float] {
        uniforms(key: "input", seed: seed, count: batch * height * width * 3).map { 4 * $0 - 2 }
    }
}
