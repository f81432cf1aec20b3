import Foundation
import Testing
@testable import Vision

/// Every fixture in images/manifest.json: good files decode to Pillow's pixels, broken files throw the expected kind.
@Suite("JPEG decoding: fixture corpus")
struct DecodeFixtureTests {
    @Test("the manifest lists ≥ 20 broken files and the good kinds")
    func manifestIsComplete() {
        let broken = ImageFixtures.manifest.filter { $0.expect != "ok" }
        #expect(broken.count >= 20)
        let names = Set(ImageFixtures.manifest.map(\.file))
        for needed in ["baseline.jpg", "progressive.jpg", "grayscale.jpg", "cmyk-adobe.jpg", "orientation-6.jpg"] {
            #expect(names.contains(needed))
        }
    }

    @Test("good images match Pillow's decode (islow IDCT) within the tolerance",
          arguments: ImageFixtures.manifest.filter { $0.expect == "ok" })
    func goodImage(entry: ImageFixtures.Entry) throws {
        let image = try JPEGDecoder.decode(contentsOf: ImageFixtures.url(entry.file), minimumSide: entry.minimumSide)
        let golden = try ImageFixtures.readPPM(ImageFixtures.url(try #require(entry.golden)))
        #expect(image.width == golden.width && image.height == golden.height)
        let difference = ImageFixtures.maxDifference(image, golden)
        #expect(difference <= entry.tolerance ?? 2, "max difference \(difference) levels")
    }

    @Test("broken images throw the expected error, naming the file",
          arguments: ImageFixtures.manifest.filter { $0.expect != "ok" })
    func brokenImage(entry: ImageFixtures.Entry) throws {
        let url = try ImageFixtures.url(entry.file)
        do {
            let image = try JPEGDecoder.decode(contentsOf: url)
            Issue.record("decoded \(image.width)×\(image.height) instead of failing")
        } catch let error as ImageError {
            #expect(error.file == url.path)
            #expect(error.errorDescription?.contains(url.path) == true)
            switch (entry.expect, error.kind) {
            case ("empty", .empty), ("truncated", .truncated), ("tooLarge", .tooLarge):
                break
            case ("corrupt", .corrupt(let message)):
                if let expected = entry.message { #expect(message.contains(expected), "message: \(message)") }
            case (let expected, .unsupportedFormat(let detected)) where expected == "unsupported:\(detected)":
                #expect(error.errorDescription?.contains("unsupported format") == true)
            default:
                Issue.record("expected \(entry.expect), got \(error.kind)")
            }
        }
    }

    @Test("the same bytes decode identically from memory and from a file")
    func memoryAndFileAgree() throws {
        let url = try ImageFixtures.url("progressive.jpg")
        let fromFile = try JPEGDecoder.decode(contentsOf: url)
        let fromMemory = try JPEGDecoder.decode(data: Data(contentsOf: url), name: "poster")
        #expect(fromFile == fromMemory)
    }

    @Test("decoding is safe from many tasks at once (one libjpeg instance per call)")
    func concurrentDecodes() async throws {
        let names = ["baseline.jpg", "progressive.jpg", "cmyk-adobe.jpg", "orientation-6.jpg", "grayscale.jpg"]
        let datas = try names.map { try Data(contentsOf: ImageFixtures.url($0)) }
        let expected = try zip(datas, names).map { try JPEGDecoder.decode(data: $0, name: $1) }
        let results = try await withThrowingTaskGroup(of: (Int, RGBImage).self) { group in
            for round in 0..<40 {
                let index = round % names.count
                let data = datas[index], name = names[index]
                group.addTask { (index, try JPEGDecoder.decode(data: data, name: name)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 40)
        #expect(results.allSatisfy { expected[$0.0] == $0.1 })
    }

    @Test("a missing file is .unreadable and names the path")
    func missingFile() throws {
        let path = "/nonexistent/animepop/poster.jpg"
        let error = try #require(throws: ImageError.self) { try JPEGDecoder.decode(contentsOf: URL(fileURLWithPath: path)) }
        guard case .unreadable(let reason) = error.kind else {
            Issue.record("expected .unreadable, got \(error.kind)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(error.errorDescription?.hasPrefix("cannot read image \(path): ") == true)
    }

    @Test("RGBImage(width:height:pixels:) refuses a byte count that does not fit")
    func imageInitChecksSize() {
        #expect(RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 7, count: 12)) != nil)
        #expect(RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 7, count: 11)) == nil)
        #expect(RGBImage(width: -1, height: -3, pixels: [1, 2, 3, 4, 5, 6, 7, 8, 9]) == nil)
        #expect(RGBImage(width: Int.max / 2, height: 4, pixels: []) == nil)
    }

    @Test("a directory is .unreadable, not a crash")
    func directory() throws {
        let folder = try ImageFixtures.folder
        let error = try #require(throws: ImageError.self) { try JPEGDecoder.decode(contentsOf: folder) }
        guard case .unreadable = error.kind else {
            Issue.record("expected .unreadable, got \(error.kind)")
            return
        }
    }

    @Test("a device (/dev/null) is .unreadable as not a regular file, not \"permission denied\" or empty")
    func device() throws {
        let path = "/dev/null"
        let error = try #require(throws: ImageError.self) { try JPEGDecoder.decode(contentsOf: URL(fileURLWithPath: path)) }
        #expect(error.errorDescription == "cannot read image /dev/null: not a regular file (a device)")
    }

    @Test("PNG is refused with a message that says so")
    func pngMessage() throws {
        let url = try ImageFixtures.url("png.jpg")
        let error = try #require(throws: ImageError.self) { try JPEGDecoder.decode(contentsOf: url) }
        #expect(error.errorDescription == "unsupported format: \(url.path) is PNG, only JPEG images are supported")
    }

    @Test("the pixel limit is checked on the header before decoding")
    func pixelLimit() throws {
        let url = try ImageFixtures.url("baseline.jpg")  // 48×32 = 1536 pixels
        #expect(throws: ImageError(file: url.path, kind: .tooLarge(width: 48, height: 32, limit: 1535))) {
            try JPEGDecoder.decode(contentsOf: url, maxPixels: 1535)
        }
        #expect(try JPEGDecoder.decode(contentsOf: url, maxPixels: 1536).width == 48)
        let huge = try ImageFixtures.url("huge-declared-60000.jpg")
        #expect(throws: ImageError(file: huge.path, kind: .tooLarge(width: 60000, height: 60000, limit: 50_000_000))) {
            try JPEGDecoder.decode(contentsOf: huge)
        }
    }

    @Test("header facts: progressive flag and components")
    func headerFacts() throws {
        let progressive = try JPEGDecoder.header(data: Data(contentsOf: ImageFixtures.url("progressive.jpg")), name: "p")
        #expect(progressive.progressive && progressive.components == 3 && progressive.width == 48)
        let gray = try JPEGDecoder.header(data: Data(contentsOf: ImageFixtures.url("grayscale.jpg")), name: "g")
        #expect(!gray.progressive && gray.components == 1)
        let cmyk = try JPEGDecoder.header(data: Data(contentsOf: ImageFixtures.url("cmyk-adobe.jpg")), name: "c")
        #expect(cmyk.components == 4 && cmyk.colorSpace == "cmyk")
        let ycck = try JPEGDecoder.header(data: Data(contentsOf: ImageFixtures.url("ycck.jpg")), name: "y")
        #expect(ycck.components == 4 && ycck.colorSpace == "ycck")
        #expect(gray.colorSpace == "gray" && progressive.colorSpace == "ycbcr")
    }

    @Test("every prefix of a good file throws or decodes, never crashes", arguments: ["baseline.jpg", "progressive.jpg"])
    func everyPrefix(file: String) throws {
        let data = try Data(contentsOf: ImageFixtures.url(file))
        var failures = 0
        for length in 0..<(data.count - 2) {
            do { _ = try JPEGDecoder.decode(data: data.prefix(length), name: "prefix-\(length)") } catch is ImageError {
                failures += 1
            }
        }
        #expect(failures == data.count - 2, "every proper prefix (EOI excepted) must be refused")
    }
}
