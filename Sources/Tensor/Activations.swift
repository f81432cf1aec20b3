// Activations, elementwise: x [...] → [...].
//   ReLU(x) = max(0, x);  dReLU = G·[x > 0]   (kink at 0: gradient 0 there).
//   GELU, tanh form (GPT-2; PyTorch approximate="tanh"): ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³);
//   dGELU = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²).
import Foundation

/// √(2/π), the GELU tanh-form constant.
private let geluScale: Float = 0.7978845608028654

/// tanh u = 1 − 2/(e^{2u} + 1): one `expf` instead of `tanhf` (several times faster here); exact limits ±1,
/// absolute error ~1e-7 near 0, which is what GELU's 1 + tanh needs.
@inline(__always)
func fastTanh(_ u: Float) -> Float { 1 - 2 / (Foundation.exp(2 * u) + 1) }

extension Tensor {
    /// ReLU elementwise.
    public func relu() -> Tensor { map { Swift.max(0, $0) } }

    /// GELU (tanh approximation) elementwise.
    public func gelu() -> Tensor {
        map { x in 0.5 * x * (1 + fastTanh(geluScale * (x + 0.044715 * x * x * x))) }
    }
}

extension Tape {
    /// ReLU: [...] → [...].
    public func relu(_ x: Variable) -> Variable {
        let input = value(x)
        return record(input.relu(), inputs: [x]) { gradient, _ in
            [Tensor.broadcasting(gradient, input) { g, x in x > 0 ? g : 0 }]
        }
    }

    /// GELU, tanh form: [...] → [...].
    public func gelu(_ x: Variable) -> Variable {
        let input = value(x)
        return record(input.gelu(), inputs: [x]) { gradient, _ in
            [Tensor.broadcasting(gradient, input) { g, x in
                let t = fastTanh(geluScale * (x + 0.044715 * x * x * x))
                let derivative = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * geluScale * (1 + 3 * 0.044715 * x * x)
                return g * derivative
            }]
        }
    }
}
