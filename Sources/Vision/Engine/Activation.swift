/// The nonlinearity fused into a convolution's output pass.
public enum Activation: Sendable, Equatable {
    case identity, relu, relu6
}

/// The output pass after a GEMM tile: y = act(y + bias [+ residual]), row by row, SIMD over channels.
/// `output` and `residual` are `rows`×`channels`, row-major; `bias` has `channels` entries.
@inline(__always)
func finishRows(
    _ output: UnsafeMutablePointer<Float>, rows: Int, channels: Int,
    bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, activation: Activation
) {
    let vectorEnd = channels & ~7
    let zero = SIMD8<Float>(repeating: 0), six = SIMD8<Float>(repeating: 6)
    for row in 0..<rows {
        let line = output + row * channels
        let skip = residual.map { $0 + row * channels }
        var channel = 0
        while channel < vectorEnd {
            var value = load8(line + channel) + load8(bias + channel)
            if let skip { value += load8(skip + channel) }
            switch activation {
            case .identity: break
            case .relu: value = pointwiseMax(value, zero)
            case .relu6: value = pointwiseMin(pointwiseMax(value, zero), six)
            }
            store8(value, line + channel)
            channel += 8
        }
        while channel < channels {
            var value = line[channel] + bias[channel]
            if let skip { value += skip[channel] }
            switch activation {
            case .identity: break
            case .relu: value = max(value, 0)
            case .relu6: value = min(max(value, 0), 6)
            }
            line[channel] = value
            channel += 1
        }
    }
}

/// Eight floats from `pointer` (any alignment).
@inline(__always)
func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores eight floats at `pointer` (any alignment).
@inline(__always)
func store8(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
}
