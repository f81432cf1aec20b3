// Loads the goldens written by tools/baseline_reference.py (scikit-learn) and the fixture corpus.
import Foundation
import Testing
@testable import Baseline

/// A CSR matrix as scipy writes it.
struct GoldenMatrix: Decodable {
    let rows: Int
    let columns: Int
    let rowOffsets: [Int]
    let columnIndices: [Int32]
    let values: [Double]
}

/// One TfidfVectorizer configuration and its outputs.
struct GoldenTfidfCase: Decodable {
    struct Configuration: Decodable {
        let name: String
        let ngramRange: [Int]
        let lowercase: Bool
        let sublinearTF: Bool
        let minDocumentFrequency: Int
        let maxFeatures: Int?
    }
    let configuration: Configuration
    let vocabulary: [String]
    let idf: [Double]
    let train: GoldenMatrix
    let heldout: GoldenMatrix

    /// The same options as a TfidfConfiguration.
    var swiftConfiguration: TfidfConfiguration {
        var result = TfidfConfiguration()
        result.ngramRange = configuration.ngramRange[0]...configuration.ngramRange[1]
        result.lowercase = configuration.lowercase
        result.sublinearTF = configuration.sublinearTF
        result.minDocumentFrequency = configuration.minDocumentFrequency
        result.maxFeatures = configuration.maxFeatures
        return result
    }
}

/// Ridge fits for one α.
struct GoldenRidgeFit: Decodable {
    let alpha: Double
    let weights: [Double]?
    let intercept: Double?
    let pixelScale: Double?
    let validationPredictions: [Double]
    let heldoutPredictions: [Double]
}

/// An α grid and the reference's choice.
struct GoldenRidgeSearch: Decodable {
    let alphas: [Double]?
    let fits: [GoldenRidgeFit]
    let validationErrors: [Double]?
    let chosenAlpha: Double?
}

/// Everything baseline_reference.py writes.
struct Golden: Decodable {
    let tfidf: [GoldenTfidfCase]
    let targets: [Double]
    let pixels: [[Double]]
    let tfidfRidge: GoldenRidgeSearch
    let pixelRidge: GoldenRidgeSearch
    let textPixelRidge: GoldenRidgeSearch

    /// The fixture corpus split as the reference splits it.
    struct Corpus {
        let train: [String]
        let validation: [String]
        let heldout: [String]
    }
}

enum Fixtures {
    static func url(_ name: String, _ ext: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"))
    }

    static func lines(_ name: String) throws -> [String] {
        try String(contentsOf: url(name, "txt"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url("baseline_golden", "json")))
    }

    static func corpus() throws -> Golden.Corpus {
        let all = try lines("baseline_corpus")
        return Golden.Corpus(train: Array(all[..<40]), validation: Array(all[40...]), heldout: try lines("baseline_heldout"))
    }
}

/// max |a − b| over two equal-length arrays (∞ when lengths differ).
func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Checks a Swift CSR matrix against a golden one: same shape and pattern, values within `tolerance`.
func expectMatrix(_ matrix: SparseMatrix, equals golden: GoldenMatrix, tolerance: Double = 1e-5,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(matrix.rows == golden.rows && matrix.columns == golden.columns, "shape", sourceLocation: sourceLocation)
    #expect(matrix.rowOffsets == golden.rowOffsets, "row offsets", sourceLocation: sourceLocation)
    #expect(matrix.columnIndices == golden.columnIndices, "column indices", sourceLocation: sourceLocation)
    let difference = maxDifference(matrix.values.map(Double.init), golden.values)
    #expect(difference <= tolerance, "max |Δ value| = \(difference)", sourceLocation: sourceLocation)
}
