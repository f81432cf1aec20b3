// The reverse-mode tape. Ops append a node holding their output value, their input indices and a
// gradient rule; `backward` walks the nodes in reverse order of recording (a valid topological order,
// since inputs are always recorded before their users) and adds each rule's input gradients into the
// inputs' gradient buffers. Gradients ACCUMULATE: parameters keep theirs across `backward` calls
// until `zeroGradients()`, as in PyTorch. Each op's rule sits beside its forward in the op's file.

/// A handle to a value recorded on a `Tape`.
public struct Variable: Hashable, Sendable {
    /// Position of the node on its tape.
    public let index: Int
}

/// A gradient rule: given dL/d(output) and which inputs want a gradient, returns dL/d(input) per input
/// (nil where not wanted or zero).
typealias GradientRule = (_ outputGradient: Tensor, _ wanted: [Bool]) -> [Tensor?]

/// Records differentiable ops and runs reverse-mode differentiation over them.
public final class Tape {
    private struct Node {
        var value: Tensor
        var gradient: Tensor?
        let requiresGradient: Bool
        let inputs: [Int]
        let rule: GradientRule?
    }

    private var nodes: [Node] = []

    /// An empty tape.
    public init() {}

    /// Number of recorded nodes.
    public var count: Int { nodes.count }

    /// Records a trainable leaf: its gradient is kept and accumulated.
    public func parameter(_ value: Tensor) -> Variable { append(Node(value: value, gradient: nil, requiresGradient: true, inputs: [], rule: nil)) }

    /// Records a constant leaf (inputs, targets): no gradient flows into it.
    public func constant(_ value: Tensor) -> Variable { append(Node(value: value, gradient: nil, requiresGradient: false, inputs: [], rule: nil)) }

    /// The value computed for `variable`.
    public func value(_ variable: Variable) -> Tensor { nodes[variable.index].value }

    /// The shape of `variable`'s value.
    public func shape(_ variable: Variable) -> [Int] { nodes[variable.index].value.shape }

    /// The accumulated gradient dL/d`variable` (zeros if nothing reached it).
    public func gradient(of variable: Variable) -> Tensor {
        nodes[variable.index].gradient ?? Tensor.zeros(nodes[variable.index].value.shape)
    }

    /// Whether a gradient flows to `variable` (it is a parameter or depends on one).
    public func requiresGradient(_ variable: Variable) -> Bool { nodes[variable.index].requiresGradient }

    /// Clears every gradient (parameters included).
    public func zeroGradients() {
        for index in nodes.indices { nodes[index].gradient = nil }
    }

    /// Back-propagates from `output`, seeding dL/d(output) with `seed` (ones by default, e.g. a scalar loss).
    /// Intermediate gradients are recomputed; leaf gradients accumulate onto earlier calls.
    public func backward(_ output: Variable, seed: Tensor? = nil) {
        for index in nodes.indices where nodes[index].rule != nil { nodes[index].gradient = nil }
        let outputShape = nodes[output.index].value.shape
        let start = seed ?? Tensor(shape: outputShape, repeating: 1)
        precondition(start.shape == outputShape, "Tape.backward: seed shape \(start.shape) != output shape \(outputShape)")
        accumulate(start, into: output.index)
        for index in stride(from: output.index, through: 0, by: -1) {
            guard let rule = nodes[index].rule, let gradient = nodes[index].gradient else { continue }
            let inputs = nodes[index].inputs
            let wanted = inputs.map { nodes[$0].requiresGradient }
            let inputGradients = rule(gradient, wanted)
            for (position, input) in inputs.enumerated() where wanted[position] {
                if let inputGradient = inputGradients[position] { accumulate(inputGradient, into: input) }
            }
        }
    }

    /// Records an op's output. `rule` is dropped when no input needs a gradient.
    func record(_ value: Tensor, inputs: [Variable], rule: @escaping GradientRule) -> Variable {
        let requires = inputs.contains { nodes[$0.index].requiresGradient }
        return append(Node(value: value, gradient: nil, requiresGradient: requires,
                           inputs: inputs.map(\.index), rule: requires ? rule : nil))
    }

    private func append(_ node: Node) -> Variable {
        nodes.append(node)
        return Variable(index: nodes.count - 1)
    }

    /// Adds `gradient` into node `index`'s gradient buffer.
    private func accumulate(_ gradient: Tensor, into index: Int) {
        precondition(gradient.shape == nodes[index].value.shape,
                     "Tape: gradient shape \(gradient.shape) != value shape \(nodes[index].value.shape) at node \(index)")
        guard nodes[index].gradient != nil else { nodes[index].gradient = gradient; return }
        gradient.scalars.withUnsafeBufferPointer { source in
            nodes[index].gradient?.scalars.withUnsafeMutableBufferPointer { target in
                for i in 0..<target.count { target[i] += source[i] }
            }
        }
    }
}
