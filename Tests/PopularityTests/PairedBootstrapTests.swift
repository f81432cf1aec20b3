import Tensor
import Foundation
import Testing
@testable import Popularity

/// The golden file written by tools/popularity_paired_bootstrap.py (numpy indexing, sklearn, scipy).
struct PairedGolden: Decodable {
    struct Estimate: Decodable { let difference: Double; let ci95: [Double]; let p_better: Double; let resamples_used: Int }
    struct Case: Decodable {
        let name: String
        let predictions: [Double], reference: [Double], truths: [Double]
        let resamples: Int
        let seed: UInt64
        let paired: [String: Estimate]
    }
    let cases: [Case]

    static func load() throws -> PairedGolden {
        let url = try fixture("paired_bootstrap_golden", "json")
        return try JSONDecoder().decode(PairedGolden.self, from: Data(contentsOf: url))
    }
}

/// Truths in [0, 1], a "ridge" with large errors, and a model sharing those errors (correlated) plus extra signal.
func correlatedPredictions(count: Int, signal: Double, seed: UInt64) -> (truths: [Double], reference: [Double], model: [Double]) {
    var generator = SeededGenerator(seed: seed)
    let truths = (0..<count).map { _ in Double(generator.nextUniform()) }
    let reference = truths.map { 0.5 * $0 + 0.25 + 0.2 * Double(generator.nextGaussian()) }
    let model = zip(reference, truths).map { $0 + signal * ($1 - 0.5) }
    return (truths, reference, model)
}

@Suite("Paired bootstrap: model − reference on the same resamples")
struct PairedBootstrapTests {
    @Test("matches the numpy/scipy reference: differences, intervals, P(better), resamples used")
    func golden() throws {
        for goldenCase in try PairedGolden.load().cases {
            let metrics: [Metric] = [.mse, .mae, .spearman]
            let estimates = PairedBootstrap.estimates(predictions: goldenCase.predictions, reference: goldenCase.reference,
                                                      truths: goldenCase.truths, metrics: metrics,
                                                      resamples: goldenCase.resamples, seed: goldenCase.seed)
            for metric in metrics {
                let expected = try #require(goldenCase.paired[metric.rawValue])
                let estimate = try #require(estimates[metric])
                let label = "\(goldenCase.name) \(metric)"
                #expect(abs(estimate.difference - expected.difference) <= 1e-12, "\(label) difference")
                #expect(abs(estimate.lower - expected.ci95[0]) <= 1e-9, "\(label) lower \(estimate.lower) vs \(expected.ci95[0])")
                #expect(abs(estimate.upper - expected.ci95[1]) <= 1e-9, "\(label) upper \(estimate.upper) vs \(expected.ci95[1])")
                #expect(abs(estimate.fractionBetter - expected.p_better) <= 1e-12, "\(label) P(better)")
                #expect(estimate.resamplesUsed == expected.resamples_used, "\(label) resamples used")
            }
        }
    }

