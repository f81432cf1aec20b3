/// A bounded cache from a piece's bytes to its token ids, so frequent words skip the merge loop.
/// Open addressing over manually managed buffers (no reference counting on the hot path): slots hold
/// `hash high bits << 32 | entry + 1`; the table starts small and doubles; when `maximumEntries` entries
/// or an arena fills, everything is dropped, so memory stays bounded (under 8 MB). Pieces longer than
/// `maximumPieceLength` bytes are not cached. One cache belongs to one `TokenEncoder` (one thread).
final class WordCache {
    /// Entries kept before the cache clears itself.
    static let maximumEntries = 1 << 17
    /// Longest piece, in bytes, that is cached.
    static let maximumPieceLength = 48
    private static let byteCapacity = maximumEntries * 12
    private static let idCapacity = maximumEntries * 4

    private struct Entry {
        var byteStart: UInt32
        var byteCount: UInt32
        var idStart: UInt32
        var idCount: UInt32
    }

    private var slots: UnsafeMutablePointer<UInt64>
    private var slotMask: Int
    private let entries = UnsafeMutablePointer<Entry>.allocate(capacity: WordCache.maximumEntries)
    private let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: WordCache.maximumEntries)
    private let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: WordCache.byteCapacity)
    private let ids = UnsafeMutablePointer<UInt32>.allocate(capacity: WordCache.idCapacity)
    private var entryCount = 0
    private var bytesUsed = 0
    private var idsUsed = 0

    /// An empty cache.
    init() {
        slotMask = 1023
        slots = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        slots.initialize(repeating: 0, count: 1024)
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        hashes.deallocate()
        bytes.deallocate()
        ids.deallocate()
    }

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
            tail |= UInt64(base[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
        return hash ^ (hash >> 32)
    }

    /// Appends the cached ids of `piece` to `output` and returns true, or returns false on a miss.
    @inline(__always)
    func lookup(_ piece: UnsafeBufferPointer<UInt8>, hash: UInt64, into output: inout [UInt32]) -> Bool {
        guard let other = piece.baseAddress else { return false }
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let found = slots[slot]
            if found == 0 { return false }
            if found & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(found & 0xFFFF_FFFF) - 1
                let entry = entries[index]
                if Int(entry.byteCount) == piece.count, Self.equal(bytes + Int(entry.byteStart), other, piece.count) {
                    let start = Int(entry.idStart)
                    output.append(contentsOf: UnsafeBufferPointer(start: ids + start, count: Int(entry.idCount)))
                    return true
                }
            }
            slot = (slot + 1) & slotMask
        }
    }

    /// Byte equality, eight bytes at a time (pieces are short: a libc call costs more than the compare).
    @inline(__always)
    private static func equal(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var offset = 0
        let a = UnsafeRawPointer(left)
        let b = UnsafeRawPointer(right)
        while offset + 8 <= count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        while offset < count {
            if left[offset] != right[offset] { return false }
            offset += 1
        }
        return true
    }

    /// Remembers the ids of `piece`.
    func insert(_ piece: UnsafeBufferPointer<UInt8>, hash: UInt64, ids newIds: ArraySlice<UInt32>) {
        guard let source = piece.baseAddress, piece.count <= Self.maximumPieceLength else { return }
        if entryCount >= Self.maximumEntries || bytesUsed + piece.count > Self.byteCapacity
            || idsUsed + newIds.count > Self.idCapacity {
            slots.update(repeating: 0, count: slotMask + 1)
            entryCount = 0
            bytesUsed = 0
            idsUsed = 0
        } else if (entryCount + 1) * 2 > slotMask + 1 {
            grow()
        }
        entries[entryCount] = Entry(byteStart: UInt32(bytesUsed), byteCount: UInt32(piece.count),
                                    idStart: UInt32(idsUsed), idCount: UInt32(newIds.count))
        hashes[entryCount] = hash
        (bytes + bytesUsed).update(from: source, count: piece.count)
        bytesUsed += piece.count
        for id in newIds {
            ids[idsUsed] = id
            idsUsed += 1
        }
        entryCount += 1
        place(entryCount - 1)
    }

    private func place(_ index: Int) {
        let hash = hashes[index]
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while slots[slot] != 0 { slot = (slot + 1) & slotMask }
        slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
    }

    private func grow() {
        let count = (slotMask + 1) * 2
        slots.deallocate()
        slots = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
        slots.initialize(repeating: 0, count: count)
        slotMask = count - 1
        for index in 0..<entryCount { place(index) }
    }
}
