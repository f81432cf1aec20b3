import Foundation

/// Linear warm-up to `peak` over `warmupSteps`, then cosine decay to `floor` at `totalSteps`.
///
/// For step s (0-based): s < W gives peak·(s+1)/W; W ≤ s < S gives
/// floor + ½(peak − floor)(1 + cos(π·(s−W)/(S−W))); s ≥ S gives floor.
public struct WarmupCosineSchedule: Sendable {
    /// Learning rate at the end of warm-up.
    public let peak: Float
    /// Steps of linear warm-up (0 for none).
    public let warmupSteps: Int
    /// Step at which the cosine reaches `floor`.
    public let totalSteps: Int
    /// Learning rate after decay.
    public let floor: Float

    /// A schedule; negative step counts are treated as 0.
    public init(peak: Float, warmupSteps: Int, totalSteps: Int, floor: Float = 0) {
        self.peak = peak
        self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(0, totalSteps)
        self.floor = floor
    }

    /// The learning rate for 0-based `step`.
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        if step >= totalSteps { return floor }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        return floor + Float(0.5 * (1 + cos(Double.pi * progress))) * (peak - floor)
    }
}
