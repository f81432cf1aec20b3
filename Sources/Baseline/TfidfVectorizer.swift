// TF-IDF vectorizer with scikit-learn TfidfVectorizer semantics (see TfidfConfiguration):
//   vocabulary  terms with df ≥ min_df; if more than max_features, the max_features largest corpus counts
//               (ties: lexicographically smaller term first — sklearn's unstable argsort leaves ties
//               unspecified); columns in lexicographic (code point) order of the term strings.
//   idf(t)      ln((1 + N) / (1 + df(t))) + 1                       (smooth_idf)
//   x[d, t]     (1 + ln count(d, t)) · idf(t), each row scaled to unit l2 norm  (sublinear_tf, norm='l2')
// A bigram's string is its two words joined by one space, as in sklearn.
import Foundation

/// A fitted TF-IDF vectorizer: vocabulary, idf, and the interned tables that transform documents.
public struct TfidfVectorizer: Sendable {
    /// The options it was fitted with.
    public let configuration: TfidfConfiguration
    /// Inverse document frequency per column (V).
    public let idf: [Double]
    /// Number of documents it was fitted on (N).
    public let documentCount: Int
    /// Tokens that occur in some vocabulary term.
    let tokens: TokenInterner
    /// Term key → column (term id i is column i).
    let terms: TermTable
    /// Column of each token's unigram, or -1.
    let unigramColumns: [Int32]
    /// One-bit-per-slot filter of the vocabulary's bigram keys: a clear bit skips the hash-table probe.
    let bigramFilter: [UInt64]

    /// Assembles a vectorizer and derives its transform-side lookup tables.
    init(configuration: TfidfConfiguration, idf: [Double], documentCount: Int, tokens: TokenInterner, terms: TermTable) {
        self.configuration = configuration
        self.idf = idf
        self.documentCount = documentCount
        self.tokens = tokens
        self.terms = terms
        var unigramColumns = [Int32](repeating: -1, count: tokens.count)
        var filterBits = 64
        while filterBits < terms.count * 16 { filterBits <<= 1 }
        var filter = [UInt64](repeating: 0, count: filterBits / 64)
        for (column, key) in terms.keys.enumerated() {
            let (first, second) = splitTermKey(key)
            if second == nil {
                unigramColumns[Int(first)] = Int32(column)
            } else {
                let bit = Int(truncatingIfNeeded: mix(key) >> 32) & (filterBits - 1)
                filter[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        self.unigramColumns = unigramColumns
        bigramFilter = filter
    }

    /// Number of columns (V).
    public var featureCount: Int { idf.count }

    /// The vocabulary in column order (sklearn's get_feature_names_out()).
    public var vocabulary: [String] { (0..<featureCount).map(term) }

    /// The term string of `column` ("word" or "first second").
    public func term(_ column: Int) -> String {
        let (first, second) = splitTermKey(terms.keys[column])
        guard let second else { return tokens.string(Int(first)) }
        return tokens.string(Int(first)) + " " + tokens.string(Int(second))
    }

    /// Learns vocabulary and idf from `documents`.
    public static func fit(_ documents: [String], configuration: TfidfConfiguration = TfidfConfiguration(),
                           threads: Int = BaselineThreads.defaultCount) -> TfidfVectorizer {
        fitCounting(documents, configuration: configuration, keepDocumentTerms: false, threads: threads).vectorizer
    }

    /// Learns vocabulary and idf and returns the training matrix (N × V) from the same counting pass.
    public static func fitTransform(_ documents: [String], configuration: TfidfConfiguration = TfidfConfiguration(),
                                    threads: Int = BaselineThreads.defaultCount)
        -> (vectorizer: TfidfVectorizer, matrix: SparseMatrix) {
        let fitted = fitCounting(documents, configuration: configuration, keepDocumentTerms: true, threads: threads)
        let vectorizer = fitted.vectorizer
        let chunks = fitted.chunks
        let maps = fitted.columnMaps
        let parts = parallelMap(chunks.count) { chunk in
            var rows = RowBuilder(columns: vectorizer.featureCount)
            let counts = chunks[chunk], map = maps[chunk]
            for document in 0..<(counts.documentOffsets.count - 1) {
                for index in counts.documentOffsets[document]..<counts.documentOffsets[document + 1] {
                    let term = counts.documentTerms[index]
                    rows.add(term & bigramFlag != 0 ? map.bigrams[Int(term & ~bigramFlag)] : map.unigrams[Int(term)])
                }
                rows.finishRow(vectorizer)
            }
            return rows
        }
        return (vectorizer, RowBuilder.concatenate(parts, columns: vectorizer.featureCount))
    }

    /// TF-IDF rows of `documents` (N × V); words and terms outside the vocabulary are ignored.
    public func transform(_ documents: [String], threads: Int = BaselineThreads.defaultCount) -> SparseMatrix {
        let ranges = chunkRanges(documents.count, documents.count < 64 ? 1 : threads)
        let parts = parallelMap(ranges.count) { chunk in
            var rows = RowBuilder(columns: featureCount)
            var tokenizer = WordTokenizer(lowercase: configuration.lowercase)
            var ids: [Int32] = []
            for document in documents[ranges[chunk]] {
                ids.removeAll(keepingCapacity: true)
                tokenizer.forEachWord(in: document) { ids.append(tokens.lookup($0)) }
                addTerms(of: ids, to: &rows)
                rows.finishRow(self)
            }
            return rows
        }
        return RowBuilder.concatenate(parts, columns: featureCount)
    }

    /// Adds the columns of the n-grams of one document's token ids (-1 = unknown word).
    private func addTerms(of ids: [Int32], to rows: inout RowBuilder) {
        let lengths = configuration.ngramLengths
        if lengths.contains(1) {
            for id in ids where id >= 0 { rows.add(unigramColumns[Int(id)]) }
        }
        if lengths.contains(2) && ids.count > 1 {
            let mask = bigramFilter.count * 64 - 1
            for index in 1..<ids.count where ids[index - 1] >= 0 && ids[index] >= 0 {
                let key = bigramKey(ids[index - 1], ids[index])
                let bit = Int(truncatingIfNeeded: mix(key) >> 32) & mask
                if bigramFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 { rows.add(terms.lookup(key)) }
            }
        }
    }
}
