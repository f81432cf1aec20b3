/// A bounded cache from a piece's bytes to its token ids, so frequent words skip the merge loop.
/// Open addressing over at most `maximumEntries` entries; when full it is cleared (memory stays bounded,
/// about `maximumEntries` × (piece + ids) bytes). Pieces longer than `maximumPieceLength` are not cached.
struct WordCache {
    /// Entries kept before the cache clears itself.
    static let maximumEntries = 1 << 16
    /// Longest piece, in bytes, that is cached.
    static let maximumPieceLength = 48

    private struct Entry {
        var hash: UInt64
        var byteStart: UInt32
        var byteCount: UInt32
        var idStart: UInt32
        var idCount: UInt32
    }

    private var slots = [Int32](repeating: -1, count: WordCache.maximumEntries * 2)
    private var entries: [Entry] = []
    private var bytes: [UInt8] = []
    private var ids: [UInt32] = []

    /// A 64-bit hash of a piece, eight bytes at a time.
    @inline(__always)
    static func hash(_ piece: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(piece.count)
        guard let base = piece.baseAddress else { return hash }
        var offset = 0
        let raw = UnsafeRawPointer(base)
        while offset + 8 <= piece.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < piece.count {
            tail |= UInt64(piece[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
        return hash ^ (hash >> 32)
    }

    /// Appends the cached ids of `piece` to `output` and returns true, or returns false on a miss.
    @inline(__always)
    func lookup(_ piece: UnsafeBufferPointer<UInt8>, hash: UInt64, into output: inout [UInt32]) -> Bool {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let found = slots[slot]
            if found < 0 { return false }
            let entry = entries[Int(found)]
            if entry.hash == hash, Int(entry.byteCount) == piece.count, matches(entry, piece) {
                let start = Int(entry.idStart)
                output.append(contentsOf: ids[start..<(start + Int(entry.idCount))])
                return true
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func matches(_ entry: Entry, _ piece: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { stored in
            let start = Int(entry.byteStart)
            for index in 0..<piece.count where stored[start + index] != piece[index] { return false }
            return true
        }
    }

    /// Remembers the ids of `piece` (the last `idCount` values of `output`).
    mutating func insert(_ piece: UnsafeBufferPointer<UInt8>, hash: UInt64, ids newIds: ArraySlice<UInt32>) {
        if entries.count >= Self.maximumEntries {
            for index in slots.indices { slots[index] = -1 }
            entries.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entries.count)
        entries.append(Entry(hash: hash, byteStart: UInt32(bytes.count), byteCount: UInt32(piece.count),
                             idStart: UInt32(ids.count), idCount: UInt32(newIds.count)))
        bytes.append(contentsOf: piece)
        ids.append(contentsOf: newIds)
    }
}
