import ArgumentParser
import Foundation
import Popularity

/// `animepop data …`: build and inspect the training catalogue.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Build the catalogue from ../shared/data and inspect it.",
        subcommands: [DataImport.self, DataStats.self]
    )
}

/// `animepop data import`: merge the public sources into one catalogue CSV.
struct DataImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Merge mal-tv, mal-scrape-2023 and mal-kaggle-vol2 by MyAnimeList id, attach posters, write a catalogue CSV."
    )

    @Option(name: .long, help: "The data folder (with mal-tv/, mal-scrape-2023/, mal-kaggle-vol2/, posters/).")
    var from: String = "../shared/data"

    @Option(name: .long, help: "The catalogue CSV to write; image paths in it are relative to its folder.")
    var out: String = "catalogue.csv"

    @Option(name: .long, help: "How many located source problems to print (all are counted).")
    var showIssues: Int = 10

    func run() throws {
        let outURL = URL(fileURLWithPath: out)
        let result = try DatasetImporter.importData(from: URL(fileURLWithPath: from, isDirectory: true),
                                                    catalogueDirectory: outURL.deletingLastPathComponent())
        try CatalogueWriter.write(result.titles, to: outURL)
        let report = result.report
        for source in report.recordsPerSource { print("read \(source.records) records from \(source.source)") }
        print("\(report.distinctIDs) distinct MyAnimeList ids; \(report.longerSynopsisChosen) took a longer synopsis from a later source")
        for (reason, count) in report.dropped.sorted(by: { $0.key < $1.key }) { print("dropped \(count): \(reason)") }
        print("\(report.issues.count) source problems (rows skipped or values ignored):")
        for issue in report.issues.prefix(showIssues) { print("  \(issue)") }
        if report.issues.count > showIssues { print("  … \(report.issues.count - showIssues) more") }
        print("posters: \(report.postersSeen) files, \(report.postersAttached) titles got one")
        print("wrote \(report.titles) titles (\(report.titlesWithMembers) with members) to \(out)")
    }
}

/// `animepop data stats`: counts by year, images, snapshots and target distributions.
struct DataStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print counts by start year, with/without image, per snapshot, and target distributions."
    )

    @Option(name: .long, help: "The catalogue CSV to summarize.")
    var data: String = "catalogue.csv"

    func run() throws {
        let catalogue = try Catalogue.load(from: URL(fileURLWithPath: data))
        for issue in catalogue.issues.prefix(10) { print("skipped \(issue)") }
        if catalogue.issues.count > 10 { print("… \(catalogue.issues.count - 10) more skipped rows") }
        let statistics = CatalogueStatistics(titles: catalogue.titles)
        print("\(statistics.titles) titles, \(statistics.withImage) with image, \(statistics.titles - statistics.withImage) without")
        print("")
        print("year   titles  image  members")
        for row in statistics.perYear {
            print(pad(String(row.year), 4) + pad(String(row.titles), 9) + pad(String(row.withImage), 7) + pad(String(row.withMembers), 9))
        }
        print("")
        for row in statistics.perSnapshot { print("snapshot \(row.snapshot.isEmpty ? "(none)" : row.snapshot): \(row.titles) titles") }
        print("")
        print("target       count     min     p10     p50     p90     max")
        for row in statistics.targets {
            let numbers = row.quantiles.map { pad(String(format: "%.4f", $0), 8) }.joined()
            print(row.target.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + pad(String(row.count), 7) + numbers)
        }
        print("(score: min–max over all titles here; in training the bounds come from the training split)")
    }

    /// Right-aligns text in a column of `width`.
    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
