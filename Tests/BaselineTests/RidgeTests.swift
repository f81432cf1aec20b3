// Ridge regression against scikit-learn's Ridge (cholesky, cross-checked with sparse_cg) on the fixtures.
import Foundation
import Testing
@testable import Baseline

@Suite("Ridge regression")
struct RidgeTests {
    let golden: Golden
    let corpus: Golden.Corpus
    let configuration: TfidfConfiguration

    init() throws {
        golden = try Fixtures.golden()
        corpus = try Fixtures.corpus()
        configuration = golden.tfidf[0].swiftConfiguration
    }

    var trainTargets: [Double] { Array(golden.targets[..<40]) }
    var validationTargets: [Double] { Array(golden.targets[40...]) }
    func pixels(_ range: Range<Int>) -> [[Float]] { golden.pixels[range].map { $0.map(Float.init) } }

    @Test("sparse ridge by conjugate gradient: weights, intercept and predictions match sklearn to 1e-5")
    func sparseRidge() throws {
        let vectorizer = TfidfVectorizer.fit(corpus.train, configuration: configuration)
        let train = vectorizer.transform(corpus.train)
        for fit in golden.tfidfRidge.fits {
            let ridge = RidgeRegression.fit(train, targets: trainTargets, alpha: fit.alpha)
            let weights = try #require(fit.weights), intercept = try #require(fit.intercept)
            #expect(maxDifference(ridge.weights, weights) <= 1e-5, "α=\(fit.alpha) weights")
            #expect(abs(ridge.intercept - intercept) <= 1e-5, "α=\(fit.alpha) intercept")
            let predictions = ridge.predict(vectorizer.transform(corpus.heldout))
            #expect(maxDifference(predictions, fit.heldoutPredictions) <= 1e-5, "α=\(fit.alpha) predictions")
            #expect(ridge.relativeResidual <= 1e-10)
        }
    }

    @Test("TfidfRidge picks sklearn's α on validation and predicts held-out synopses to 1e-5")
    func tfidfRidge() throws {
        let model = try TfidfRidge.fit(trainDocuments: corpus.train, trainTargets: trainTargets,
                                       validationDocuments: corpus.validation, validationTargets: validationTargets,
                                       alphas: golden.tfidfRidge.alphas ?? [], configuration: configuration)
        #expect(model.alpha == golden.tfidfRidge.chosenAlpha)
        let chosen = try #require(golden.tfidfRidge.fits.first { $0.alpha == model.alpha })
        #expect(maxDifference(model.predict(corpus.heldout), chosen.heldoutPredictions) <= 1e-5)
        let errors = model.validationErrors.sorted { $0.alpha < $1.alpha }.map(\.meanSquaredError)
        #expect(maxDifference(errors, golden.tfidfRidge.validationErrors ?? []) <= 1e-6)
    }

    @Test("per-term contributions plus the intercept add up to the prediction")
    func contributions() throws {
        let model = try TfidfRidge.fit(trainDocuments: corpus.train, trainTargets: trainTargets,
                                       validationDocuments: corpus.validation, validationTargets: validationTargets,
                                       alphas: [1], configuration: configuration)
        let document = corpus.heldout[1]
        let parts = model.contributions(for: document)
        #expect(!parts.isEmpty)
        #expect(parts.contains { $0.term == "idol group" })
        let total = model.intercept + parts.reduce(0) { $0 + $1.contribution }
        #expect(abs(total - model.predict([document])[0]) <= 1e-9)
        #expect(zip(parts, parts.dropFirst()).allSatisfy { abs($0.contribution) >= abs($1.contribution) })
    }

