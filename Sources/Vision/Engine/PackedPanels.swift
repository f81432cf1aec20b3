import CSystem

/// A weight matrix B [K, N] (row-major) repacked once, at load, into panels of `width` columns for `MicroKernel`:
/// panel s holds columns [width·s, width·s + width) as [K][width], zero-padded past N, so any reduction block
/// [k0, k0 + kc) of a panel is one contiguous kc×width run that the micro-kernel streams with aligned loads.
/// This is the packing OpenBLAS redoes on every call (about a fifth of its time in these convs); here it is
/// paid once per network.
public final class PackedPanels: @unchecked Sendable {
    /// Panel widths the micro-kernels take: one to four 16-lane vectors.
    public static let widths = [64, 48, 32, 16]
    /// Whether this machine has AVX-512's 32 zmm registers (CPUID), which the 64-, 48- and 32-column kernels need.
    public static let wideRegisters = animepop_has_avx512() != 0
    /// Columns per panel (a multiple of 16, at most 64).
    public let width: Int
    /// K: reduction depth.
    public let depth: Int
    /// N: output columns.
    public let columns: Int
    /// ⌈N / width⌉.
    public let count: Int
    /// count × depth × width floats, 64-byte aligned; immutable after init (hence @unchecked Sendable).
    let storage: UnsafeMutablePointer<Float>

    /// The panel width for N columns: 64 when at most an eighth of the padded lanes are wasted (every width that
    /// is a multiple of 64, and ResNet-50's and most of EfficientNet's), else the width that pads N least, the
    /// wider on a tie (EfficientNet's narrow projections: 16 → 16, 24 → 32, 40 → 48, 80 → 16, 96 → 48, 144 → 48).
    /// Without AVX-512 (`wideRegisters` false) always 16: a 16-lane vector is two of AVX2's 16 ymm registers, so only
    /// the 6×16 kernel's 6 accumulators (12 ymm) stay in registers; the wider kernels spill.
    public static func width(for columns: Int, wideRegisters: Bool = PackedPanels.wideRegisters) -> Int {
        guard wideRegisters else { return 16 }
        func padded(_ width: Int) -> Int { (columns + width - 1) / width * width }
        if 8 * (padded(64) - columns) <= padded(64) { return 64 }
        return widths.min { padded($0) < padded($1) || (padded($0) == padded($1) && $0 > $1) } ?? 64
    }

    /// Packs `matrix`, [K, N] row-major (K·N floats), into panels of `width` columns (one of `widths`; by default
    /// this machine's choice, `width(for: N)`).
    public init(_ matrix: [Float], depth: Int, columns: Int, width: Int? = nil) {
        precondition(depth > 0 && columns > 0 && matrix.count == depth * columns, "weight matrix size does not match K×N")
        let width = width ?? Self.width(for: columns)
        precondition(Self.widths.contains(width), "panel width \(width) is not one of \(Self.widths)")
        self.width = width
        self.depth = depth
        self.columns = columns
        count = (columns + width - 1) / width
        let floats = count * depth * width
        storage = UnsafeMutableRawPointer.allocate(byteCount: 4 * floats, alignment: 64).bindMemory(to: Float.self, capacity: floats)
        storage.initialize(repeating: 0, count: floats)
        for panel in 0..<count {
            let first = panel * width, valid = min(width, columns - first)
            for k in 0..<depth {
                let row = storage + (panel * depth + k) * width
                for column in 0..<valid { row[column] = matrix[k * columns + first + column] }
            }
        }
    }

    deinit { storage.deallocate() }

    /// Rows [k0, k0 + kc) of panel `panel`: kc×width floats.
    @inline(__always)
    func block(panel: Int, from k0: Int) -> UnsafePointer<Float> {
        UnsafePointer(storage + (panel * depth + k0) * width)
    }
}
