import Foundation
import Testing
@testable import Popularity

@Suite("Catalogue schema, reader and writer")
struct CatalogueTests {
    @Test("columns in any order, case-insensitive; unknown columns ignored; optional columns read")
    func schema() throws {
        let text = "Start_Date,extra,ID,synopsis,Title,image,score,members\n2021-04,zzz,7,\"A, story\",Name,covers/7.jpg,8.5,1200\n"
        var reader = try CatalogueReader(csv: CSVReader(string: text), file: "c.csv")
        guard case .title(let title, let line)? = try reader.next() else {
            Issue.record("no title")
            return
        }
        #expect(line == 2)
        #expect(title == Title(id: 7, title: "Name", synopsis: "A, story", imagePath: "covers/7.jpg",
                               startDate: try #require(StartDate(year: 2021, month: 4)), members: 1200, score: 8.5))
        #expect(try reader.next() == nil)
    }

    @Test("write then load gives the same titles; image paths resolve against the catalogue's folder")
    func roundTrip() throws {
        let titles = [
            Title(id: 1, title: "One, \"quoted\"", synopsis: "Line one.\nLine two, with comma.", imagePath: "posters/1.jpg",
                  startDate: try #require(StartDate(year: 2006, month: 10, day: 6)), members: 12, score: 7.25, favorites: 3,
                  snapshot: "mal-tv-2026", mediaType: "TV"),
            Title(id: 2, title: "Two", synopsis: "Ünïcödé 🙂", startDate: try #require(StartDate(year: 1999))),
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("catalogue.csv")
        try CatalogueWriter.write(titles, to: url)
        let loaded = try Catalogue.load(from: url)
        #expect(loaded.titles == titles)
        #expect(loaded.issues.isEmpty)
        #expect(loaded.imageURL(for: titles[0])?.path == folder.appendingPathComponent("posters/1.jpg").path)
        #expect(loaded.imageURL(for: titles[1]) == nil)
    }

    @Test("start dates: accepted forms and rejected ones")
    func startDates() {
        #expect(StartDate(parsing: "2006-10-06T00:00:00+00:00")?.description == "2006-10-06")
        #expect(StartDate(parsing: "1998/4/3")?.description == "1998-04-03")
        #expect(StartDate(parsing: "2023")?.description == "2023")
        #expect(StartDate(parsing: "2023-07")?.precision == 2)
        for bad in ["3057", "2020-13", "2020-02-32", "Apr-94", "", "20-01-01", "２０２０"] {
            #expect(StartDate(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test("a missing file is a one-line error naming it")
    func missingFile() {
        #expect(throws: CatalogueError.self) { try Catalogue.load(from: URL(fileURLWithPath: "/nonexistent/cat.csv")) }
    }
}
