import Tensor
import Foundation
import Popularity

/// Catalogue CSV throughput: a synthetic catalogue (quoted synopses with commas, quotes and newlines)
/// written to a temporary file, then read by the streaming reader, raw records and parsed titles.
/// (A computed global: `Suite` is not `Sendable`, so a stored global `let` is rejected in Swift 6.)
var catalogueSuite: Suite {
    Suite(name: "catalogue", summary: "CSV write / read throughput (MB/s) on a synthetic catalogue; option: rows (default 100000)",
          run: runCatalogueBench)
}

/// Runs the catalogue suite.
func runCatalogueBench(_ arguments: [String]) throws {
    let operand = BenchOptions(arguments).firstOperand()
    guard let rows = operand.map(Int.init) ?? 100_000, rows > 0 else {
        throw BenchError("rows \(operand ?? ""): expected a positive number")
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("animepop-bench-catalogue.csv")
    defer { try? FileManager.default.removeItem(at: url) }
    var generator = SplitMix64(seed: 1)
    let words = ["the", "hero", "school", "city", "dragon", "battle,", "summer", "\"quoted\"", "robot", "journey", "漢字", "café"]
    var titles: [Title] = []
    for id in 0..<rows {
        let synopsis = (0..<120).map { _ in words[generator.below(words.count)] }.joined(separator: " ") + "\n\nSecond paragraph."
        titles.append(Title(id: id, title: "Title \(id), part 2", synopsis: synopsis, imagePath: "posters/\(id).jpg",
                            startDate: StartDate(year: 2000 + id % 25, month: 4, day: 2) ?? StartDate(year: 2000)!,
                            members: generator.below(1_000_000), score: 7.25, favorites: generator.below(1000)))
    }
    var start = Date()
    try CatalogueWriter.write(titles, to: url)
    let writeSeconds = Date().timeIntervalSince(start)
    let bytes = Double((try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0)
    start = Date()
    var reader = try CSVReader(contentsOf: url)
    var records = 0
    while let item = try reader.next() { if case .record = item { records += 1 } }
    let readSeconds = Date().timeIntervalSince(start)
    start = Date()
    let catalogue = try Catalogue.load(from: url)
    let loadSeconds = Date().timeIntervalSince(start)
    func line(_ what: String, _ seconds: Double, _ count: Int) {
        print("\(what.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(format: "%7.2f", seconds)) s  \(String(format: "%7.1f", bytes / seconds / 1e6)) MB/s  \(count) rows")
    }
    print("file: \(String(format: "%.1f", bytes / 1e6)) MB, \(rows) titles")
    line("write (CatalogueWriter)", writeSeconds, rows)
    line("read records (CSVReader)", readSeconds, records - 1)
    line("load titles (Catalogue)", loadSeconds, catalogue.titles.count)
}
