// Counting pass of TF-IDF fitting over one chunk of documents: interns words, counts every n-gram term's
// document frequency and corpus frequency, and (for fit-transform) remembers each document's term sequence.
// Unigram counts are arrays indexed by token id; bigram counts live in a BigramTable.

/// A term occurrence in a document's stream: a token id (unigram) or bigramFlag | bigram id.
let bigramFlag: UInt32 = 1 << 31

/// N-gram statistics of a chunk of documents, with chunk-local token and bigram ids.
struct NgramCounts {
    /// Chunk-local token ids.
    var tokens = TokenInterner(expected: 1 << 15)
    /// Documents containing unigram (token) i.
    var unigramDocumentFrequency: [Int32] = []
    /// Occurrences of unigram (token) i.
    var unigramCorpusFrequency: [Int32] = []
    /// Bigram keys (chunk-local token ids) and counts.
    var bigrams = BigramTable(expected: 1 << 12)
    /// Term stream of each document, repeats kept (only when asked for): token id or bigramFlag | bigram id.
    var documentTerms: [UInt32] = []
    /// Document d's terms are documentTerms[documentOffsets[d]..<documentOffsets[d+1]].
    var documentOffsets: [Int] = [0]

    /// Counts the n-grams of `documents`.
    static func count(_ documents: ArraySlice<String>, configuration: TfidfConfiguration,
                      keepDocumentTerms: Bool) -> NgramCounts {
        var counts = NgramCounts()
        let lengths = configuration.ngramLengths
        let unigrams = lengths.contains(1), bigrams = lengths.contains(2)
        if bigrams { counts.bigrams = BigramTable(expected: max(1 << 12, documents.count * 64)) }
        var tokenizer = WordTokenizer(lowercase: configuration.lowercase)
        var lastDocument: [Int32] = []
        var ids: [Int32] = []
        if keepDocumentTerms { counts.documentTerms.reserveCapacity(documents.count * 240) }
        for (position, document) in documents.enumerated() {
            let documentIndex = Int32(position)
            ids.removeAll(keepingCapacity: true)
            tokenizer.forEachWord(in: document) { ids.append(counts.tokens.intern($0)) }
            while lastDocument.count < counts.tokens.count {
                lastDocument.append(-1)
                counts.unigramDocumentFrequency.append(0)
                counts.unigramCorpusFrequency.append(0)
            }
            if unigrams {
                for id in ids {
                    let token = Int(id)
                    counts.unigramCorpusFrequency[token] += 1
                    if lastDocument[token] != documentIndex {
                        lastDocument[token] = documentIndex
                        counts.unigramDocumentFrequency[token] += 1
                    }
                    if keepDocumentTerms { counts.documentTerms.append(UInt32(bitPattern: id)) }
                }
            }
            if bigrams && ids.count > 1 {
                for index in 1..<ids.count {
                    let bigram = counts.bigrams.add(bigramKey(ids[index - 1], ids[index]), document: documentIndex)
                    if keepDocumentTerms { counts.documentTerms.append(bigramFlag | UInt32(bitPattern: bigram)) }
                }
            }
            if keepDocumentTerms { counts.documentOffsets.append(counts.documentTerms.count) }
        }
        return counts
    }

    /// Adds `other`'s statistics into `self`; returns `other`'s token ids and bigram ids in `self`.
    mutating func merge(_ other: NgramCounts) -> (tokens: [Int32], bigrams: [Int32]) {
        var tokenMap = [Int32](repeating: 0, count: other.tokens.count)
        for id in 0..<other.tokens.count {
            let token = other.tokens.withBytes(id) { tokens.intern($0) }
            tokenMap[id] = token
            if Int(token) == unigramDocumentFrequency.count {
                unigramDocumentFrequency.append(0)
                unigramCorpusFrequency.append(0)
            }
            unigramDocumentFrequency[Int(token)] += other.unigramDocumentFrequency[id]
            unigramCorpusFrequency[Int(token)] += other.unigramCorpusFrequency[id]
        }
        var bigramMap = [Int32](repeating: 0, count: other.bigrams.count)
        for id in 0..<other.bigrams.count {
            let slot = other.bigrams.slot(id: id)
            let (first, second) = splitTermKey(slot.key)
            let key = bigramKey(tokenMap[Int(first)], tokenMap[Int(second ?? 0)])
            bigramMap[id] = bigrams.add(key, document: -1, frequency: slot.corpusFrequency,
                                        documents: slot.documentFrequency)
        }
        return (tokenMap, bigramMap)
    }
}
