// Counting pass of TF-IDF fitting over one chunk of documents: interns words, counts every n-gram term's
// document frequency and corpus frequency, and (for fit-transform) remembers each document's term sequence.

/// N-gram statistics of a chunk of documents, with chunk-local token and term ids.
struct NgramCounts {
    /// Chunk-local token ids.
    var tokens = TokenInterner(expected: 1 << 15)
    /// Chunk-local term ids (keys made of chunk-local token ids).
    var terms = TermTable(expected: 1 << 17)
    /// Documents containing term i.
    var documentFrequency: [Int32] = []
    /// Occurrences of term i over the chunk.
    var corpusFrequency: [Int64] = []
    /// Term ids of each document in order, repeats kept (only when asked for).
    var documentTerms: [Int32] = []
    /// Document d's terms are documentTerms[documentOffsets[d]..<documentOffsets[d+1]].
    var documentOffsets: [Int] = [0]

    /// Counts the n-grams of `documents`.
    static func count(_ documents: ArraySlice<String>, configuration: TfidfConfiguration,
                      keepDocumentTerms: Bool) -> NgramCounts {
        var counts = NgramCounts()
        var tokenizer = WordTokenizer(lowercase: configuration.lowercase)
        var lastDocument: [Int32] = []
        var ids: [Int32] = []
        let lengths = configuration.ngramLengths
        let unigrams = lengths.contains(1), bigrams = lengths.contains(2)
        if keepDocumentTerms { counts.documentTerms.reserveCapacity(documents.count * 200) }
        for (position, document) in documents.enumerated() {
            let documentIndex = Int32(position)
            ids.removeAll(keepingCapacity: true)
            tokenizer.forEachWord(in: document) { ids.append(counts.tokens.intern($0)) }
            @inline(__always) func add(_ key: UInt64) {
                let term = counts.terms.insert(key)
                let index = Int(term)
                if index == counts.documentFrequency.count {
                    counts.documentFrequency.append(1)
                    counts.corpusFrequency.append(1)
                    lastDocument.append(documentIndex)
                } else {
                    counts.corpusFrequency[index] += 1
                    if lastDocument[index] != documentIndex {
                        lastDocument[index] = documentIndex
                        counts.documentFrequency[index] += 1
                    }
                }
                if keepDocumentTerms { counts.documentTerms.append(term) }
            }
            if unigrams { for id in ids { add(unigramKey(id)) } }
            if bigrams && ids.count > 1 { for index in 1..<ids.count { add(bigramKey(ids[index - 1], ids[index])) } }
            if keepDocumentTerms { counts.documentOffsets.append(counts.documentTerms.count) }
        }
        return counts
    }

    /// Adds `other`'s statistics into `self`; returns, for each of `other`'s term ids, its id in `self`.
    mutating func merge(_ other: NgramCounts) -> [Int32] {
        var tokenMap = [Int32](repeating: 0, count: other.tokens.count)
        for id in 0..<other.tokens.count { tokenMap[id] = other.tokens.withBytes(id) { tokens.intern($0) } }
        var termMap = [Int32](repeating: 0, count: other.terms.count)
        for (local, key) in other.terms.keys.enumerated() {
            let (first, second) = splitTermKey(key)
            let mapped = second.map { bigramKey(tokenMap[Int(first)], tokenMap[Int($0)]) }
                ?? unigramKey(tokenMap[Int(first)])
            let term = terms.insert(mapped)
            let index = Int(term)
            if index == documentFrequency.count {
                documentFrequency.append(other.documentFrequency[local])
                corpusFrequency.append(other.corpusFrequency[local])
            } else {
                documentFrequency[index] += other.documentFrequency[local]
                corpusFrequency[index] += other.corpusFrequency[local]
            }
            termMap[local] = term
        }
        return termMap
    }
}
