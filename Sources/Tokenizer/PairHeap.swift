/// A binary max-heap of (count, pair key): larger count first, then smaller key (left id, then right id).
struct PairHeap {
    private var counts: [Int] = []
    private var keys: [UInt64] = []

    @inline(__always)
    private func above(_ a: Int, _ b: Int) -> Bool {
        counts[a] > counts[b] || (counts[a] == counts[b] && keys[a] < keys[b])
    }

    /// Adds an entry.
    mutating func push(count: Int, key: UInt64) {
        counts.append(count)
        keys.append(key)
        var child = counts.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard above(child, parent) else { break }
            counts.swapAt(child, parent)
            keys.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the top entry.
    mutating func pop() -> (Int, UInt64)? {
        guard !counts.isEmpty else { return nil }
        let top = (counts[0], keys[0])
        counts.swapAt(0, counts.count - 1)
        keys.swapAt(0, keys.count - 1)
        counts.removeLast()
        keys.removeLast()
        var index = 0
        while true {
            let leftChild = 2 * index + 1
            let rightChild = leftChild + 1
            var best = index
            if leftChild < counts.count, above(leftChild, best) { best = leftChild }
            if rightChild < counts.count, above(rightChild, best) { best = rightChild }
            if best == index { break }
            counts.swapAt(index, best)
            keys.swapAt(index, best)
            index = best
        }
        return top
    }
}
