// Fitting the vectorizer: count n-grams in parallel chunks, merge, filter by min_df, keep the max_features
// most frequent, order columns lexicographically, compute idf.
//
// Lexicographic order without building strings: word bytes are > 0x20 (ICU words hold no spaces or control
// characters), so comparing "a b" with "c d" or with "c" as code-point strings is comparing the pairs
// (rank a, rank b) and (rank c, rank d) or (rank c, none), where rank is the word's byte-order position
// and "none" sorts first.
import Foundation

extension TfidfVectorizer {
    /// Where each chunk's unigrams (by token id) and bigrams (by bigram id) land: a column or -1.
    struct ColumnMap: Sendable {
        let unigrams: [Int32]
        let bigrams: [Int32]
    }

    /// What fit-transform needs beyond the vectorizer: the chunk counts and their term → column maps.
    struct Fitted {
        let vectorizer: TfidfVectorizer
        let chunks: [NgramCounts]
        let columnMaps: [ColumnMap]
    }

    /// A vocabulary candidate: its key in merged ids, corpus frequency and document frequency.
    private struct Candidate {
        let key: UInt64
        let corpusFrequency: Int64
        let documentFrequency: Int32
        /// Token id (unigram) or bigramFlag | bigram id, in merged ids.
        let term: UInt32
    }

    /// Counts in `threads` chunks (one below 64 documents), merges, selects the vocabulary.
    static func fitCounting(_ documents: [String], configuration: TfidfConfiguration, keepDocumentTerms: Bool,
                            threads: Int) -> Fitted {
        let ranges = chunkRanges(documents.count, documents.count < 64 ? 1 : max(1, threads))
        var chunks = parallelMap(ranges.count) { chunk in
            NgramCounts.count(documents[ranges[chunk]], configuration: configuration, keepDocumentTerms: keepDocumentTerms)
        }
        var merged = chunks.isEmpty ? NgramCounts() : chunks[0]
        var maps: [(tokens: [Int32], bigrams: [Int32])] = [(Array(0..<Int32(merged.tokens.count)),
                                                            Array(0..<Int32(merged.bigrams.count)))]
        for chunk in chunks.dropFirst() { maps.append(merged.merge(chunk)) }
        if !keepDocumentTerms { chunks = [] }

        let selected = selectColumns(merged, configuration: configuration)
        // New token ids (only words used by kept terms) and the term table in column order.
        var tokens = TokenInterner(expected: selected.count)
        var tokenMap = [Int32](repeating: -1, count: merged.tokens.count)
        func newToken(_ old: Int32) -> Int32 {
            if tokenMap[Int(old)] < 0 { tokenMap[Int(old)] = merged.tokens.withBytes(Int(old)) { tokens.intern($0) } }
            return tokenMap[Int(old)]
        }
        var terms = TermTable(expected: selected.count)
        var idf = [Double](repeating: 0, count: selected.count)
        var unigramColumn = [Int32](repeating: -1, count: merged.tokens.count)
        var bigramColumn = [Int32](repeating: -1, count: merged.bigrams.count)
        let smoothedCount = Double(documents.count + 1)
        for (column, candidate) in selected.enumerated() {
            let (first, second) = splitTermKey(candidate.key)
            let key = second.map { bigramKey(newToken(first), newToken($0)) } ?? unigramKey(newToken(first))
            _ = terms.insert(key)
            idf[column] = log(smoothedCount / Double(candidate.documentFrequency + 1)) + 1
            if candidate.term & bigramFlag != 0 {
                bigramColumn[Int(candidate.term & ~bigramFlag)] = Int32(column)
            } else {
                unigramColumn[Int(candidate.term)] = Int32(column)
            }
        }
        let vectorizer = TfidfVectorizer(configuration: configuration, idf: idf, documentCount: documents.count,
                                         tokens: tokens, terms: terms)
        let columnMaps = keepDocumentTerms
            ? maps.map { ColumnMap(unigrams: $0.tokens.map { unigramColumn[Int($0)] }, bigrams: $0.bigrams.map { bigramColumn[Int($0)] }) }
            : []
        return Fitted(vectorizer: vectorizer, chunks: chunks, columnMaps: columnMaps)
    }

