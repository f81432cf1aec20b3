import Foundation
import Testing
@testable import Popularity

/// A fixture file's URL.
func fixture(_ name: String, _ ext: String) throws -> URL {
    try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"))
}

/// Builds a small folder shaped like ../shared/data in a temporary directory.
func makeSyntheticData() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)/data")
    let fileManager = FileManager.default
    for folder in ["mal-tv/2023", "mal-scrape-2023", "mal-kaggle-vol2", "posters/setA", "posters/setB"] {
        try fileManager.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    // mal-tv: numbers as strings, a null synopsis, credits to strip.
    let malTv = """
    [
     {"mal_id": 100, "title": "Hundred", "synopsis": "A long full synopsis about a hero.\\n\\n[Written by MAL Rewrite]",
      "aired_from": "2023-04-02T00:00:00+00:00", "year": 2023, "members": "1234", "score": "7.5", "favorites": 12, "type": "TV"},
     {"mal_id": "101", "title": "No Text", "synopsis": null, "aired_from": "2023-01-01T00:00:00+00:00",
      "members": 10, "score": null, "favorites": 0, "type": "TV"},
     {"mal_id": 102, "title": "Short Here", "synopsis": "Cut short.", "aired_from": "2023-07-01T00:00:00+00:00",
      "members": 99, "score": 6.1, "favorites": 1, "type": "TV"}
    ]
    """
    try Data(malTv.utf8).write(to: root.appendingPathComponent("mal-tv/2023/spring.json"))
    let scrape = """
    mal_id,title,type,aired,start_date,members,popularity_rank,favorites,score,synopsis,src,source_files,n_rows_seen
    100,Hundred,TV,x,2023-04-02,900,1,3,7.4,"A hero.  (Source: ANN, edited)",s,f,1
    102,Short Here,TV,x,2023-07-01,50,1,0,N/A,"Cut short. But the scraped version goes on, longer. (Source: ANN)",s,f,1
    200,Movie Only,Movie,x,2019,5000,2,40,8.0,"A film, with ""quotes"".",s,f,1
    300,Far Future,TV,x,3057,10,3,0,N/A,"Bad year.",s,f,1
    301,Dateless,OVA,x,,10,3,0,N/A,"No date anywhere.",s,f,1
    302,Ragged,TV,x
    """
    try Data(scrape.utf8).write(to: root.appendingPathComponent("mal-scrape-2023/animes.csv"))
    let kaggle = """
    anime_id,title,genres,media,episodes,rating,members,start_date,season,source
    200,Movie Only,"Drama",movie,1,8.0,4000.0,2019/4/5,spring_2019,original
    300,Far Future,"",tv,1,5.0,10.0,2011/1/9,winter_2011,original
    400,Kaggle Only,"",tv,1,5.0,10.0,2010/1/1,winter_2010,original
    """
    try Data(kaggle.utf8).write(to: root.appendingPathComponent("mal-kaggle-vol2/animes.csv"))
    try fileManager.copyItem(at: try fixture("poster_small", "jpg"), to: root.appendingPathComponent("posters/setA/100.jpg"))
    try fileManager.copyItem(at: try fixture("poster_large", "jpg"), to: root.appendingPathComponent("posters/setB/100.jpg"))
    try fileManager.copyItem(at: try fixture("poster_other", "jpg"), to: root.appendingPathComponent("posters/setA/200.jpg"))
    try fileManager.copyItem(at: try fixture("poster_other", "jpg"), to: root.appendingPathComponent("posters/setA/cover.jpg"))
    return root
}

@Suite("Dataset import on a synthetic ../shared-like folder")
struct ImportTests {
    @Test("merge by id, snapshots, dates, synopsis choice and cleaning, posters, drops")
    func importSynthetic() throws {
        let root = try makeSyntheticData()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let outFolder = root.deletingLastPathComponent().appendingPathComponent("work")
        try FileManager.default.createDirectory(at: outFolder, withIntermediateDirectories: true)
        let result = try DatasetImporter.importData(from: root, catalogueDirectory: outFolder)
        let byID = Dictionary(uniqueKeysWithValues: result.titles.map { ($0.id, $0) })
        #expect(result.titles.map(\.id) == [100, 102, 200, 300])

        let hundred = try #require(byID[100])
        #expect(hundred.synopsis == "A long full synopsis about a hero.")
        #expect(hundred.members == 1234)           // mal-tv's 2026 snapshot wins, string parsed
        #expect(hundred.score == 7.5)
        #expect(hundred.snapshot == "mal-tv-2026")
        #expect(hundred.startDate.description == "2023-04-02")
        #expect(hundred.imagePath == "../data/posters/setB/100.jpg")  // the larger of two posters

        let short = try #require(byID[102])
        #expect(short.synopsis == "Cut short. But the scraped version goes on, longer.")  // longer one, credit stripped
        #expect(short.members == 99)

        let movie = try #require(byID[200])
        #expect(movie.snapshot == "mal-scrape-2023")
        #expect(movie.synopsis == "A film, with \"quotes\".")
        #expect(movie.startDate.description == "2019-04-05")      // kaggle's full date beats the year only
        #expect(movie.imagePath == "../data/posters/setA/200.jpg")

        let future = try #require(byID[300])
        #expect(future.startDate.year == 2011)                     // 3057 rejected, kaggle's date used

        let report = result.report
        #expect(report.dropped["no synopsis in any source"] == 2)      // 101 and 400
        #expect(report.dropped["no valid start date in any source"] == 1)  // 301
        #expect(report.postersAttached == 2)
        #expect(report.issues.contains { $0.description.contains("animes.csv:5:") && $0.reason.contains("3057") })
        #expect(report.issues.contains { $0.description.contains("animes.csv:7:") && $0.reason.contains("ragged") })
        #expect(report.issues.contains { $0.file.contains("cover.jpg") })

        // The catalogue a user could have written: it loads back the same, and images resolve.
        let catalogueURL = outFolder.appendingPathComponent("catalogue.csv")
        try CatalogueWriter.write(result.titles, to: catalogueURL)
        let loaded = try Catalogue.load(from: catalogueURL)
        #expect(loaded.titles == result.titles)
        let image = try #require(loaded.imageURL(for: hundred))
        #expect(FileManager.default.fileExists(atPath: image.path))
    }

    @Test("a folder with no known source is an error naming it")
    func noSources() {
        #expect(throws: DatasetImportError.self) {
            try DatasetImporter.importData(from: URL(fileURLWithPath: "/nonexistent-data"), catalogueDirectory: URL(fileURLWithPath: "/tmp"))
        }
    }

    @Test("credits are stripped, the text kept")
    func cleaner() {
        #expect(SynopsisCleaner.clean("Story (not a credit).\n\n[Written by MAL Rewrite]") == "Story (not a credit).")
        #expect(SynopsisCleaner.clean("Story. (Source: ANN, edited)  [Written by X]") == "Story.")
        #expect(SynopsisCleaner.clean("Ends with [brackets]") == "Ends with [brackets]")
    }

    @Test("relative paths between folders")
    func relativePaths() {
        #expect(RelativePath.of(URL(fileURLWithPath: "/a/shared/data/p/1.jpg"), from: URL(fileURLWithPath: "/a/wt")) == "../shared/data/p/1.jpg")
        #expect(RelativePath.of(URL(fileURLWithPath: "/a/wt/p/1.jpg"), from: URL(fileURLWithPath: "/a/wt")) == "p/1.jpg")
    }
}
