/// The trainer's merge loop over distinct words: pair counts with an index of the words holding each
/// pair, a lazy max-heap of (count, pair), and incremental count updates around each merge.
struct PairMerger {
    /// Symbols of all words back to back; word `w` is `symbols[wordStart[w] ..< wordStart[w] + wordLength[w]]`.
    private var symbols: [UInt32] = []
    private var wordStart: [Int] = []
    private var wordLength: [Int] = []
    private var wordCount: [Int] = []
    /// Pair key (`left << 32 | right`) → pair index; per pair: count and the words that hold it.
    private var pairIndex: [UInt64: Int32] = [:]
    private var pairKeys: [UInt64] = []
    private var pairCounts: [Int] = []
    private var pairWords: [[Int32]] = []
    private var heap = PairHeap()

    /// Prepares the words (bytes → byte-symbol ids starting at `firstByteId` in GPT-2's byte order).
    init(words: WordCounter, firstByteId: UInt32) {
        var idOfByte = [UInt32](repeating: 0, count: 256)
        for (position, byte) in ByteLevel.byteOrder.enumerated() { idOfByte[Int(byte)] = firstByteId + UInt32(position) }
        for index in 0..<words.count {
            wordStart.append(symbols.count)
            let word = words.word(index)
            wordLength.append(word.count)
            wordCount.append(words.counts[index])
            for byte in word { symbols.append(idOfByte[Int(byte)]) }
        }
        for word in 0..<wordCount.count {
            let start = wordStart[word]
            for position in start..<(start + wordLength[word] - 1) {
                _ = add(symbols[position], symbols[position + 1], wordCount[word], word: Int32(word))
            }
        }
        for index in pairKeys.indices where pairCounts[index] > 0 { heap.push(count: pairCounts[index], key: pairKeys[index]) }
    }

    /// Adds `delta` to a pair's count; a positive change also indexes `word` under the pair.
    @inline(__always)
    private mutating func add(_ left: UInt32, _ right: UInt32, _ delta: Int, word: Int32) -> Int {
        let key = UInt64(left) << 32 | UInt64(right)
        let index: Int
        if let found = pairIndex[key] {
            index = Int(found)
        } else {
            index = pairKeys.count
            pairIndex[key] = Int32(index)
            pairKeys.append(key)
            pairCounts.append(0)
            pairWords.append([])
        }
        pairCounts[index] += delta
        if delta > 0 { pairWords[index].append(word) }
        return index
    }

    /// Merges until the vocabulary holds `target` tokens; returns merges as (left id, right id) in order
    /// and appends new token strings to `vocabulary` (a merge that spells an existing token reuses its id).
    mutating func run(vocabulary: inout [String], target: Int, minimumFrequency: Int) -> [(Int, Int)] {
        var merges: [(Int, Int)] = []
        var idOfToken: [String: Int] = [:]
        for (id, token) in vocabulary.enumerated() { idOfToken[token] = id }
        var lastSeen = [Int](repeating: -1, count: wordCount.count)
        var touched: [Int] = []
        var touchedMark = [Bool]()
        while vocabulary.count < target, let (count, key) = heap.pop() {
            guard let found = pairIndex[key] else { continue }
            let pair = Int(found)
            if pairCounts[pair] != count {  // stale: counts only fall, so re-queue the true count
                if pairCounts[pair] > 0 { heap.push(count: pairCounts[pair], key: key) }
                continue
            }
            if count < minimumFrequency { break }
            let left = UInt32(key >> 32)
            let right = UInt32(key & 0xFFFF_FFFF)
            let text = vocabulary[Int(left)] + vocabulary[Int(right)]
            let merged: UInt32
            if let existing = idOfToken[text] {
                merged = UInt32(existing)
            } else {
                merged = UInt32(vocabulary.count)
                idOfToken[text] = vocabulary.count
                vocabulary.append(text)
            }
            merges.append((Int(left), Int(right)))
            let holders = pairWords[pair]
            pairWords[pair] = []
            let mergeNumber = merges.count
            for word in holders where lastSeen[Int(word)] != mergeNumber {
                lastSeen[Int(word)] = mergeNumber
                mergeWord(Int(word), left, right, merged, touched: &touched, touchedMark: &touchedMark)
            }
            pairCounts[pair] = 0  // after the words: overlapping runs ("a a a") decrement the pair itself
            for index in touched {
                touchedMark[index] = false
                if pairCounts[index] > 0 { heap.push(count: pairCounts[index], key: pairKeys[index]) }
            }
            touched.removeAll(keepingCapacity: true)
        }
        return merges
    }

    /// Replaces each left-right occurrence in one word by `merged`, left to right, and updates the
    /// counts of the neighbouring pairs (the caller zeroes the pair itself afterwards).
    private mutating func mergeWord(_ word: Int, _ left: UInt32, _ right: UInt32, _ merged: UInt32,
                                    touched: inout [Int], touchedMark: inout [Bool]) {
        let start = wordStart[word]
        var length = wordLength[word]
        let times = wordCount[word]
        let word32 = Int32(word)
        var index = start
        while index < start + length - 1 {
            guard symbols[index] == left, symbols[index + 1] == right else {
                index += 1
                continue
            }
            if index > start {
                let before = symbols[index - 1]
                _ = add(before, left, -times, word: word32)
                note(add(before, merged, times, word: word32), &touched, &touchedMark)
            }
            if index + 2 < start + length {
                let after = symbols[index + 2]
                _ = add(right, after, -times, word: word32)
                note(add(merged, after, times, word: word32), &touched, &touchedMark)
            }
            symbols[index] = merged
            let end = start + length
            if index + 2 < end {
                for position in (index + 1)..<(end - 1) { symbols[position] = symbols[position + 1] }
            }
            length -= 1
            index += 1
        }
        wordLength[word] = length
    }

    @inline(__always)
    private func note(_ pair: Int, _ touched: inout [Int], _ mark: inout [Bool]) {
        while mark.count <= pair { mark.append(false) }
        if !mark[pair] {
            mark[pair] = true
            touched.append(pair)
        }
    }
}
