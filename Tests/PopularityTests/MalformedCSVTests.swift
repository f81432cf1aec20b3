import Foundation
import Testing
@testable import Popularity

/// One malformed catalogue, built in code, and what reading it must report.
struct MalformedCase: CustomStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    /// Expected: a whole-file error at line 1 (nil), or row issues at these lines.
    let issueLines: [Int]?
    /// A word the first message must contain.
    let reasonContains: String
    /// Valid titles still read.
    let validTitles: Int

    var description: String { name }
}

let header = "id,title,synopsis,image,start_date,members\n"

/// The corpus: every case must give a line-numbered error and no crash.
let malformedCorpus: [MalformedCase] = [
    MalformedCase(name: "empty file", bytes: [], issueLines: nil, reasonContains: "empty file", validTitles: 0),
    MalformedCase(name: "only a BOM", bytes: [0xEF, 0xBB, 0xBF], issueLines: nil, reasonContains: "empty file", validTitles: 0),
    MalformedCase(name: "blank first line", bytes: Array("\n1,a,b,,2020\n".utf8), issueLines: nil, reasonContains: "empty file", validTitles: 0),
    MalformedCase(name: "missing required columns", bytes: Array("id,title,start_date\n1,a,2020\n".utf8), issueLines: nil,
                  reasonContains: "synopsis, image", validTitles: 0),
    MalformedCase(name: "duplicate column", bytes: Array("id,title,synopsis,image,start_date,title\n".utf8), issueLines: nil,
                  reasonContains: "twice", validTitles: 0),
    MalformedCase(name: "unbalanced quote in header", bytes: Array("id,\"title,synopsis,image,start_date\n".utf8), issueLines: nil,
                  reasonContains: "unbalanced quote", validTitles: 0),
    MalformedCase(name: "header only", bytes: Array(header.utf8), issueLines: [], reasonContains: "-", validTitles: 0),
    MalformedCase(name: "ragged row (too few)", bytes: Array((header + "1,a,b,,2020,5\n2,a,b\n3,c,d,,2021,7\n").utf8),
                  issueLines: [3], reasonContains: "ragged row: 3 fields", validTitles: 2),
    MalformedCase(name: "ragged row (too many)", bytes: Array((header + "1,a,b,,2020,5,extra\n2,c,d,,2021,7\n").utf8),
                  issueLines: [2], reasonContains: "ragged row: 7 fields", validTitles: 1),
    MalformedCase(name: "unbalanced quote at end of file", bytes: Array((header + "1,a,b,,2020,5\n2,\"never closed,b,,2020,5\n").utf8),
                  issueLines: [3], reasonContains: "unbalanced quote", validTitles: 1),
    MalformedCase(name: "unbalanced quote mid-file, reading goes on",
                  bytes: Array((header + "1,\"open,b,,2020,5\n2,x,y,,2021,6\n3,\"q\"tail,y,,2021,6\n4,ok,z,,2022,1\n").utf8),
                  issueLines: [2, 4], reasonContains: "unbalanced quote", validTitles: 2),
    MalformedCase(name: "text after closing quote", bytes: Array((header + "1,\"a\"b,c,,2020,5\n2,ok,s,,2020,1\n").utf8),
                  issueLines: [2], reasonContains: "unbalanced quote", validTitles: 1),
    MalformedCase(name: "invalid UTF-8", bytes: Array(header.utf8) + Array("1,a".utf8) + [0xC3, 0x28] + Array(",s,,2020,5\n2,b,s,,2020,1\n".utf8),
                  issueLines: [2], reasonContains: "not valid UTF-8", validTitles: 1),
    MalformedCase(name: "truncated UTF-8 at end of field", bytes: Array(header.utf8) + Array("1,a,s".utf8) + [0xE6, 0xBC] + Array(",,2020,5\n".utf8),
                  issueLines: [2], reasonContains: "field 3 is not valid UTF-8", validTitles: 0),
    MalformedCase(name: "1 MB field", bytes: Array((header + "1,a,\"" + String(repeating: "x", count: 1_100_000) + "\",,2020,5\n2,b,s,,2021,3\n").utf8),
                  issueLines: [2], reasonContains: "longer than the limit", validTitles: 1),
    MalformedCase(name: "bad number", bytes: Array((header + "1,a,s,,2020,many\nx2,b,s,,2020,1\n3,c,s,,2020,-4\n").utf8),
                  issueLines: [2, 3, 4], reasonContains: "not a valid number", validTitles: 0),
    MalformedCase(name: "bad dates (3057, month 13, words)", bytes: Array((header + "1,a,s,,3057,5\n2,b,s,,2020-13-01,1\n3,c,s,,April 2020,1\n4,d,s,,2020-04,1\n").utf8),
                  issueLines: [2, 3, 4], reasonContains: "not a date", validTitles: 1),
    MalformedCase(name: "missing required value", bytes: Array((header + "1,a,,,2020,5\n2,,s,,2020,5\n3,c,s,,,5\n").utf8),
                  issueLines: [2, 3, 4], reasonContains: "required column synopsis is empty", validTitles: 0),
    MalformedCase(name: "duplicate id", bytes: Array((header + "1,a,s,,2020,5\n1,b,s,,2020,6\n").utf8),
                  issueLines: [3], reasonContains: "already appears on line 2", validTitles: 1),
    MalformedCase(name: "binary garbage", bytes: Array(header.utf8) + [0x00, 0xFF, 0xFE, 0x22, 0x0A, 0x80, 0x2C, 0x0D],
                  issueLines: [2, 3], reasonContains: "not valid UTF-8", validTitles: 0),
]

@Suite("Malformed catalogues: line-numbered errors, no crash")
struct MalformedCSVTests {
    @Test("the corpus has at least 15 files")
    func corpusSize() { #expect(malformedCorpus.count >= 15) }

    @Test("each malformed file gives the expected error and line", arguments: malformedCorpus)
    func malformed(_ testCase: MalformedCase) throws {
        var reader: CatalogueReader
        do {
            reader = try CatalogueReader(csv: CSVReader(bytes: testCase.bytes), file: "bad.csv")
        } catch let error as CatalogueError {
            #expect(testCase.issueLines == nil, "unexpected whole-file error \(error)")
            let message = error.localizedDescription
            #expect(message.hasPrefix("bad.csv:1:"), "\(message)")
            #expect(message.contains(testCase.reasonContains), "\(message)")
            return
        }
        #expect(testCase.issueLines != nil, "expected a whole-file error")
        var issues: [CatalogueIssue] = []
        var titles = 0
        while let row = try reader.next() {
            switch row {
            case .title: titles += 1
            case .issue(let issue): issues.append(issue)
            }
        }
        #expect(issues.map(\.line) == testCase.issueLines ?? [])
        #expect(titles == testCase.validTitles)
        if let first = issues.first {
            #expect(first.description.hasPrefix("bad.csv:\(first.line): "))
            #expect(first.description.contains(testCase.reasonContains), "\(first)")
        }
    }
}
