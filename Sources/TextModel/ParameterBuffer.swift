// All parameters (or all their gradients) of a model as named slices of one flat Float buffer.
import Foundation

/// One named parameter: its checkpoint name, shape and place in the flat buffer.
public struct ParameterSpecification: Sendable, Equatable {
    /// Checkpoint key, nanoGPT/GPT-2 style (`h.0.attn.c_attn.weight`).
    public let name: String
    /// Row-major shape, e.g. (3C, C) for `c_attn.weight`.
    public let shape: [Int]
    /// First element in the flat buffer.
    public let offset: Int
    /// Number of elements, the product of `shape`.
    public var count: Int { shape.reduce(1, *) }
}

/// A flat, zero-initialized Float buffer holding every parameter back to back (llm.c's `params_memory`).
///
/// Layers read and write through raw pointers into it; the optimizer sees it as one vector.
public final class ParameterBuffer {
    /// The parameters in storage order.
    public let specifications: [ParameterSpecification]
    /// Total number of Floats.
    public let count: Int
    /// The storage, `count` Floats, owned by this object.
    public let base: UnsafeMutablePointer<Float>
    private let index: [String: Int]

    /// Allocates zeroed storage for parameters with these names and shapes, in this order.
    public init(layout: [(name: String, shape: [Int])]) {
        var offset = 0
        var specifications: [ParameterSpecification] = []
        for entry in layout {
            let specification = ParameterSpecification(name: entry.name, shape: entry.shape, offset: offset)
            specifications.append(specification)
            offset += specification.count
        }
        self.specifications = specifications
        count = offset
        base = .allocate(capacity: max(1, offset))
        base.initialize(repeating: 0, count: max(1, offset))
        index = Dictionary(uniqueKeysWithValues: specifications.enumerated().map { ($0.element.name, $0.offset) })
    }

    deinit { base.deallocate() }

    /// The specification named `name`, or nil.
    public func specification(_ name: String) -> ParameterSpecification? {
        index[name].map { specifications[$0] }
    }

    /// Pointer to the first element of parameter `name` (a layout programming error if unknown).
    func pointer(_ name: String) -> UnsafeMutablePointer<Float> {
        guard let position = index[name] else {
            preconditionFailure("TextModel: no parameter named \(name)")  // names come from our own layout
        }
        return base + specifications[position].offset
    }

    /// A copy of parameter `name` as an array.
    public func values(_ name: String) -> [Float]? {
        guard let specification = specification(name) else { return nil }
        return Array(UnsafeBufferPointer(start: base + specification.offset, count: specification.count))
    }

    /// Overwrites parameter `name` with `values` (count must match); returns false when it does not.
    @discardableResult
    public func setValues(_ name: String, _ values: [Float]) -> Bool {
        guard let specification = specification(name), specification.count == values.count else { return false }
        values.withUnsafeBufferPointer { source in
            guard let address = source.baseAddress else { return }
            (base + specification.offset).update(from: address, count: values.count)
        }
        return true
    }

    /// Sets every element to zero (used for gradients before each backward pass).
    public func zero() { base.update(repeating: 0, count: count) }
}
