import Tensor
import Foundation
import Testing
@testable import Vision

/// Seeded random damage to good files: every mutant decodes to a sane image or throws `ImageError` — never a crash,
/// a hang or a libjpeg `exit()`. (Run under `swift test --sanitize=address` to check memory safety too.)
@Suite("JPEG decoding: mutated files")
struct DecodeMutationTests {
    @Test("400 mutants per file: decoded or ImageError",
          arguments: ["baseline.jpg", "progressive.jpg", "cmyk-adobe.jpg", "orientation-6.jpg", "baseline-restart.jpg"])
    func mutants(file: String) throws {
        let original = [UInt8](try Data(contentsOf: ImageFixtures.url(file)))
        var random = SplitMix64(seed: UInt64(original.count))
        var decoded = 0, refused = 0
        for index in 0..<400 {
            var bytes = original
            switch index % 4 {
            case 0:  // flip a few bytes anywhere
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 2..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 1:  // damage the header region, where lengths and tables live
                let headerEnd = min(bytes.count, 200)
                bytes[Int.random(in: 2..<headerEnd, using: &random)] = UInt8.random(in: 0...255, using: &random)
            case 2:  // cut and splice
                let cut = Int.random(in: 2..<bytes.count, using: &random)
                let resume = Int.random(in: cut..<bytes.count, using: &random)
                bytes = Array(bytes[..<cut] + bytes[resume...])
            default:  // insert a random marker
                let at = Int.random(in: 2..<bytes.count, using: &random)
                bytes.insert(contentsOf: [0xFF, UInt8.random(in: 0xC0...0xFE, using: &random)], at: at)
            }
            do {
                let image = try JPEGDecoder.decode(data: Data(bytes), name: "\(file)#\(index)", maxPixels: 4_000_000)
                #expect(image.width > 0 && image.height > 0 && image.pixels.count == image.width * image.height * 3)
                decoded += 1
            } catch let error as ImageError {
                #expect(error.file == "\(file)#\(index)")
                refused += 1
            }
        }
        #expect(decoded + refused == 400)
        #expect(refused > 0, "damage must be noticed at least sometimes")
    }
}
