/// The nonlinearity fused into a convolution's output pass.
public enum Activation: Sendable, Equatable {
    /// y = x.
    case identity
    /// y = max(x, 0) (ResNet).
    case relu
    /// y = min(max(x, 0), 6) (EfficientNet-Lite).
    case relu6
}

/// Before an OpenBLAS product that accumulates (β = 1): every row of `output` (`rows`×`channels`) set to `bias`,
/// so the product lands on the bias instead of on zeros that OpenBLAS would write first (one pass fewer).
@inline(__always)
func fillRows(_ output: UnsafeMutablePointer<Float>, rows: Int, channels: Int, bias: UnsafePointer<Float>) {
    for row in 0..<rows { (output + row * channels).update(from: bias, count: channels) }
}

/// The output pass after an OpenBLAS product: y = act(y [+ residual]), row by row (nothing to do for the identity
/// without a residual). `output` and `residual` are `rows`×`channels`, row-major. Plain loops with the activation
/// chosen outside them, so LLVM vectorizes each inner loop.
@inline(__always)
func finishRows(
    _ output: UnsafeMutablePointer<Float>, rows: Int, channels: Int, residual: UnsafePointer<Float>?, activation: Activation
) {
    for row in 0..<rows {
        let line = output + row * channels
        if let skip = residual.map({ $0 + row * channels }) {
            for channel in 0..<channels { line[channel] += skip[channel] }
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
