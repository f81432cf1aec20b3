// Options of the TF-IDF vectorizer, named after scikit-learn's TfidfVectorizer arguments.

/// TF-IDF options; the defaults are the project's baseline (sklearn: ngram_range=(1,2), sublinear_tf=True,
/// smooth_idf=True, norm='l2', min_df=2, max_features=200000).
public struct TfidfConfiguration: Sendable, Equatable, Codable {
    /// Word n-gram lengths; only 1 and 2 are supported (a range reaching past 2 is clamped to 2).
    public var ngramRange: ClosedRange<Int> = 1...2
    /// Lower-case before NFKC normalization and word breaking.
    public var lowercase = true
    /// Term frequency 1 + ln(count) instead of count.
    public var sublinearTF = true
    /// Keep terms that occur in at least this many documents (sklearn's integer min_df).
    public var minDocumentFrequency = 2
    /// Keep at most this many terms, the most frequent in the corpus (ties: the lexicographically smaller term).
    public var maxFeatures: Int? = 200_000

    /// The project's default configuration.
    public init() {}

    /// The n-gram lengths actually used: `ngramRange` ∩ 1...2.
    var ngramLengths: ClosedRange<Int> {
        let lower = min(max(ngramRange.lowerBound, 1), 2)
        return lower...max(lower, min(ngramRange.upperBound, 2))
    }
}
