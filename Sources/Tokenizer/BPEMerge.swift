/// The merge loop of byte-level BPE for one piece, in two algorithms with identical results:
/// - short pieces (≤ `linearLimit` bytes): tiktoken's scheme — an array of pair ranks, a linear scan for
///   the minimum, and two rank lookups per merge (O(n²) scans of tiny arrays, no allocation);
/// - long pieces: a binary min-heap of (rank, position) over a doubly linked list of symbols with lazy
///   deletion — O(n log n), so a 1 MB run of one letter stays near-linear.
/// Ties in rank go to the leftmost pair, which equals GPT-2's merge-all-occurrences-left-to-right pass.
struct BPEMerger {
    /// Pieces up to this many bytes use the linear scan.
    static let linearLimit = 96

    private var symbols: [UInt32] = []
    private var ranks: [UInt64] = []
    private var previous: [Int32] = []
    private var next: [Int32] = []
    private var heap: [UInt64] = []

    /// Appends the token ids of one piece's bytes to `output`.
    mutating func merge(_ bytes: UnsafeBufferPointer<UInt8>, model: BPEModel, into output: inout [UInt32]) {
        if bytes.count == 1 {
            output.append(model.byteIds[Int(bytes[0])])
        } else if bytes.count <= Self.linearLimit {
            mergeLinear(bytes, model: model, into: &output)
        } else {
            mergeHeap(bytes, model: model, into: &output)
        }
    }

    private mutating func mergeLinear(_ bytes: UnsafeBufferPointer<UInt8>, model: BPEModel, into output: inout [UInt32]) {
        symbols.removeAll(keepingCapacity: true)
        ranks.removeAll(keepingCapacity: true)
        let table = model.pairs
        for byte in bytes { symbols.append(model.byteIds[Int(byte)]) }
        for index in 0..<(symbols.count - 1) { ranks.append(table.lookup(symbols[index], symbols[index + 1])) }
        while true {
            var best = PairTable.absent
            var at = -1
            for index in 0..<ranks.count where ranks[index] < best {
                best = ranks[index]
                at = index
            }
            if at < 0 { break }
            symbols[at] = UInt32(truncatingIfNeeded: best)
            symbols.remove(at: at + 1)
            ranks.remove(at: at)
            if at < ranks.count { ranks[at] = table.lookup(symbols[at], symbols[at + 1]) }
            if at > 0 { ranks[at - 1] = table.lookup(symbols[at - 1], symbols[at]) }
        }
        output.append(contentsOf: symbols)
    }

    private mutating func mergeHeap(_ bytes: UnsafeBufferPointer<UInt8>, model: BPEModel, into output: inout [UInt32]) {
        let count = bytes.count
        let table = model.pairs
        symbols.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
        for (index, byte) in bytes.enumerated() {
            symbols.append(model.byteIds[Int(byte)])
            previous.append(Int32(index - 1))
            next.append(index + 1 < count ? Int32(index + 1) : -1)
        }
        // Heap entries pack rank << 32 | position, so ordering is by rank, then leftmost.
        for index in 0..<(count - 1) {
            let found = table.lookup(symbols[index], symbols[index + 1])
            if found != PairTable.absent { heap.append((found >> 32) << 32 | UInt64(index)) }
        }
        heapify()
        let dead = UInt32.max
        while let top = popMinimum() {
            let at = Int(top & 0xFFFF_FFFF)
            let rank = top >> 32
            let right = Int(next[at])
            guard symbols[at] != dead, right >= 0 else { continue }
            let found = table.lookup(symbols[at], symbols[right])
            guard found != PairTable.absent, found >> 32 == rank else { continue }  // stale entry
            symbols[at] = UInt32(truncatingIfNeeded: found)
            symbols[right] = dead
            let after = next[right]
            next[at] = after
            if after >= 0 { previous[Int(after)] = Int32(at) }
            let before = Int(previous[at])
            if before >= 0 {
                let pair = table.lookup(symbols[before], symbols[at])
                if pair != PairTable.absent { push((pair >> 32) << 32 | UInt64(before)) }
            }
            if after >= 0 {
                let pair = table.lookup(symbols[at], symbols[Int(after)])
                if pair != PairTable.absent { push((pair >> 32) << 32 | UInt64(at)) }
            }
        }
        var index = 0
        while index >= 0 {
            output.append(symbols[index])
            index = Int(next[index])
        }
    }

    // MARK: - Binary min-heap over `heap`

    private mutating func heapify() {
        var index = heap.count / 2 - 1
        while index >= 0 {
            siftDown(index)
            index -= 1
        }
    }

    private mutating func push(_ value: UInt64) {
        heap.append(value)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent] <= value { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = value
    }

    private mutating func popMinimum() -> UInt64? {
        guard let last = heap.popLast() else { return nil }
        guard let first = heap.first else { return last }
        heap[0] = last
        siftDown(0)
        return first
    }

    private mutating func siftDown(_ start: Int) {
        let count = heap.count
        let value = heap[start]
        var index = start
        while true {
            var child = 2 * index + 1
            if child >= count { break }
            if child + 1 < count, heap[child + 1] < heap[child] { child += 1 }
            if heap[child] >= value { break }
            heap[index] = heap[child]
            index = child
        }
        heap[index] = value
    }
}
