// Fitting the vectorizer: count n-grams in parallel chunks, merge, filter by min_df, keep the max_features
// most frequent, order columns lexicographically, compute idf.
//
// Lexicographic order without building strings: word bytes are > 0x20 (ICU words hold no spaces or control
// characters), so comparing "a b" with "c d" or with "c" as code-point strings is comparing the pairs
// (rank a, rank b) and (rank c, rank d) or (rank c, none), where rank is the word's byte-order position
// and "none" sorts first.
import Foundation

extension TfidfVectorizer {
    /// What fit-transform needs beyond the vectorizer: the chunk counts and their term → column maps (-1 = dropped).
    struct Fitted {
        let vectorizer: TfidfVectorizer
        let chunks: [NgramCounts]
        let columnMaps: [[Int32]]
    }

    /// Counts in `threads` chunks (one below 64 documents), merges, selects the vocabulary.
    static func fitCounting(_ documents: [String], configuration: TfidfConfiguration, keepDocumentTerms: Bool,
                            threads: Int) -> Fitted {
        let ranges = chunkRanges(documents.count, documents.count < 64 ? 1 : max(1, threads))
        var chunks = parallelMap(ranges.count) { chunk in
            NgramCounts.count(documents[ranges[chunk]], configuration: configuration, keepDocumentTerms: keepDocumentTerms)
        }
        var merged = chunks.isEmpty ? NgramCounts() : chunks[0]
        var globalMaps: [[Int32]] = [Array(0..<Int32(merged.terms.count))]
        for chunk in chunks.dropFirst() { globalMaps.append(merged.merge(chunk)) }
        if !keepDocumentTerms { chunks = [] }

        let selected = selectColumns(merged, configuration: configuration)
        // New token ids (only words used by kept terms) and the term table in column order.
        var tokens = TokenInterner(expected: selected.count)
        var tokenMap = [Int32](repeating: -1, count: merged.tokens.count)
        @inline(__always) func newToken(_ old: Int32) -> Int32 {
            if tokenMap[Int(old)] < 0 { tokenMap[Int(old)] = merged.tokens.withBytes(Int(old)) { tokens.intern($0) } }
            return tokenMap[Int(old)]
        }
        var terms = TermTable(expected: selected.count)
        var idf = [Double](repeating: 0, count: selected.count)
        var globalToColumn = [Int32](repeating: -1, count: merged.terms.count)
        let smoothedCount = Double(documents.count + 1)
        for (column, term) in selected.enumerated() {
            let (first, second) = splitTermKey(merged.terms.keys[term])
            let key = second.map { bigramKey(newToken(first), newToken($0)) } ?? unigramKey(newToken(first))
            _ = terms.insert(key)
            idf[column] = log(smoothedCount / Double(merged.documentFrequency[term] + 1)) + 1
            globalToColumn[term] = Int32(column)
        }
        let vectorizer = TfidfVectorizer(configuration: configuration, idf: idf, documentCount: documents.count,
                                         tokens: tokens, terms: terms)
        let columnMaps = keepDocumentTerms ? globalMaps.map { $0.map { globalToColumn[Int($0)] } } : []
        return Fitted(vectorizer: vectorizer, chunks: chunks, columnMaps: columnMaps)
    }

    /// Merged term ids of the vocabulary, in column order.
    private static func selectColumns(_ counts: NgramCounts, configuration: TfidfConfiguration) -> [Int] {
        let minimum = Int32(max(1, configuration.minDocumentFrequency))
        var candidates = (0..<counts.terms.count).filter { counts.documentFrequency[$0] >= minimum }
        let rank = byteOrderRanks(counts.tokens)
        let orderKeys: [UInt64] = counts.terms.keys.map { key in
            let (first, second) = splitTermKey(key)
            return UInt64(rank[Int(first)]) << 32 | UInt64(second.map { rank[Int($0)] + 1 } ?? 0)
        }
        candidates.sort { orderKeys[$0] < orderKeys[$1] }
        if let limit = configuration.maxFeatures, candidates.count > limit {
            // Position in lexicographic order breaks ties in corpus frequency.
            let byFrequency = candidates.indices.sorted { left, right in
                let a = counts.corpusFrequency[candidates[left]], b = counts.corpusFrequency[candidates[right]]
                return a != b ? a > b : left < right
            }
            candidates = byFrequency.prefix(max(0, limit)).sorted().map { candidates[$0] }
        }
        return candidates
    }

    /// rank[id] = position of token id in code-point (= UTF-8 byte) order.
    private static func byteOrderRanks(_ tokens: TokenInterner) -> [UInt32] {
        let arena = tokens.arena, offsets = tokens.offsets
        let order = arena.withUnsafeBufferPointer { bytes in
            (0..<tokens.count).sorted { left, right in
                let a = Int(offsets[left]), aEnd = Int(offsets[left + 1])
                let b = Int(offsets[right]), bEnd = Int(offsets[right + 1])
                let common = min(aEnd - a, bEnd - b)
                let difference = memcmp(bytes.baseAddress! + a, bytes.baseAddress! + b, common)
                return difference != 0 ? difference < 0 : (aEnd - a) < (bEnd - b)
            }
        }
        var rank = [UInt32](repeating: 0, count: tokens.count)
        for (position, id) in order.enumerated() { rank[id] = UInt32(position) }
        return rank
    }
}
