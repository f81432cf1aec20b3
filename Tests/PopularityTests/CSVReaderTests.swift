import Foundation
import Testing
@testable import Popularity

/// Reads every item of a CSV string.
func readAll(_ text: String, maximumFieldBytes: Int = 1 << 20) throws -> [CSVItem] {
    var reader = CSVReader(string: text, maximumFieldBytes: maximumFieldBytes)
    var items: [CSVItem] = []
    while let item = try reader.next() { items.append(item) }
    return items
}

/// The records only.
func records(_ items: [CSVItem]) -> [CSVRecord] {
    items.compactMap { if case .record(let record) = $0 { return record } else { return nil } }
}

@Suite("CSV reader and writer (RFC 4180)")
struct CSVReaderTests {
    @Test("quoted fields with commas, quotes and newlines; CRLF; line numbers")
    func quotedFields() throws {
        let text = "a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"line1\r\nline2\"\r\nplain,,end\r\n"
        let read = records(try readAll(text))
        #expect(read.count == 3)
        #expect(read[1].fields == ["x, y", "he said \"hi\"", "line1\r\nline2"])
        #expect(read[1].line == 2)
        #expect(read[2].fields == ["plain", "", "end"])
        #expect(read[2].line == 4)
    }

    @Test("UTF-8 BOM is skipped; LF, CRLF and lone CR all end records; no final newline")
    func lineEndings() throws {
        let text = "\u{FEFF}id,name\n1,a\r\n2,b\r3,\"ç漢字🙂\""
        let read = records(try readAll(text))
        #expect(read.map(\.fields) == [["id", "name"], ["1", "a"], ["2", "b"], ["3", "ç漢字🙂"]])
        #expect(read.map(\.line) == [1, 2, 3, 4])
    }

    @Test("empty quoted field, trailing empty field, single empty field")
    func emptyFields() throws {
        let read = records(try readAll("\"\",x,\n\"\"\n"))
        #expect(read.map(\.fields) == [["", "x", ""], [""]])
    }

    @Test("a quote inside an unquoted field is kept as text (lenient)")
    func quoteInsideUnquoted() throws {
        let read = records(try readAll("ab\"c,x\"\"y,\"q\"\n"))
        #expect(read.map(\.fields) == [["ab\"c", "x\"\"y", "q"]])
    }

    @Test("round trip: writer then reader gives back every field, CRLF and LF")
    func roundTrip() throws {
        let rows: [[String]] = [
            ["id", "title", "synopsis"],
            ["1", "Comma, inside", "Quote \" inside and \"\"double\"\""],
            ["2", "New\nline", "CR\r\nLF and lone \r CR"],
            ["3", "", " leading and trailing spaces "],
            ["4", "Ünïcödé 🙂 漢字", "tab\there"],
            [""],
            ["5", "\"", ","],
        ]
        for useCRLF in [true, false] {
            let writer = CSVWriter(useCRLF: useCRLF)
            for row in rows { try writer.write(row) }
            try writer.close()
            var reader = CSVReader(bytes: writer.memory)
            var back: [[String]] = []
            while let item = try reader.next() {
                guard case .record(let record) = item else { Issue.record("unexpected \(item)"); continue }
                back.append(record.fields)
            }
            #expect(back == rows)
        }
    }

    @Test("streaming: tiny chunks from a file give the same records as memory")
    func streamingChunks() throws {
        var text = "id,text\n"
        for index in 0..<300 { text += "\(index),\"multi\nline \(index), with \"\"quotes\"\"\"\n" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-stream-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        for chunkSize in [1, 7, 64, 1 << 20] {
            var reader = try CSVReader(contentsOf: url, chunkSize: chunkSize)
            var fromFile: [CSVRecord] = []
            while let item = try reader.next() { if case .record(let record) = item { fromFile.append(record) } }
            #expect(fromFile == records(try readAll(text)))
            #expect(fromFile.count == 301)
            #expect(fromFile.last?.line == 600)
        }
    }
}
