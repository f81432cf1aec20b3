/// Counts distinct pre-tokenized pieces ("words") of a corpus: an open-addressing hash map keyed by the
/// piece's bytes, stored in one byte arena. The trainer's first stage, run on each thread's share of lines.
struct WordCounter {
    private var slots = [Int32](repeating: -1, count: 1 << 16)
    /// Hash of each word.
    private(set) var hashes: [UInt64] = []
    /// Start of each word in `bytes`.
    private(set) var starts: [Int] = [0]
    /// How many times each word was seen.
    private(set) var counts: [Int] = []
    /// All words' bytes, back to back.
    private(set) var bytes: [UInt8] = []

    /// Number of distinct words.
    var count: Int { counts.count }

    /// The bytes of word `index`.
    func word(_ index: Int) -> ArraySlice<UInt8> { bytes[starts[index]..<starts[index + 1]] }

    /// Adds `times` occurrences of `piece`.
    mutating func add(_ piece: UnsafeBufferPointer<UInt8>, hash: UInt64, times: Int = 1) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let found = slots[slot]
            if found < 0 { break }
            let index = Int(found)
            if hashes[index] == hash, starts[index + 1] - starts[index] == piece.count, equal(index, piece) {
                counts[index] += times
                return
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(counts.count)
        hashes.append(hash)
        counts.append(times)
        bytes.append(contentsOf: piece)
        starts.append(bytes.count)
        if counts.count * 2 > slots.count { grow() }
    }

    private func equal(_ index: Int, _ piece: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[index]
        for offset in 0..<piece.count where bytes[start + offset] != piece[offset] { return false }
        return true
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for index in 0..<counts.count {
            var slot = Int(truncatingIfNeeded: hashes[index]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// Adds every word of `other` with its count.
    mutating func merge(_ other: WordCounter) {
        other.bytes.withUnsafeBufferPointer { all in
            for index in 0..<other.count {
                let piece = UnsafeBufferPointer(rebasing: all[other.starts[index]..<other.starts[index + 1]])
                add(piece, hash: other.hashes[index], times: other.counts[index])
            }
        }
    }

    /// Counts the words of `lines` (each line, with its newline, is split on its own, as HF's trainer
    /// reads files), skipping added tokens, on `threads` threads.
    static func count(corpus: [UInt8], lines: [Range<Int>], threads: Int, matcher: AddedTokenMatcher,
                      normalizer: Normalizer) -> WordCounter {
        let shares = max(1, threads)
        let partials = parallelMap(workers: shares) { worker in
            var counter = WordCounter()
            let begin = lines.count * worker / shares
            let end = lines.count * (worker + 1) / shares
            corpus.withUnsafeBufferPointer { all in
                PreTokenizer.withTable { splitter in
                    for line in lines[begin..<end] {
                        counter.addText(UnsafeBufferPointer(rebasing: all[line]), splitter: splitter,
                                        matcher: matcher, normalizer: normalizer)
                    }
                }
            }
            return counter
        }
        var total = partials[0]
        for partial in partials.dropFirst() { total.merge(partial) }
        return total
    }

    private mutating func addText(_ text: UnsafeBufferPointer<UInt8>, splitter: PreTokenizer,
                                  matcher: AddedTokenMatcher, normalizer: Normalizer) {
        var segmentStart = 0
        var index = 0
        if !matcher.isEmpty {
            while index < text.count {
                if let found = matcher.match(text, at: index) {
                    addSegment(UnsafeBufferPointer(rebasing: text[segmentStart..<index]), splitter, normalizer)
                    index += found.length
                    segmentStart = index
                } else {
                    index += 1
                }
            }
        }
        addSegment(UnsafeBufferPointer(rebasing: text[segmentStart...]), splitter, normalizer)
    }

    private mutating func addSegment(_ text: UnsafeBufferPointer<UInt8>, _ splitter: PreTokenizer, _ normalizer: Normalizer) {
        if normalizer != .none {
            let normalized = normalizer.normalize(text)
            normalized.withUnsafeBufferPointer { addPieces($0, splitter) }
        } else {
            addPieces(text, splitter)
        }
    }

    private mutating func addPieces(_ text: UnsafeBufferPointer<UInt8>, _ splitter: PreTokenizer) {
        var start = 0
        while start < text.count {
            let end = splitter.pieceEnd(text, from: start)
            let piece = UnsafeBufferPointer(rebasing: text[start..<end])
            add(piece, hash: WordCache.hash(piece))
            start = end
        }
    }
}
