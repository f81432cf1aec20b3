/// Preallocated buffers for activations and scratch space, reused across layers and batches.
///
/// A network owns one arena and addresses its buffers by slot number. Asking for a slot as an output
/// with more room than it has grows it (contents discarded); once the largest batch has run, no
/// further allocation happens. Not thread-safe: one forward pass at a time.
public final class ActivationArena {
    private var buffers: [UnsafeMutablePointer<Float>]
    private var capacities: [Int]
    /// Bytes currently held by all slots.
    public private(set) var allocatedBytes = 0

    /// An arena with `slots` empty activation slots plus one scratch slot.
    public init(slots: Int) {
        buffers = (0...slots).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: 1) }
        capacities = Array(repeating: 1, count: slots + 1)
    }

    deinit { for buffer in buffers { buffer.deallocate() } }

    /// Slot `slot` with room for at least `count` floats; previous contents are undefined.
    public func output(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        if capacities[slot] < count {
            buffers[slot].deallocate()
            buffers[slot] = UnsafeMutablePointer<Float>.allocate(capacity: count)
            allocatedBytes += 4 * (count - capacities[slot])
            capacities[slot] = count
        }
        return buffers[slot]
    }

    /// Slot `slot` for reading what a previous layer wrote.
    public func input(_ slot: Int) -> UnsafeMutablePointer<Float> { buffers[slot] }

    /// Scratch space (im2col tiles, Winograd transforms) of at least `count` floats.
    func scratch(count: Int) -> UnsafeMutablePointer<Float> { output(buffers.count - 1, count: count) }
}
