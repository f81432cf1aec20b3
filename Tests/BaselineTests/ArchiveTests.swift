// Save/load of a TF-IDF ridge: identical vocabulary, predictions within Float32 rounding, located errors.
import Foundation
import Testing
@testable import Baseline

@Suite("TF-IDF ridge archive")
struct ArchiveTests {
    func model() throws -> (TfidfRidge, Golden.Corpus) {
        let golden = try Fixtures.golden(), corpus = try Fixtures.corpus()
        let model = try TfidfRidge.fit(trainDocuments: corpus.train, trainTargets: Array(golden.targets[..<40]),
                                       validationDocuments: [], validationTargets: [], alphas: [1],
                                       configuration: golden.tfidf[0].swiftConfiguration)
        return (model, corpus)
    }

    @Test("save then load keeps vocabulary, configuration and predictions (≤ 1e-6)")
    func roundTrip() throws {
        let (original, corpus) = try model()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-archive-\(UUID()).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try original.save(to: url)
        let loaded = try TfidfRidge.load(from: url)
        #expect(loaded.vectorizer.vocabulary == original.vectorizer.vocabulary)
        #expect(loaded.vectorizer.configuration == original.vectorizer.configuration)
        #expect(loaded.alpha == original.alpha)
        let difference = maxDifference(loaded.predict(corpus.heldout), original.predict(corpus.heldout))
        #expect(difference <= 1e-6, "max |Δ prediction| = \(difference)")
        #expect(loaded.contributions(for: corpus.heldout[0]).map(\.term) == original.contributions(for: corpus.heldout[0]).map(\.term))
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        #expect(size < 4096, "\(size) bytes for \(original.vectorizer.featureCount) terms")
    }

    @Test("malformed archives throw malformedModel naming the fault")
    func malformed() throws {
        let (original, _) = try model()
        let data = try original.archived()
        #expect(throws: BaselineError.malformedModel(path: "m", reason: "bad magic")) {
            try TfidfRidge.unarchive(Data("NOTAMODEL.......".utf8), source: "m")
        }
        #expect(throws: BaselineError.malformedModel(path: "m", reason: "truncated at byte \(data.count - 8)")) {
            try TfidfRidge.unarchive(data.prefix(data.count - 7), source: "m")
        }
        #expect(throws: BaselineError.malformedModel(path: "m", reason: "trailing bytes")) {
            try TfidfRidge.unarchive(data + Data([0]), source: "m")
        }
        #expect(throws: BaselineError.self) { try TfidfRidge.unarchive(Data(), source: "m") }
    }
}
