// Softmax and log-softmax over the last axis: x [..., V] → [..., V], max-subtracted for stability.
// Gradients per row: softmax dx = y ⊙ (g − Σ g⊙y); log-softmax dx = g − softmax(x)·Σ g.
import Foundation

extension Tensor {
    /// Calls `body(input row, output row)` for each row of the last axis.
    func forEachRow(into output: inout [Float], _ body: (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void) {
        let width = shape.last ?? 1
        guard width > 0 else { return }
        scalars.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { target in
                guard let inputBase = input.baseAddress, let targetBase = target.baseAddress else { return }
                for start in stride(from: 0, to: input.count, by: width) {
                    body(UnsafeBufferPointer(start: inputBase + start, count: width),
                         UnsafeMutableBufferPointer(start: targetBase + start, count: width))
                }
            }
        }
    }

    /// Softmax over the last axis.
    public func softmax() -> Tensor {
        var result = [Float](repeating: 0, count: count)
        forEachRow(into: &result) { row, output in
            let maximum = row.max() ?? 0
            var total: Float = 0
            for i in 0..<row.count { output[i] = Foundation.exp(row[i] - maximum); total += output[i] }
            for i in 0..<row.count { output[i] /= total }
        }
        return Tensor(shape: shape, scalars: result)
    }

    /// Log-softmax over the last axis: x − max − log Σ exp(x − max).
    public func logSoftmax() -> Tensor {
        var result = [Float](repeating: 0, count: count)
        forEachRow(into: &result) { row, output in
            let maximum = row.max() ?? 0
            var total: Float = 0
            for i in 0..<row.count { total += Foundation.exp(row[i] - maximum) }
            let logTotal = Foundation.log(total) + maximum
            for i in 0..<row.count { output[i] = row[i] - logTotal }
        }
        return Tensor(shape: shape, scalars: result)
    }
}

extension Tape {
    /// Softmax over the last axis: [..., V] → [..., V].
    public func softmax(_ x: Variable) -> Variable {
        let output = value(x).softmax()
        return record(output, inputs: [x]) { gradient, _ in
            let width = output.shape.last ?? 1
            var result = [Float](repeating: 0, count: output.count)
            for start in stride(from: 0, to: output.count, by: Swift.max(1, width)) {
                var dot: Float = 0
                for i in start..<(start + width) { dot += gradient.scalars[i] * output.scalars[i] }
                for i in start..<(start + width) { result[i] = output.scalars[i] * (gradient.scalars[i] - dot) }
            }
            return [Tensor(shape: output.shape, scalars: result)]
        }
    }

    /// Log-softmax over the last axis: [..., V] → [..., V].
    public func logSoftmax(_ x: Variable) -> Variable {
        let output = value(x).logSoftmax()
        return record(output, inputs: [x]) { gradient, _ in
            let width = output.shape.last ?? 1
            var result = [Float](repeating: 0, count: output.count)
            for start in stride(from: 0, to: output.count, by: Swift.max(1, width)) {
                var total: Float = 0
                for i in start..<(start + width) { total += gradient.scalars[i] }
                for i in start..<(start + width) {
                    result[i] = gradient.scalars[i] - Foundation.exp(output.scalars[i]) * total
                }
            }
            return [Tensor(shape: output.shape, scalars: result)]
        }
    }
}
