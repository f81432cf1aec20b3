import Foundation
import Tensor

/// Per-title inputs of the joint head before batching (N examples), with standardization fitted on training rows.
public struct HeadExamples: Sendable {
    /// Text vectors t (N × textWidth), empty rows when the head has no text branch.
    public var text: [[Float]]
    /// Backbone features v, nil where the title has no key visual (N).
    public var image: [[Float]?]
    /// TF-IDF ridge predictions (N), empty when not stacking.
    public var baseline: [Float]
    /// Targets in [0, 1] (N); zeros when unknown (scoring).
    public var targets: [Float]
    /// Start year of each title, for the pairwise ranking loss (N).
    public var years: [Int]

    /// Creates aligned examples.
    public init(text: [[Float]], image: [[Float]?], baseline: [Float], targets: [Float], years: [Int]) {
        self.text = text
        self.image = image
        self.baseline = baseline
        self.targets = targets
        self.years = years
    }

    /// Number of examples N.
    public var count: Int { targets.count }

    /// The batch of rows `indices`, standardized by `scaler`, for a head with `inputs`; rows for which
    /// `dropImage` answers true are presented without their key visual (modality dropout while training).
    /// With `imputeMissing`, a row without a key visual gets the mean image (standardized zeros) and the flag 1,
    /// so it looks like an average cover instead of a learned "no cover" input.
    public func batch(_ indices: [Int], inputs: HeadInputs, scaler: FeatureScaler, imputeMissing: Bool = false,
                      dropImage: (Int) -> Bool = { _ in false }) -> HeadBatch {
        let b = indices.count
        var text = [Float](), image = [Float](), present = [Float](), baseline = [Float]()
        text.reserveCapacity(b * inputs.textWidth)
        image.reserveCapacity(b * inputs.imageWidth)
        for i in indices {
            if inputs.textWidth > 0 { text += scaler.text.apply(self.text[i]) }
            if inputs.imageWidth > 0 {
                if let features = self.image[i], !dropImage(i) {
                    image += scaler.image.apply(features)
                    present.append(1)
                } else {
                    image += [Float](repeating: 0, count: inputs.imageWidth)
                    present.append(imputeMissing ? 1 : 0)
                }
            } else {
                present.append(0)
            }
            if inputs.usesBaseline { baseline.append(self.baseline[i]) }
        }
        return HeadBatch(text: Tensor(shape: [b, inputs.textWidth], scalars: text),
                         image: Tensor(shape: [b, inputs.imageWidth], scalars: image),
                         imagePresent: present, baseline: baseline)
    }
}

/// Per-feature standardization (x − mean) / std, fitted on training rows and stored with the model.
public struct FeatureScaler: Codable, Sendable {
    /// Mean and standard deviation of one block of features.
    public struct Block: Codable, Sendable {
        /// Per-feature means.
        public var mean: [Float]
        /// Per-feature standard deviations (≥ 1e-6).
        public var std: [Float]

        /// Fits a block on the given rows (empty rows → an empty block).
        public init(fitting rows: [[Float]]) {
            let width = rows.first?.count ?? 0
            var mean = [Double](repeating: 0, count: width), square = [Double](repeating: 0, count: width)
            for row in rows {
                for j in 0..<width {
                    mean[j] += Double(row[j])
                    square[j] += Double(row[j]) * Double(row[j])
                }
            }
            let n = Double(max(rows.count, 1))
            self.mean = mean.map { Float($0 / n) }
            self.std = zip(mean, square).map { sum, sumSquares in
                let m = sum / n
                return Float(max((sumSquares / n - m * m).squareRoot(), 1e-6))
            }
        }

        /// The standardized copy of `row`.
        public func apply(_ row: [Float]) -> [Float] {
            guard row.count == mean.count else { return row }
            return (0..<row.count).map { (row[$0] - mean[$0]) / std[$0] }
        }
    }

    /// Text-vector standardization.
    public var text: Block
    /// Backbone-feature standardization (fitted on rows that have a key visual).
    public var image: Block

    /// Fits both blocks on training examples.
    public init(fitting examples: HeadExamples) {
        text = Block(fitting: examples.text.filter { !$0.isEmpty })
        image = Block(fitting: examples.image.compactMap { $0 })
    }
}
