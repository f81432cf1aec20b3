// The two hash maps on the TF-IDF hot path, open addressing with linear probing (power-of-two capacity,
// load ≤ 1/2): TokenInterner (word bytes → dense token id) and TermTable (64-bit term key → dense term id).
// A term key packs token ids: unigram t → (t << 32) | 0xFFFF_FFFF, bigram (a, b) → (a << 32) | b,
// so no n-gram string is ever built while counting.
import Foundation

/// Term key of a unigram.
@inline(__always) func unigramKey(_ token: Int32) -> UInt64 { UInt64(UInt32(bitPattern: token)) << 32 | 0xFFFF_FFFF }
/// Term key of a bigram.
@inline(__always) func bigramKey(_ first: Int32, _ second: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
}
/// The tokens of a term key: (first, second or nil for a unigram).
@inline(__always) func splitTermKey(_ key: UInt64) -> (Int32, Int32?) {
    let low = UInt32(truncatingIfNeeded: key)
    return (Int32(bitPattern: UInt32(key >> 32)), low == 0xFFFF_FFFF ? nil : Int32(bitPattern: low))
}

/// 64-bit mixer (murmur3 finalizer).
@inline(__always) func mix(_ value: UInt64) -> UInt64 {
    var h = value
    h ^= h >> 33; h &*= 0xff51_afd7_ed55_8ccd
    h ^= h >> 33; h &*= 0xc4ce_b9fe_1a85_ec53
    h ^= h >> 33
    return h
}

/// Hash of a byte string, eight bytes at a time.
@inline(__always) func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    var index = 0
    guard let base = bytes.baseAddress else { return mix(h) }
    let raw = UnsafeRawPointer(base)
    while index + 8 <= bytes.count {
        h = mix(h ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        index += 8
    }
    var tail: UInt64 = 0
    let remaining = bytes.count - index
    if remaining > 0 { withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(start: raw + index, count: remaining)) } }
    return mix(h ^ tail)
}

/// Interns word byte strings as dense ids 0, 1, 2… in first-seen order.
struct TokenInterner: Sendable {
    /// All token bytes, concatenated in id order.
    private(set) var arena: [UInt8] = []
    /// Token id i occupies arena[offsets[i]..<offsets[i+1]].
    private(set) var offsets: [Int32] = [0]
    private var slots: [Int32]
    private var mask: Int

    /// An empty interner sized for about `expected` tokens.
    init(expected: Int = 1024) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        arena.reserveCapacity(expected * 8)
    }

    /// Number of distinct tokens.
    var count: Int { offsets.count - 1 }

    /// The id of `bytes`, adding it when new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        var slot = Int(truncatingIfNeeded: hashBytes(bytes)) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if equals(Int(id), bytes) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        slots[slot] = id
        arena.append(contentsOf: bytes)
        offsets.append(Int32(arena.count))
        if count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `bytes`, or -1 when it was never interned.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        var slot = Int(truncatingIfNeeded: hashBytes(bytes)) & mask
        while true {
            let id = slots[slot]
            if id < 0 || equals(Int(id), bytes) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` with token `id`'s bytes.
    func withBytes<Result>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        arena.withUnsafeBufferPointer { all in
            let start = Int(offsets[id]), end = Int(offsets[id + 1])
            return body(UnsafeBufferPointer(rebasing: all[start..<end]))
        }
    }

    /// Token `id` as a String.
    func string(_ id: Int) -> String { withBytes(id) { String(decoding: $0, as: UTF8.self) } }

    @inline(__always) private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offsets[id]), end = Int(offsets[id + 1])
        guard end - start == bytes.count else { return false }
        guard let other = bytes.baseAddress else { return true }
        return arena.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return false }
            return memcmp(base + start, other, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for id in 0..<count {
            var slot = withBytes(id) { Int(truncatingIfNeeded: hashBytes($0)) } & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }
}

/// Maps 64-bit term keys to dense term ids 0, 1, 2… in first-seen order.
struct TermTable: Sendable {
    /// The key of term id i.
    private(set) var keys: [UInt64] = []
    private var slotKeys: [UInt64]
    private var slotIds: [Int32]
    private var mask: Int

    /// An empty table sized for about `expected` terms.
    init(expected: Int = 1024) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slotKeys = [UInt64](repeating: 0, count: capacity)
        slotIds = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        keys.reserveCapacity(expected)
    }

    /// Number of distinct terms.
    var count: Int { keys.count }

    /// The id of `key`, adding it when new.
    @inline(__always) mutating func insert(_ key: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: mix(key)) & mask
        while true {
            let id = slotIds[slot]
            if id < 0 { break }
            if slotKeys[slot] == key { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(keys.count)
        slotKeys[slot] = key
        slotIds[slot] = id
        keys.append(key)
        if keys.count * 2 > slotIds.count { grow() }
        return id
    }

    /// The id of `key`, or -1.
    @inline(__always) func lookup(_ key: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: mix(key)) & mask
        while true {
            let id = slotIds[slot]
            if id < 0 || slotKeys[slot] == key { return id }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let capacity = slotIds.count * 2
        slotKeys = [UInt64](repeating: 0, count: capacity)
        slotIds = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (id, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: mix(key)) & mask
            while slotIds[slot] >= 0 { slot = (slot + 1) & mask }
            slotKeys[slot] = key
            slotIds[slot] = Int32(id)
        }
    }
}
