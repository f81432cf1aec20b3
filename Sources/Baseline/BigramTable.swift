// Bigram statistics while fitting: open addressing keyed by the packed pair of token ids, with the counts
// stored in the slot itself so one cache line serves the lookup and the update (the table outgrows the
// caches on a real corpus: most bigrams occur once).

/// One occupied slot: a bigram and its counts.
struct BigramSlot {
    /// bigramKey(first, second); 0 marks an empty slot (token ids 0/0 are stored with `occupied`).
    var key: UInt64 = 0
    /// Dense bigram id in first-seen order, -1 when the slot is empty.
    var id: Int32 = -1
    /// Documents containing the bigram.
    var documentFrequency: Int32 = 0
    /// Last document (chunk-local index) that counted it.
    var lastDocument: Int32 = -1
    /// Occurrences in the chunk.
    var corpusFrequency: Int32 = 0
}

/// Bigram key → id and counts.
struct BigramTable {
    private(set) var slots: [BigramSlot]
    /// Slot index of bigram id i.
    private(set) var slotOfId: [Int32] = []
    private var mask: Int

    /// A table sized for about `expected` bigrams.
    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [BigramSlot](repeating: BigramSlot(), count: capacity)
        mask = capacity - 1
        slotOfId.reserveCapacity(expected)
    }

    /// Number of distinct bigrams.
    var count: Int { slotOfId.count }

    /// The bigram with id `id`.
    func slot(id: Int) -> BigramSlot { slots[Int(slotOfId[id])] }

    /// Counts one occurrence of `key` in `document`, adding `frequency` occurrences and `documents` documents
    /// (merging passes its totals); returns the bigram id.
    @inline(__always) mutating func add(_ key: UInt64, document: Int32, frequency: Int32 = 1, documents: Int32 = 1) -> Int32 {
        var index = Int(truncatingIfNeeded: mix(key)) & mask
        let id: Int32 = slots.withUnsafeMutableBufferPointer { table in
            while true {
                if table[index].id < 0 {
                    let id = Int32(slotOfId.count)
                    table[index] = BigramSlot(key: key, id: id, documentFrequency: documents, lastDocument: document,
                                              corpusFrequency: frequency)
                    slotOfId.append(Int32(index))
                    return id
                }
                if table[index].key == key {
                    table[index].corpusFrequency += frequency
                    if document < 0 || table[index].lastDocument != document {
                        table[index].lastDocument = document
                        table[index].documentFrequency += documents
                    }
                    return table[index].id
                }
                index = (index + 1) & mask
            }
        }
        if slotOfId.count * 2 > slots.count { grow() }
        return id
    }

    private mutating func grow() {
        let old = slots
        slots = [BigramSlot](repeating: BigramSlot(), count: old.count * 2)
        mask = slots.count - 1
        for id in 0..<slotOfId.count {
            let entry = old[Int(slotOfId[id])]
            var index = Int(truncatingIfNeeded: mix(entry.key)) & mask
            while slots[index].id >= 0 { index = (index + 1) & mask }
            slots[index] = entry
            slotOfId[id] = Int32(index)
        }
    }
}
