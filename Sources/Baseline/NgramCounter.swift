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
        // Locals, not members, on the hot path: fewer uniqueness checks and retains per update.
        var tokens = TokenInterner(expected: 1 << 15)
        var documentFrequency: [Int32] = [], corpusFrequency: [Int32] = [], lastDocument: [Int32] = []
        let lengths = configuration.ngramLengths
        let unigrams = lengths.contains(1), bigrams = lengths.contains(2)
        var bigramTable = BigramTable(expected: bigrams ? max(1 << 12, documents.count * 64) : 16)
        var documentTerms: [UInt32] = [], documentOffsets: [Int] = [0]
        if keepDocumentTerms { documentTerms.reserveCapacity(documents.count * 240) }
        var tokenizer = WordTokenizer(lowercase: configuration.lowercase)
        var ids: [Int32] = []
        for (position, document) in documents.enumerated() {
            let documentIndex = Int32(position)
            ids.removeAll(keepingCapacity: true)
            tokenizer.forEachWord(in: document) { ids.append(tokens.intern($0)) }
            let known = tokens.count
            if lastDocument.count < known {
                let added = known - lastDocument.count
                lastDocument.append(contentsOf: repeatElement(-1, count: added))
                documentFrequency.append(contentsOf: repeatElement(0, count: added))
                corpusFrequency.append(contentsOf: repeatElement(0, count: added))
            }
            if unigrams {
                ids.withUnsafeBufferPointer { words in
                    lastDocument.withUnsafeMutableBufferPointer { last in
                        documentFrequency.withUnsafeMutableBufferPointer { df in
                            corpusFrequency.withUnsafeMutableBufferPointer { cf in
                                for id in words {
                                    let token = Int(id)
                                    cf[token] += 1
                                    if last[token] != documentIndex { last[token] = documentIndex; df[token] += 1 }
                                }
                            }
                        }
                    }
                }
                if keepDocumentTerms { for id in ids { documentTerms.append(UInt32(bitPattern: id)) } }
            }
            if bigrams && ids.count > 1 {
                for index in 1..<ids.count {
                    let bigram = bigramTable.add(bigramKey(ids[index - 1], ids[index]), document: documentIndex)
                    if keepDocumentTerms { documentTerms.append(bigramFlag | UInt32(bitPattern: bigram)) }
                }
            }
            if keepDocumentTerms { documentOffsets.append(documentTerms.count) }
        }
        return NgramCounts(tokens: tokens, unigramDocumentFrequency: documentFrequency,
                           unigramCorpusFrequency: corpusFrequency, bigrams: bigramTable,
                           documentTerms: documentTerms, documentOffsets: documentOffsets)
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