    /// The vocabulary's candidates in column order.
    private static func selectColumns(_ counts: NgramCounts, configuration: TfidfConfiguration) -> [Candidate] {
        let minimum = Int32(max(1, configuration.minDocumentFrequency))
        var candidates: [Candidate] = []
        for token in 0..<counts.tokens.count where counts.unigramDocumentFrequency[token] >= minimum {
            candidates.append(Candidate(key: unigramKey(Int32(token)), corpusFrequency: Int64(counts.unigramCorpusFrequency[token]),
                                        documentFrequency: counts.unigramDocumentFrequency[token], term: UInt32(token)))
        }
        for id in 0..<counts.bigrams.count {
            let slot = counts.bigrams.slot(id: id)
            if slot.documentFrequency >= minimum {
                candidates.append(Candidate(key: slot.key, corpusFrequency: Int64(slot.corpusFrequency),
                                            documentFrequency: slot.documentFrequency, term: bigramFlag | UInt32(id)))
            }
        }
        let rank = byteOrderRanks(counts.tokens)
        var order: [Int]
        if counts.tokens.count < 1 << 20 && candidates.count < 1 << 24 {
            // Packed (rank first, rank second + 1, candidate) keys: a plain integer sort, no comparator closure.
            var packed = candidates.enumerated().map { index, candidate -> UInt64 in
                let (first, second) = splitTermKey(candidate.key)
                return UInt64(rank[Int(first)]) << 44 | UInt64(second.map { rank[Int($0)] + 1 } ?? 0) << 24 | UInt64(index)
            }
            packed.sort()
            order = packed.map { Int($0 & 0xFF_FFFF) }
        } else {
            let orderKeys: [UInt64] = candidates.map { candidate in
                let (first, second) = splitTermKey(candidate.key)
                return UInt64(rank[Int(first)]) << 32 | UInt64(second.map { rank[Int($0)] + 1 } ?? 0)
            }
            order = Array(0..<candidates.count)
            order.sort { orderKeys[$0] < orderKeys[$1] }
        }
        if let limit = configuration.maxFeatures, order.count > limit {
            // Highest corpus frequency first; position in lexicographic order breaks ties.
            var byFrequency = order.enumerated().map { position, candidate -> UInt64 in
                let frequency = UInt64(min(candidates[candidate].corpusFrequency, Int64(UInt32.max)))
                return (UInt64(UInt32.max) - frequency) << 32 | UInt64(position)
            }
            byFrequency.sort()
            order = byFrequency.prefix(max(0, limit)).map { Int($0 & 0xFFFF_FFFF) }.sorted().map { order[$0] }
        }
        return order.map { candidates[$0] }
    }

    /// rank[id] = position of token id in code-point (= UTF-8 byte) order.
    private static func byteOrderRanks(_ tokens: TokenInterner) -> [UInt32] {
        let arena = tokens.arena, offsets = tokens.offsets
        let order = arena.withUnsafeBufferPointer { bytes -> [Int] in
            guard let base = bytes.baseAddress else { return Array(0..<tokens.count) }
            return (0..<tokens.count).sorted { left, right in
                let a = Int(offsets[left]), aEnd = Int(offsets[left + 1])
                let b = Int(offsets[right]), bEnd = Int(offsets[right + 1])
                let difference = memcmp(base + a, base + b, min(aEnd - a, bEnd - b))
                return difference != 0 ? difference < 0 : (aEnd - a) < (bEnd - b)
            }
        }
        var rank = [UInt32](repeating: 0, count: tokens.count)
        for (position, id) in order.enumerated() { rank[id] = UInt32(position) }
        return rank
    }
}
