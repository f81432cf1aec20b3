import Dispatch
import Foundation

/// Per-layer wall-clock samples from a network's forward passes, for `animepop-bench vision --profile`.
///
/// A network given one (`ResNet50.layerTimes`) charges each layer the time since the previous one, with the layer's
/// FLOPs; the threads that run shares of a batch record into the same table, under a lock. Medians make the
/// per-layer figures steady on a shared machine where whole-network rates swing by ±10%.
public final class LayerTimes: @unchecked Sendable {
    /// One layer's summary.
    public struct Layer: Sendable {
        /// torchvision's name for it ("layer3.2.conv2", "conv1", "maxpool").
        public let name: String
        /// Median wall-clock seconds per call.
        public let seconds: Double
        /// Images per call.
        public let images: Int
        /// FLOPs per call: 2 × multiply-adds of the direct convolution (what Winograd saves counts as done).
        public let flops: Double
    }

    private let lock = NSLock()
    private var samples: [String: [Double]] = [:]
    private var sizes: [String: (images: Int, flops: Double)] = [:]
    private var order: [String] = []

    /// An empty table.
    public init() {}

    /// Adds one call of `name`: `seconds` of wall clock on `images` images, `flops` FLOPs.
    func record(_ name: String, seconds: Double, images: Int, flops: Double) {
        lock.withLock {
            if samples[name] == nil { order.append(name) }
            samples[name, default: []].append(seconds)
            sizes[name] = (images, flops)
        }
    }

    /// Each layer's median over its calls, in the order the layers first ran.
    public func medians() -> [Layer] {
        lock.withLock {
            order.compactMap { name in
                guard let times = samples[name]?.sorted(), !times.isEmpty, let size = sizes[name] else { return nil }
                return Layer(name: name, seconds: times[times.count / 2], images: size.images, flops: size.flops)
            }
        }
    }
}

/// The stopwatch one forward pass carries: `lap` charges the time since the previous lap to a layer. Without a
/// table it does nothing (not even read the clock), so networks keep it in their forward pass at no cost.
struct LayerStopwatch {
    private let times: LayerTimes?
    private var last: UInt64

    init(_ times: LayerTimes?) {
        self.times = times
        last = times == nil ? 0 : DispatchTime.now().uptimeNanoseconds
    }

    /// Charges the time since the previous lap to `name`, a layer that ran on `images` images.
    mutating func lap(_ name: @autoclosure () -> String, images: Int, flops: @autoclosure () -> Double) {
        guard let times else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        times.record(name(), seconds: Double(now - last) / 1e9, images: images, flops: flops())
        last = DispatchTime.now().uptimeNanoseconds
    }
}
