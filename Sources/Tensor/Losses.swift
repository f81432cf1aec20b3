// Losses, each reduced to a scalar [] by the mean.
//   meanSquaredError: prediction [...], target [...] → mean (p − t)²;  dp = 2(p − t)/n.
//   crossEntropy: logits [N, V], targets [N] (class index, or negative to ignore) →
//     mean over kept rows of −log softmax(logits)[target];  dlogits = (softmax − onehot)/kept.
import Foundation

extension Tape {
    /// Mean squared error against a constant `target` of the same shape → [].
    public func meanSquaredError(_ prediction: Variable, target: Tensor) -> Variable {
        let predicted = value(prediction)
        precondition(predicted.shape == target.shape, "meanSquaredError: \(predicted.shape) vs target \(target.shape)")
        let difference = predicted - target
        let loss = difference.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(Swift.max(1, difference.count))
        let factor = 2 / Float(Swift.max(1, difference.count))
        return record(Tensor(scalar: Float(loss)), inputs: [prediction]) { gradient, _ in
            [difference.map { $0 * factor * gradient.scalar }]
        }
    }

    /// Softmax cross-entropy of `logits` [N, V] against class `targets` [N]; negative targets are ignored → [].
    public func crossEntropy(_ logits: Variable, targets: [Int]) -> Variable {
        let input = value(logits)
        precondition(input.rank == 2 && input.shape[0] == targets.count,
                     "crossEntropy: logits \(input.shape) need one target per row, got \(targets.count)")
        let classes = input.shape[1]
        let logProbabilities = input.logSoftmax()
        var total = 0.0
        var kept = 0
        for (row, target) in targets.enumerated() where target >= 0 {
            precondition(target < classes, "crossEntropy: target \(target) outside 0..<\(classes)")
            total -= Double(logProbabilities.scalars[row * classes + target])
            kept += 1
        }
        let loss = kept == 0 ? 0 : Float(total / Double(kept))
        return record(Tensor(scalar: loss), inputs: [logits]) { gradient, _ in
            var result = [Float](repeating: 0, count: input.count)
            let factor = kept == 0 ? 0 : gradient.scalar / Float(kept)
            for (row, target) in targets.enumerated() where target >= 0 {
                for c in 0..<classes {
                    result[row * classes + c] = factor * Foundation.exp(logProbabilities.scalars[row * classes + c])
                }
                result[row * classes + target] -= factor
            }
            return [Tensor(shape: input.shape, scalars: result)]
        }
    }
}