    @Test("PixelRidge: standardized pixels, α chosen and predictions match sklearn to 1e-5")
    func pixelRidge() throws {
        let model = try PixelRidge.fit(trainPixels: pixels(0..<40), trainTargets: trainTargets,
                                       validationPixels: pixels(40..<50), validationTargets: validationTargets,
                                       alphas: golden.pixelRidge.alphas ?? [])
        #expect(model.alpha == golden.pixelRidge.chosenAlpha)
        for fit in golden.pixelRidge.fits {
            let single = try PixelRidge.fit(trainPixels: pixels(0..<40), trainTargets: trainTargets,
                                            validationPixels: [], validationTargets: [], alphas: [fit.alpha])
            let difference = maxDifference(single.predict(pixels(50..<60)), fit.heldoutPredictions)
            #expect(difference <= 1e-5, "α=\(fit.alpha): max |Δ| = \(difference)")
        }
    }

    @Test("TextPixelRidge: one CG over [TF-IDF | s·pixels] matches sklearn on the hstacked matrix")
    func textPixelRidge() throws {
        for fit in golden.textPixelRidge.fits {
            let model = try TextPixelRidge.fit(
                trainDocuments: corpus.train, trainPixels: pixels(0..<40), trainTargets: trainTargets,
                validationDocuments: [], validationPixels: [], validationTargets: [],
                alphas: [fit.alpha], configuration: configuration)
            #expect(abs(model.pixelScale - (fit.pixelScale ?? 0)) <= 1e-9)
            let difference = maxDifference(model.predict(corpus.heldout, pixels: pixels(50..<60)), fit.heldoutPredictions)
            #expect(difference <= 1e-5, "α=\(fit.alpha): max |Δ| = \(difference)")
        }
    }

    @Test("public stacked fit on [TF-IDF | raw dense block] equals TextPixelRidge's internal solve")
    func stackedFit() throws {
        let vectorizer = TfidfVectorizer.fit(corpus.train, configuration: configuration)
        let text = vectorizer.transform(corpus.train), heldoutText = vectorizer.transform(corpus.heldout)
        let fit = try #require(golden.textPixelRidge.fits.first)
        let scale = try #require(fit.pixelScale)
        // Standardize with training statistics and scale as the reference does, then fit the public entry point.
        let train = try DenseFeatures(pixels(0..<40)), heldout = try DenseFeatures(pixels(50..<60))
        let statistics = train.columnStatistics()
        let ridge = RidgeRegression.fit(text, train.standardized(means: statistics.means, deviations: statistics.deviations, scale: scale),
                                        targets: trainTargets, alpha: fit.alpha)
        let predictions = ridge.predict(heldoutText, heldout.standardized(means: statistics.means, deviations: statistics.deviations,
                                                                          scale: scale))
        #expect(maxDifference(predictions, fit.heldoutPredictions) <= 1e-5)
    }

    @Test("inputs that cannot be fitted throw located errors")
    func errors() {
        #expect(throws: BaselineError.countMismatch(what: "training documents", inputs: 2, targets: 1)) {
            try TfidfRidge.fit(trainDocuments: ["a", "b"], trainTargets: [1], validationDocuments: [],
                               validationTargets: [], alphas: [1])
        }
        #expect(throws: BaselineError.emptyVocabulary(documents: 2, minDocumentFrequency: 2)) {
            try TfidfRidge.fit(trainDocuments: ["alpha", "beta"], trainTargets: [1, 2], validationDocuments: [],
                               validationTargets: [], alphas: [1])
        }
        #expect(throws: BaselineError.self) {
            try TfidfRidge.fit(trainDocuments: ["x y", "x y"], trainTargets: [1, 2], validationDocuments: [],
                               validationTargets: [], alphas: [1, 2])
        }
        #expect(throws: BaselineError.featureLengthMismatch(row: 1, expected: 2, found: 1)) {
            try PixelRidge.fit(trainPixels: [[1, 2], [3]], trainTargets: [1, 2], validationPixels: [],
                               validationTargets: [], alphas: [1])
        }
        #expect(throws: BaselineError.nonFinite(what: "training target", row: 1)) {
            try PixelRidge.fit(trainPixels: [[1], [2]], trainTargets: [1, .nan], validationPixels: [],
                               validationTargets: [], alphas: [1])
        }
    }
}