    @Test("a model against itself: difference and interval exactly 0, P(better) 0; seeded runs repeat")
    func againstItself() {
        let data = correlatedPredictions(count: 200, signal: 0.2, seed: 3)
        let estimates = PairedBootstrap.estimates(predictions: data.model, reference: data.model, truths: data.truths,
                                                  metrics: Metric.allCases, resamples: 200, seed: 9)
        for metric in Metric.allCases {
            let estimate = estimates[metric]
            #expect(estimate?.difference == 0 && estimate?.lower == 0 && estimate?.upper == 0, "\(metric)")
            #expect(estimate?.fractionBetter == 0, "\(metric)")
            #expect(estimate?.resamplesUsed == 200, "\(metric)")
        }
        let again = PairedBootstrap.estimates(predictions: data.model, reference: data.reference, truths: data.truths,
                                              resamples: 200, seed: 9)
        #expect(again == PairedBootstrap.estimates(predictions: data.model, reference: data.reference, truths: data.truths,
                                                   resamples: 200, seed: 9))
    }

    @Test("the ridge plus a strictly better-ordered signal: ΔSpearman interval above 0, ΔMSE below")
    func betterSignal() throws {
        let data = correlatedPredictions(count: 300, signal: 0.3, seed: 4)
        let estimates = PairedBootstrap.estimates(predictions: data.model, reference: data.reference, truths: data.truths,
                                                  resamples: 500, seed: 1)
        let spearman = try #require(estimates[.spearman])
        #expect(spearman.lower > 0, "ΔSpearman \(spearman)")
        #expect(spearman.fractionBetter > 0.99)
        let mse = try #require(estimates[.mse])
        #expect(mse.upper < 0, "ΔMSE \(mse)")
        #expect(mse.fractionBetter > 0.99)
    }

    @Test("on correlated errors the paired interval is narrower than the difference of the unpaired intervals")
    func narrowerThanUnpaired() throws {
        let data = correlatedPredictions(count: 300, signal: 0.08, seed: 5)
        let paired = PairedBootstrap.estimates(predictions: data.model, reference: data.reference, truths: data.truths,
                                               resamples: 500, seed: 2)
        let model = Bootstrap.estimates(predictions: data.model, truths: data.truths, resamples: 500, seed: 2)
        let reference = Bootstrap.estimates(predictions: data.reference, truths: data.truths, resamples: 500, seed: 2)
        for metric in [Metric.mse, .spearman] {
            let pairedInterval = try #require(paired[metric])
            let modelInterval = try #require(model[metric]), referenceInterval = try #require(reference[metric])
            // Unpaired, the difference can lie anywhere in [model.lower − reference.upper, model.upper − reference.lower].
            let unpairedWidth = (modelInterval.upper - referenceInterval.lower) - (modelInterval.lower - referenceInterval.upper)
            let pairedWidth = pairedInterval.upper - pairedInterval.lower
            #expect(pairedWidth < 0.5 * unpairedWidth, "\(metric): paired \(pairedWidth) vs unpaired \(unpairedWidth)")
            #expect(abs(pairedInterval.difference - (modelInterval.value - referenceInterval.value)) < 1e-12)
        }
        // Here the unpaired intervals overlap, yet the paired one excludes 0.
        let spearman = try #require(paired[.spearman])
        #expect((model[.spearman]?.lower ?? 1) < (reference[.spearman]?.upper ?? 0))
        #expect(spearman.lower > 0, "\(spearman)")
    }

    @Test("compare pairs every row with the TF-IDF ridge on the same titles: all and with cover; table, JSON, HTML")
    func comparison() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paired-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalogue = try makeSyntheticCatalogue(folder: folder, withImages: true, count: 150)
        let result = Comparison.run(catalogue: catalogue, models: StandardModels.all, settings: .smallKFold)
        let measured = result.results.filter { $0.skippedReason == nil && $0.model != "TF-IDF ridge" }
        #expect(!measured.isEmpty)
        #expect(result.paired.count == measured.count, "every other measured row is paired")
        #expect(!result.paired.contains { $0.model == "TF-IDF ridge" })
        for entry in result.paired {
            let row = try #require(measured.first { $0.model == entry.model && $0.subset == entry.subset })
            let ridge = try #require(result.results.first { $0.model == "TF-IDF ridge" && $0.subset == entry.subset })
            #expect(entry.count == row.truths.count && row.titleIDs == ridge.titleIDs)
            // The point difference is the difference of the two rows' table values.
            for metric in PairedComparison.metrics {
                let difference = (row.estimates[metric]?.value ?? .nan) - (ridge.estimates[metric]?.value ?? .nan)
                #expect(abs((entry.estimates[metric]?.difference ?? .nan) - difference) < 1e-12, "\(entry.model) \(metric)")
            }
        }
        #expect(result.paired.contains { $0.model == "Pixel ridge" && $0.subset == "with cover" && $0.count == 75 })

        let lines = PairedTable.lines(result)
        #expect(lines.first?.hasPrefix("paired vs TF-IDF ridge (same 50 resamples)") == true)
        #expect(lines.count == result.paired.count + 2)
        let columns = lines[0].range(of: "ΔSpearman").map { lines[0].distance(from: lines[0].startIndex, to: $0.lowerBound) }
        for line in lines.dropFirst().dropLast() {
            #expect(line.firstRange(of: " [").map { _ in true } == true)
            let index = try #require(columns)
            let cell = line.dropFirst(index).prefix(1)
            #expect(cell == "+" || cell == "-" || cell == "n", "ΔSpearman column aligned: \(line)")
        }

        let json = try #require(try JSONSerialization.jsonObject(with: ComparisonJSON.data(result)) as? [String: Any])
        let pairedJSON = try #require(json["paired"] as? [[String: Any]])
        #expect(pairedJSON.count == result.paired.count)
        let first = try #require(pairedJSON.first?["metrics"] as? [String: Any])
        let spearman = try #require(first["spearman"] as? [String: Any])
        #expect(spearman["p_better"] is Double && (spearman["ci95"] as? [Any])?.count == 2)
        #expect(ComparisonHTML.page(result).contains("<h2>Paired vs TF-IDF ridge</h2>"))
    }
}
