/// A weight matrix B [K, N] (row-major) repacked once, at load, into 64-column panels for `MicroKernel`:
/// panel s holds columns [64s, 64s + 64) as [K][64], zero-padded past N, so any reduction block [k0, k0 + kc)
/// of a panel is one contiguous kc×64 run that the micro-kernel streams with aligned loads.
/// This is the packing OpenBLAS redoes on every call (about a fifth of its time in these convs); here it is
/// paid once per network.
public final class PackedPanels: @unchecked Sendable {
    /// Columns per panel: four 16-lane vectors.
    public static let width = 64
    /// K: reduction depth.
    public let depth: Int
    /// N: output columns.
    public let columns: Int
    /// ⌈N / 64⌉.
    public let count: Int
    /// count × depth × 64 floats, 64-byte aligned; immutable after init (hence @unchecked Sendable).
    let storage: UnsafeMutablePointer<Float>

    /// Packs `matrix`, [K, N] row-major (K·N floats).
    public init(_ matrix: [Float], depth: Int, columns: Int) {
        precondition(depth > 0 && columns > 0 && matrix.count == depth * columns, "weight matrix size does not match K×N")
        self.depth = depth
        self.columns = columns
        count = (columns + Self.width - 1) / Self.width
        let floats = count * depth * Self.width
        storage = UnsafeMutableRawPointer.allocate(byteCount: 4 * floats, alignment: 64).bindMemory(to: Float.self, capacity: floats)
        storage.initialize(repeating: 0, count: floats)
        for panel in 0..<count {
            let first = panel * Self.width, width = min(Self.width, columns - first)
            for k in 0..<depth {
                let row = storage + (panel * depth + k) * Self.width
                for column in 0..<width { row[column] = matrix[k * columns + first + column] }
            }
        }
    }

    deinit { storage.deallocate() }

    /// Rows [k0, k0 + kc) of panel `panel`: kc×64 floats.
    @inline(__always)
    func block(panel: Int, from k0: Int) -> UnsafePointer<Float> {
        UnsafePointer(storage + (panel * depth + k0) * Self.width)
    }
}
