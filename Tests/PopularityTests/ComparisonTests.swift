import Tensor
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Popularity

/// A synthetic catalogue where the word "dragon" marks popular titles, years 2010–2024.
extension ComparisonSettings {
    /// 3-fold, 50 resamples, 20 training rows at least: what the synthetic catalogues of these tests can afford.
    static var smallKFold: ComparisonSettings {
        var settings = ComparisonSettings()
        settings.split = .kfold
        settings.folds = 3
        settings.resamples = 50
        settings.minimumTrainingRows = 20
        return settings
    }
}

func makeSyntheticCatalogue(folder: URL, withImages: Bool, count: Int = 240) throws -> Catalogue {
    var generator = SplitMix64(seed: 5)
    let filler = ["school", "friends", "summer", "city", "music", "club", "mystery", "robot", "island", "journey"]
    var titles: [Title] = []
    if withImages {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("posters"), withIntermediateDirectories: true)
    }
    for id in 0..<count {
        let popular = generator.below(2) == 0
        let words = (0..<12).map { _ in filler[generator.below(filler.count)] } + (popular ? ["dragon", "battle"] : ["quiet", "slice"])
        let members = popular ? 50_000 + generator.below(50_000) : 100 + generator.below(5_000)
        var title = Title(id: id, title: "T\(id)", synopsis: words.joined(separator: " "),
                          startDate: StartDate(year: 2010 + id % 15) ?? StartDate(year: 2010)!, members: members,
                          score: Double(5 + generator.below(4)), snapshot: "synthetic")
        if withImages, id % 2 == 0 {
            let name = popular ? "poster_large" : "poster_small"
            let path = "posters/\(id).jpg"
            try FileManager.default.copyItem(at: try fixture(name, "jpg"), to: folder.appendingPathComponent(path))
            title.imagePath = path
        }
        titles.append(title)
    }
    return Catalogue(titles: titles, baseDirectory: folder)
}

@Suite("compare: models on one split, table, JSON, HTML with SVG")
struct ComparisonTests {
    @Test("without images: TF-IDF ridge measured, image models skipped with the reason")
    func textOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cmp-\(UUID().uuidString)")
        let catalogue = try makeSyntheticCatalogue(folder: folder, withImages: false)
        var settings = ComparisonSettings()
        settings.resamples = 100
        let result = Comparison.run(catalogue: catalogue, models: StandardModels.all, settings: settings)
        let tfidf = try #require(result.results.first { $0.model == "TF-IDF ridge" && $0.subset == "all" })
        #expect(tfidf.skippedReason == nil)
        #expect(tfidf.truths.count == result.testRows)
        let spearman = try #require(tfidf.estimates[.spearman])
        #expect(spearman.value > 0.6)
        #expect(spearman.lower <= spearman.value && spearman.value <= spearman.upper)
        let pixel = try #require(result.results.first { $0.model == "Pixel ridge" })
        #expect(pixel.skippedReason?.contains("cover") == true)
        let lines = ComparisonTable.lines(result)
        #expect(lines.contains { $0.contains("skipped:") })
        #expect(Set(lines.prefix(2).map(\.count)).count == 1, "header and first row align")
    }

    @Test("with images on half the titles, k-fold: every model runs; JSON parses; SVG is well-formed XML")
    func withImages() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cmp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalogue = try makeSyntheticCatalogue(folder: folder, withImages: true, count: 150)
        let result = Comparison.run(catalogue: catalogue, models: StandardModels.all, settings: .smallKFold)
        #expect(result.results.allSatisfy { $0.skippedReason == nil })
        #expect(result.testRows == 150)
        // The pixel ridge sees big (popular) vs small (unpopular) posters: it must find that signal.
        let pixel = try #require(result.results.first { $0.model == "Pixel ridge" })
        #expect(pixel.subset == "with cover")
        #expect(pixel.truths.count == 75)
        #expect((pixel.estimates[.spearman]?.value ?? 0) > 0.5)

        let json = try JSONSerialization.jsonObject(with: ComparisonJSON.data(result)) as? [String: Any]
        #expect((json?["models"] as? [Any])?.count == result.results.count)
        let html = ComparisonHTML.page(result)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        var svgCount = 0
        var rest = Substring(html)
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            let svg = String(rest[start.lowerBound..<end.upperBound])
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "SVG \(svgCount) is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
            svgCount += 1
            rest = rest[end.upperBound...]
        }
        // 4 metric charts × 2 subsets + 2 per measured model-subset.
        #expect(svgCount == 8 + 2 * result.results.count)
    }
}
