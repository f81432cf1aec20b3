// Embedding gather: table [V, C], ids (any shape S, values in 0..<V) → [S..., C].
// Gradient: scatter-add each output row of G into the table row it came from (repeats accumulate).

extension Tensor {
    /// Rows of `table` [V, C] picked by `ids` (shape `idsShape`) → [idsShape..., C].
    public static func embedding(_ table: Tensor, ids: [Int], idsShape: [Int]? = nil) -> Tensor {
        precondition(table.rank == 2, "embedding: table must be [V, C], got \(table.shape)")
        let vocabulary = table.shape[0], width = table.shape[1]
        let shape = idsShape ?? [ids.count]
        precondition(elementCount(of: shape) == ids.count, "embedding: ids shape \(shape) does not hold \(ids.count) ids")
        var result = [Float](repeating: 0, count: ids.count * width)
        for (position, id) in ids.enumerated() {
            precondition(id >= 0 && id < vocabulary, "embedding: id \(id) outside 0..<\(vocabulary)")
            for c in 0..<width { result[position * width + c] = table.scalars[id * width + c] }
        }
        return Tensor(shape: shape + [width], scalars: result)
    }
}

extension Tape {
    /// Differentiable embedding gather: table [V, C], ids of shape S → [S..., C].
    public func embedding(_ table: Variable, ids: [Int], idsShape: [Int]? = nil) -> Variable {
        let tableShape = shape(table)
        return record(Tensor.embedding(value(table), ids: ids, idsShape: idsShape), inputs: [table]) { gradient, _ in
            let width = tableShape[1]
            var result = [Float](repeating: 0, count: Tensor.elementCount(of: tableShape))
            for (position, id) in ids.enumerated() {
                for c in 0..<width { result[id * width + c] += gradient.scalars[position * width + c] }
            }
            return [Tensor(shape: tableShape, scalars: result)]
        }
    }
}
