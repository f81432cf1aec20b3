/// The nonlinearity fused into a convolution's output pass.
public enum Activation: Sendable, Equatable {
    /// y = x.
    case identity
    /// y = max(x, 0) (ResNet).
    case relu
    /// y = min(max(x, 0), 6) (EfficientNet-Lite).
    case relu6
}

/// The output pass after a GEMM tile: y = act(y + bias [+ residual]), row by row.
/// `output` and `residual` are `rows`×`channels`, row-major; `bias` has `channels` entries.
/// Plain loops with the activation chosen outside them, so LLVM vectorizes each inner loop.
@inline(__always)
func finishRows(
    _ output: UnsafeMutablePointer<Float>, rows: Int, channels: Int,
    bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, activation: Activation
) {
    for row in 0..<rows {
        let line = output + row * channels
        if let skip = residual.map({ $0 + row * channels }) {
            for channel in 0..<channels { line[channel] += bias[channel] + skip[channel] }
        } else {
            for channel in 0..<channels { line[channel] += bias[channel] }
        }
        applyActivation(line, count: channels, activation)
    }
}

/// x = act(x) in place over `count` floats.
@inline(__always)
func applyActivation(_ values: UnsafeMutablePointer<Float>, count: Int, _ activation: Activation) {
    switch activation {
    case .identity: break
    case .relu: for index in 0..<count { values[index] = values[index] > 0 ? values[index] : 0 }
    case .relu6:
        for index in 0..<count {
            let value = values[index] > 0 ? values[index] : 0
            values[index] = value < 6 ? value : 6
        }
    }
}

/// A vector of floats from `pointer` (any alignment).
@inline(__always)
func loadLanes<Lanes: SIMD>(_ pointer: UnsafePointer<Float>) -> Lanes where Lanes.Scalar == Float {
    UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
}

/// Stores a vector of floats at `pointer` (any alignment).
@inline(__always)
func storeLanes<Lanes: SIMD>(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) where Lanes.Scalar == Float {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
}

/// act(v) for eight lanes, without the generic `pointwiseMax` (which does not vectorize); concrete, not
/// generic over the lane count, because the generic version is not specialized into these hot loops.
@inline(__always)
func activate8(_ value: SIMD8<Float>, _ activation: Activation) -> SIMD8<Float> {
    switch activation {
    case .identity: return value
    case .relu: return value.replacing(with: 0, where: value .< 0)
    case .relu6:
        let positive = value.replacing(with: 0, where: value .< 0)
        return positive.replacing(with: 6, where: positive .> 6)
    }
}

/// Eight floats from `pointer` (any alignment).
@inline(__always)
func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> { loadLanes(pointer) }

/// Stores eight floats at `pointer` (any alignment).
@inline(__always)
func store8(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) { storeLanes(value, pointer) }
