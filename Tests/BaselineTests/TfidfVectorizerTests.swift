// TF-IDF against scikit-learn's TfidfVectorizer (goldens from tools/baseline_reference.py) and exact examples.
import Testing
import Foundation
@testable import Baseline

@Suite("TF-IDF vectorizer")
struct TfidfVectorizerTests {
    @Test("ICU words: lower-cased, NFKC, apostrophes and digit groups kept whole, one-letter words kept")
    func words() {
        var tokenizer = WordTokenizer(lowercase: true)
        #expect(tokenizer.words("The Hero's Café, season 2!") == ["the", "hero's", "café", "season", "2"])
        #expect(tokenizer.words("ＦＵＬＬ-width: a 1,000-year-old") == ["full", "width", "a", "1,000", "year", "old"])
        #expect(tokenizer.words("  ... !!! ") == [])
        var raw = WordTokenizer(lowercase: false)
        #expect(raw.words("Tokyo TOWER") == ["Tokyo", "TOWER"])
    }

    @Test("vocabulary, idf and matrices match scikit-learn for every fixture configuration", arguments: 0..<4)
    func matchesScikitLearn(caseIndex: Int) throws {
        let golden = try Fixtures.golden().tfidf[caseIndex]
        let corpus = try Fixtures.corpus()
        let vectorizer = TfidfVectorizer.fit(corpus.train, configuration: golden.swiftConfiguration)
        #expect(vectorizer.vocabulary == golden.vocabulary, "\(golden.configuration.name) vocabulary")
        let idfDifference = maxDifference(vectorizer.idf, golden.idf)
        #expect(idfDifference <= 1e-12, "max |Δ idf| = \(idfDifference)")
        expectMatrix(vectorizer.transform(corpus.train), equals: golden.train)
        expectMatrix(vectorizer.transform(corpus.heldout), equals: golden.heldout)
        let (fitted, matrix) = TfidfVectorizer.fitTransform(corpus.train, configuration: golden.swiftConfiguration)
        #expect(fitted.vocabulary == golden.vocabulary)
        expectMatrix(matrix, equals: golden.train)
    }

    @Test("two-chunk fit and transform equal the one-chunk result")
    func parallelEqualsSerial() throws {
        let corpus = try Fixtures.corpus()
        // 200 documents (≥ 64, so the parallel path runs), words shuffled so chunks see different terms first.
        let base = corpus.train + corpus.validation + corpus.heldout
        let documents = (0..<200).map { index in
            let words = base[index % base.count].split(separator: " ")
            return (words[(index % words.count)...] + words[..<(index % words.count)]).joined(separator: " ")
        }
        var configuration = TfidfConfiguration()
        configuration.maxFeatures = 150
        let serial = TfidfVectorizer.fitTransform(documents, configuration: configuration, threads: 1)
        let parallel = TfidfVectorizer.fitTransform(documents, configuration: configuration, threads: 2)
        #expect(serial.vectorizer.vocabulary == parallel.vectorizer.vocabulary)
        #expect(serial.vectorizer.idf == parallel.vectorizer.idf)
        #expect(serial.matrix == parallel.matrix)
        #expect(parallel.vectorizer.transform(documents, threads: 2) == serial.matrix)
        #expect(serial.vectorizer.featureCount == 150)
    }

    @Test("max_features keeps the most frequent terms; ties go to the lexicographically smaller term")
    func maxFeaturesTies() {
        var configuration = TfidfConfiguration()
        configuration.ngramRange = 1...1
        configuration.minDocumentFrequency = 1
        configuration.maxFeatures = 3
        // Corpus counts: a 3, d 2, c 2, b 2, e 1 → keep a, then the smaller of the tied b, c, d: b.
        let vectorizer = TfidfVectorizer.fit(["a d c", "a d c b", "a b e"], configuration: configuration)
        #expect(vectorizer.vocabulary == ["a", "b", "c"])
    }

    @Test("worked example: idf and sublinear, l2-normalized values by hand")
    func workedExample() {
        var configuration = TfidfConfiguration()
        configuration.minDocumentFrequency = 1
        let vectorizer = TfidfVectorizer.fit(["cat cat dog", "dog"], configuration: configuration)
        #expect(vectorizer.vocabulary == ["cat", "cat cat", "cat dog", "dog"])
        // idf(cat) = ln(3/2) + 1; idf(dog) = ln(3/3) + 1 = 1.
        #expect(abs(vectorizer.idf[0] - (log(1.5) + 1)) < 1e-15)
        #expect(vectorizer.idf[3] == 1)
        let row = vectorizer.transform(["cat cat dog"]).row(0)
        let cat = (1 + log(2.0)) * (log(1.5) + 1), pair = log(1.5) + 1, dog = 1.0
        let norm = (cat * cat + 2 * pair * pair + dog * dog).squareRoot()
        let expected = [cat / norm, pair / norm, pair / norm, dog / norm]
        #expect(maxDifference(row.map { Double($0.value) }, expected) < 1e-7)
        #expect(vectorizer.transform(["unknown words only"]).nonzeroCount == 0)
    }
}
