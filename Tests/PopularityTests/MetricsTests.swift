import Tensor
import Foundation
import Testing
@testable import Popularity

/// The golden file written by tools/popularity_reference.py (scipy, sklearn, brute force).
struct MetricsGolden: Decodable {
    struct Case: Decodable {
        struct BootstrapGolden: Decodable { let resamples: Int; let seed: UInt64; let ci95: [String: [Double]] }
        let name: String
        let predictions: [Double]
        let truths: [Double]
        let metrics: [String: Double?]
        let bootstrap: BootstrapGolden
    }
    struct Ranks: Decodable { let values: [Double]; let average_ranks: [Double]; let midpoint_percentiles: [Double] }
    struct Generator: Decodable { let seed: UInt64; let first: [String] }
    struct Shuffle: Decodable { let seed: UInt64; let count: Int; let order: [Int] }
    struct Folds: Decodable { let seed: UInt64; let count: Int; let folds: Int; let assignment: [Int] }
    struct Quantiles: Decodable { let sorted: [Double]; let q: [Double]; let values: [Double] }
    let metric_cases: [Case]
    let ranks: Ranks
    let splitmix64: Generator
    let shuffle: Shuffle
    let folds: Folds
    let quantiles: Quantiles

    static func load() throws -> MetricsGolden {
        let url = try #require(Bundle.module.url(forResource: "metrics_golden", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(MetricsGolden.self, from: Data(contentsOf: url))
    }
}

@Suite("Metrics against scipy / sklearn goldens (with ties)")
struct MetricsTests {
    @Test("every metric on every golden case within 1e-12")
    func pointMetrics() throws {
        let golden = try MetricsGolden.load()
        for goldenCase in golden.metric_cases {
            for metric in Metric.allCases {
                let expected = try #require(goldenCase.metrics[metric.rawValue])
                let value = metric.value(predictions: goldenCase.predictions, truths: goldenCase.truths)
                if let expected {
                    #expect(abs(value - expected) <= 1e-12, "\(goldenCase.name) \(metric): \(value) vs \(expected)")
                } else {
                    #expect(value.isNaN, "\(goldenCase.name) \(metric)")
                }
            }
        }
    }

    @Test("bootstrap intervals reproduce the reference's resamples exactly")
    func bootstrap() throws {
        let golden = try MetricsGolden.load()
        for goldenCase in golden.metric_cases {
            let estimates = Bootstrap.estimates(predictions: goldenCase.predictions, truths: goldenCase.truths,
                                                resamples: goldenCase.bootstrap.resamples, seed: goldenCase.bootstrap.seed)
            for metric in Metric.allCases {
                let expected = try #require(goldenCase.bootstrap.ci95[metric.rawValue])
                let estimate = try #require(estimates[metric])
                #expect(abs(estimate.lower - expected[0]) <= 1e-9, "\(goldenCase.name) \(metric) lower")
                #expect(abs(estimate.upper - expected[1]) <= 1e-9, "\(goldenCase.name) \(metric) upper")
                #expect(estimate.lower <= estimate.upper)
            }
        }
    }

    @Test("average ranks and midpoint percentiles match scipy.rankdata")
    func ranks() throws {
        let golden = try MetricsGolden.load()
        #expect(Ranking.averageRanks(golden.ranks.values) == golden.ranks.average_ranks)
        let percentiles = Ranking.midpointPercentiles(golden.ranks.values)
        for (value, expected) in zip(percentiles, golden.ranks.midpoint_percentiles) { #expect(abs(value - expected) < 1e-15) }
    }

    @Test("SplitMix64, shuffle, fold assignment and quantiles match the Python port")
    func generator() throws {
        let golden = try MetricsGolden.load()
        var generator = SplitMix64(seed: golden.splitmix64.seed)
        #expect((0..<5).map { _ in String(generator.next()) } == golden.splitmix64.first)
        var order = Array(0..<golden.shuffle.count)
        var shuffler = SplitMix64(seed: golden.shuffle.seed)
        shuffler.shuffle(&order)
        #expect(order == golden.shuffle.order)
        #expect(Splits.foldAssignment(count: golden.folds.count, folds: golden.folds.folds, seed: golden.folds.seed) == golden.folds.assignment)
        for (q, expected) in zip(golden.quantiles.q, golden.quantiles.values) {
            #expect(abs(Bootstrap.quantile(golden.quantiles.sorted, q) - expected) < 1e-12)
        }
    }

    @Test("hand-made: perfect order, reversed order, all-tied predictions")
    func handMade() {
        let truths = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        #expect(Metrics.pairwiseAccuracy(truths, truths) == 1)
        #expect(Metrics.pairwiseAccuracy(truths.reversed(), truths) == 0)
        #expect(Metrics.pairwiseAccuracy([Double](repeating: 3, count: 10), truths) == 0.5)
        #expect(Metrics.topDecilePrecision(truths, truths) == 1)
        #expect(Metrics.topDecilePrecision(truths.reversed(), truths) == 0)
        #expect(Metrics.spearman([Double](repeating: 3, count: 10), truths).isNaN)
        #expect(Metrics.rSquared(truths, truths) == 1)
    }
}
