/// An open-addressing hash map from a token pair (left, right) to its merge rank and merged id,
/// the BPE hot path's only lookup. Keys pack `left << 32 | right`; values pack `rank << 32 | merged`.
struct PairTable: Sendable {
    /// The "no merge" answer of `lookup`.
    static let absent = UInt64.max
    private var keys: [UInt64]
    private var values: [UInt64]
    private let mask: Int

    /// A table sized for `count` pairs at load factor ≤ 1/2.
    init(capacity count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        keys = [UInt64](repeating: UInt64.max, count: size)
        values = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    /// Records that (left, right) merges at `rank` into `merged`; the first rank given for a pair wins.
    mutating func insert(left: UInt32, right: UInt32, rank: UInt32, merged: UInt32) {
        let key = UInt64(left) << 32 | UInt64(right)
        var index = Self.slot(key, mask)
        while keys[index] != UInt64.max {
            if keys[index] == key { return }
            index = (index + 1) & mask
        }
        keys[index] = key
        values[index] = UInt64(rank) << 32 | UInt64(merged)
    }

    /// `rank << 32 | merged` for the pair, or `PairTable.absent`.
    @inline(__always)
    func lookup(_ left: UInt32, _ right: UInt32) -> UInt64 {
        let key = UInt64(left) << 32 | UInt64(right)
        var index = Self.slot(key, mask)
        while true {
            let found = keys[index]
            if found == key { return values[index] }
            if found == UInt64.max { return Self.absent }
            index = (index + 1) & mask
        }
    }
}
