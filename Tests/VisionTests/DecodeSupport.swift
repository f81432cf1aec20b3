import Foundation
import Testing
@testable import Vision

/// Fixture access and comparison helpers shared by the Decode* and Preprocess* tests.
enum ImageFixtures {
    /// The images fixture folder (Tests/VisionTests/Fixtures/images).
    static var folder: URL {
        get throws {
            let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            return fixtures.appendingPathComponent("images")
        }
    }

    /// URL of a file in the images fixture folder.
    static func url(_ name: String) throws -> URL { try folder.appendingPathComponent(name) }

    /// One manifest row written by tools/vision_images_make.py.
    struct Entry: Decodable, Sendable, CustomTestStringConvertible {
        let file: String
        let expect: String
        let golden: String?
        let tolerance: Int?
        let minimumSide: Int?
        let scaledWidth: Int?
        let scaledHeight: Int?
        let upright: String?
        let message: String?
        var testDescription: String { "\(file) → \(expect)" }
    }

    /// Every manifest row (read at test-discovery time; empty if the manifest is missing, which a test checks).
    static let manifest: [Entry] = {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
              let data = try? Data(contentsOf: fixtures.appendingPathComponent("images/manifest.json")),
              let entries = try? JSONDecoder().decode([Entry].self, from: data) else { return [] }
        return entries
    }()

    /// A binary PPM (P6, maxval 255) as written by Pillow.
    static func readPPM(_ url: URL) throws -> RGBImage {
        let bytes = [UInt8](try Data(contentsOf: url))
        var fields: [String] = []
        var index = 0
        while fields.count < 4 && index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
            var field = ""
            while index < bytes.count, !(bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09) {
                field.append(Character(UnicodeScalar(bytes[index])))
                index += 1
            }
            fields.append(field)
        }
        index += 1  // the single whitespace after maxval
        #expect(fields.first == "P6" && fields.last == "255", "not a P6/255 PPM: \(url.lastPathComponent)")
        let width = try #require(Int(fields[1])), height = try #require(Int(fields[2]))
        return try #require(RGBImage(width: width, height: height, pixels: Array(bytes[index...])))
    }

    /// Largest absolute difference of two same-sized images' bytes (Int.max if the sizes differ).
    static func maxDifference(_ a: RGBImage, _ b: RGBImage) -> Int {
        guard a.width == b.width, a.height == b.height else { return Int.max }
        var worst = 0
        for index in a.pixels.indices { worst = max(worst, abs(Int(a.pixels[index]) - Int(b.pixels[index]))) }
        return worst
    }
}
