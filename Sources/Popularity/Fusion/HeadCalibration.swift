import Foundation

/// A linear recalibration ŷ = clamp(scale · p + offset, 0, 1) of a head's output, fitted by least squares on the
/// validation titles: heads are selected on validation Spearman and trained with a ranking term, which orders
/// titles well but leaves their scale off (a large MSE for a good ranking).
public struct HeadCalibration: Codable, Sendable, Equatable {
    /// Multiplier of the raw output.
    public var scale: Double
    /// Added after scaling.
    public var offset: Double

    /// The identity map.
    public static let identity = HeadCalibration(scale: 1, offset: 0)

    /// Creates a calibration.
    public init(scale: Double, offset: Double) {
        self.scale = scale
        self.offset = offset
    }

    /// Least-squares fit of targets on predictions; the identity when the fit would not keep the order
    /// (non-positive slope) or there is too little to fit.
    public init(fitting predictions: [Double], to targets: [Double]) {
        let pairs = zip(predictions, targets).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count >= 10 else {
            self = .identity
            return
        }
        let n = Double(pairs.count)
        let meanP = pairs.reduce(0) { $0 + $1.0 } / n, meanT = pairs.reduce(0) { $0 + $1.1 } / n
        let covariance = pairs.reduce(0) { $0 + ($1.0 - meanP) * ($1.1 - meanT) }
        let variance = pairs.reduce(0) { $0 + ($1.0 - meanP) * ($1.0 - meanP) }
        guard variance > 1e-12, covariance > 0 else {
            self = .identity
            return
        }
        scale = covariance / variance
        offset = meanT - scale * meanP
    }

    /// The calibrated value of a raw output, kept in [0, 1].
    public func apply(_ raw: Double) -> Double { min(1, max(0, scale * raw + offset)) }
}
