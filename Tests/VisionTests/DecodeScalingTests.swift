import Foundation
import Testing
@testable import Vision

/// DCT scaling (decode at 1/2, 1/4, 1/8) and CMYK conversion.
@Suite("JPEG decoding: DCT scaling and colour conversion")
struct DecodeScalingTests {
    @Test("the smallest scale that keeps both sides ≥ the minimum is chosen")
    func scaleChoice() {
        #expect(JPEGDecoder.scaleDenominator(width: 300, height: 425, minimumSide: 256) == 1)
        #expect(JPEGDecoder.scaleDenominator(width: 600, height: 850, minimumSide: 256) == 2)
        #expect(JPEGDecoder.scaleDenominator(width: 3000, height: 2000, minimumSide: 256) == 4)
        #expect(JPEGDecoder.scaleDenominator(width: 2000, height: 3000, minimumSide: 224) == 8)
        #expect(JPEGDecoder.scaleDenominator(width: 2048, height: 2048, minimumSide: 256) == 8)
        #expect(JPEGDecoder.scaleDenominator(width: 2047, height: 2048, minimumSide: 256) == 8)  // ⌈2047/8⌉ = 256
        #expect(JPEGDecoder.scaleDenominator(width: 2040, height: 4000, minimumSide: 256) == 4)
        #expect(JPEGDecoder.scaleDenominator(width: 5000, height: 5000, minimumSide: nil) == 1)
        #expect(JPEGDecoder.scaleDenominator(width: 100, height: 100, minimumSide: 500) == 1)
    }

    @Test("a 96×72 JPEG decodes at 1/4, 1/2 or full size depending on minimumSide")
    func scaledDecode() throws {
        let url = try ImageFixtures.url("scaling.jpg")
        let sizes = try [nil, 18, 19, 36, 37].map { side -> [Int] in
            let image = try JPEGDecoder.decode(contentsOf: url, minimumSide: side)
            return [image.width, image.height]
        }
        #expect(sizes == [[96, 72], [24, 18], [48, 36], [48, 36], [96, 72]])
        // 1/8 of 96×72 is 12×9: chosen when the minimum allows it.
        let eighth = try JPEGDecoder.decode(contentsOf: url, minimumSide: 9)
        #expect(eighth.width == 12 && eighth.height == 9)
    }

    @Test("scaling and orientation together: the scale is chosen on the stored size, then the picture is turned")
    func scaledAndTurned() throws {
        // orientation-6.jpg stores 24×40; at minimumSide 10 it decodes at 1/2 (12×20) and turns to 20×12.
        let image = try JPEGDecoder.decode(contentsOf: ImageFixtures.url("orientation-6.jpg"), minimumSide: 10)
        #expect(image.width == 20 && image.height == 12)
        // Quadrant centres carry the upright picture's colours: red, green / blue, yellow.
        let expected: [(x: Int, y: Int, colour: [Int])] = [(5, 3, [220, 40, 40]), (15, 3, [40, 200, 60]),
                                                           (5, 9, [40, 60, 220]), (15, 9, [230, 220, 50])]
        for (x, y, colour) in expected {
            let pixel = image.pixel(x: x, y: y)
            let found = [Int(pixel.red), Int(pixel.green), Int(pixel.blue)]
            #expect(zip(found, colour).allSatisfy { abs($0 - $1) <= 12 }, "(\(x), \(y)) is \(found), expected \(colour)")
        }
    }

    @Test("CMYK conversion: ink conventions and exact rounding")
    func cmyk() {
        // Adobe-inverted: stored 255 = no ink → white; stored K 0 = full black ink → black.
        #expect(CMYKConversion.rgb(fromCMYK: [255, 255, 255, 255], pixelCount: 1, inverted: true) == [255, 255, 255])
        #expect(CMYKConversion.rgb(fromCMYK: [255, 255, 255, 0], pixelCount: 1, inverted: true) == [0, 0, 0])
        // Plain ink: full cyan, no black → (0, 255, 255).
        #expect(CMYKConversion.rgb(fromCMYK: [255, 0, 0, 0], pixelCount: 1, inverted: false) == [0, 255, 255])
        // Half cyan (128 light left), half black (128): 128·128/255 = 64.25 → 64.
        #expect(CMYKConversion.rgb(fromCMYK: [128, 255, 255, 128], pixelCount: 1, inverted: true) == [64, 128, 128])
        for product in stride(from: 0, through: 255 * 255, by: 7) {
            #expect(CMYKConversion.divideBy255(product) == Int((Double(product) / 255).rounded()))
        }
    }

    @Test("YCCK (Adobe transform 2) decodes to the picture its CMYK twin shows")
    func ycckMatchesCMYK() throws {
        let ycck = try JPEGDecoder.decode(contentsOf: ImageFixtures.url("ycck.jpg"))
        let cmyk = try JPEGDecoder.decode(contentsOf: ImageFixtures.url("cmyk-adobe.jpg"))
        // Two lossy encodings of one picture (the YCCK one through a colour transform): close, not equal.
        let difference = ImageFixtures.maxDifference(ycck, cmyk)
        #expect(difference <= 20, "max difference \(difference)")
    }

    @Test("grayscale decodes to equal R, G and B")
    func grayscaleIsNeutral() throws {
        let image = try JPEGDecoder.decode(contentsOf: ImageFixtures.url("grayscale.jpg"))
        var neutral = true
        for index in stride(from: 0, to: image.pixels.count, by: 3) {
            neutral = neutral && image.pixels[index] == image.pixels[index + 1] && image.pixels[index] == image.pixels[index + 2]
        }
        #expect(neutral)
    }
}
