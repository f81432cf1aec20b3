import Foundation

// AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", 2019), in PyTorch's form:
//     p ← p − lr·λ·p                              (decoupled decay, before the Adam update)
//     m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²
//     p ← p − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)

/// Hyper-parameters of AdamW; `learningRate` is the default when a step passes none.
public struct AdamWConfiguration: Sendable {
    /// Peak or constant learning rate.
    public var learningRate: Float
    /// Decay of the first-moment (mean) estimate.
    public var beta1: Float = 0.9
    /// Decay of the second-moment (uncentred variance) estimate.
    public var beta2: Float = 0.999
    /// Added to √v̂ to avoid division by zero.
    public var epsilon: Float = 1e-8
    /// Decoupled weight decay λ (multiplied by the learning rate).
    public var weightDecay: Float = 0.01

    /// A configuration with the given learning rate and the other values defaulted.
    public init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}

/// The AdamW optimizer over a fixed list of parameter tensors.
public final class AdamW {
    /// Hyper-parameters.
    public let configuration: AdamWConfiguration
    /// Per-parameter flag: apply weight decay (false is usual for biases and layer-norm gains).
    public let decays: [Bool]
    /// Steps taken so far (t in the bias corrections).
    public private(set) var stepCount: Int = 0
    /// First-moment estimates, one per parameter.
    public private(set) var firstMoments: [Tensor]
    /// Second-moment estimates, one per parameter.
    public private(set) var secondMoments: [Tensor]

    /// An optimizer with zero moments for parameters of the given shapes; every parameter decays.
    public convenience init(configuration: AdamWConfiguration, parameterShapes: [[Int]]) {
        self.init(configuration: configuration, parameterShapes: parameterShapes,
                  decays: [Bool](repeating: true, count: parameterShapes.count))
    }

    /// An optimizer with zero moments; `decays[i]` says whether parameter i gets weight decay.
    public init(configuration: AdamWConfiguration, parameterShapes: [[Int]], decays: [Bool]) {
        precondition(decays.count == parameterShapes.count, "AdamW: one decay flag per parameter")
        self.configuration = configuration
        self.decays = decays
        firstMoments = parameterShapes.map { Tensor.zeros($0) }
        secondMoments = parameterShapes.map { Tensor.zeros($0) }
    }

    /// Updates `parameters` in place from `gradients` (same order and shapes as at init) with `learningRate`.
    public func step(parameters: inout [Tensor], gradients: [Tensor], learningRate: Float) {
        precondition(parameters.count == firstMoments.count && gradients.count == firstMoments.count,
                     "AdamW.step: expected \(firstMoments.count) parameters and gradients")
        stepCount += 1
        let beta1 = configuration.beta1, beta2 = configuration.beta2, epsilon = configuration.epsilon
        let correction1 = 1 - Float(pow(Double(beta1), Double(stepCount)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(stepCount)))
        for index in parameters.indices {
            precondition(parameters[index].shape == firstMoments[index].shape && gradients[index].shape == firstMoments[index].shape,
                         "AdamW.step: parameter \(index) shape \(parameters[index].shape), gradient \(gradients[index].shape), "
                         + "expected \(firstMoments[index].shape)")
            let decayFactor = decays[index] ? 1 - learningRate * configuration.weightDecay : 1
            gradients[index].scalars.withUnsafeBufferPointer { gradient in
                firstMoments[index].scalars.withUnsafeMutableBufferPointer { m in
                    secondMoments[index].scalars.withUnsafeMutableBufferPointer { v in
                        parameters[index].scalars.withUnsafeMutableBufferPointer { parameter in
                            for i in 0..<parameter.count {
                                let g = gradient[i]
                                m[i] = beta1 * m[i] + (1 - beta1) * g
                                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                                let update = (m[i] / correction1) / ((v[i] / correction2).squareRoot() + epsilon)
                                parameter[i] = parameter[i] * decayFactor - learningRate * update
                            }
                        }
                    }
                }
            }
        }
    }

    /// The optimizer state as named tensors (for a checkpoint): `step`, `m.<i>`, `v.<i>`.
    public func stateTensors() -> [String: Tensor] {
        var state: [String: Tensor] = ["step": Tensor(scalar: Float(stepCount))]
        for index in firstMoments.indices {
            state["m.\(index)"] = firstMoments[index]
            state["v.\(index)"] = secondMoments[index]
        }
        return state
    }

    /// Restores state written by `stateTensors()`; throws when a tensor is missing or has the wrong shape.
    public func loadState(_ state: [String: Tensor]) throws {
        guard let step = state["step"], step.count == 1, step.scalar >= 0 else { throw AdamWStateError.missing(name: "step") }
        var first = firstMoments, second = secondMoments
        for index in firstMoments.indices {
            for (name, target) in [("m.\(index)", firstMoments[index]), ("v.\(index)", secondMoments[index])] {
                guard let tensor = state[name] else { throw AdamWStateError.missing(name: name) }
                guard tensor.shape == target.shape else {
                    throw AdamWStateError.shapeMismatch(name: name, expected: target.shape, found: tensor.shape)
                }
            }
            first[index] = state["m.\(index)"] ?? first[index]
            second[index] = state["v.\(index)"] ?? second[index]
        }
        stepCount = Int(step.scalar)
        firstMoments = first
        secondMoments = second
    }
}

/// Why saved AdamW state could not be restored.
public enum AdamWStateError: Error, Equatable, LocalizedError {
    /// A state tensor is absent.
    case missing(name: String)
    /// A state tensor has a shape other than its parameter's.
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    /// A one-line description naming the tensor.
    public var errorDescription: String? {
        switch self {
        case let .missing(name): "AdamW state: tensor '\(name)' is missing"
        case let .shapeMismatch(name, expected, found): "AdamW state: tensor '\(name)' has shape \(found), expected \(expected)"
        }
    }
}
