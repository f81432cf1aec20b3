import Foundation
import Testing
@testable import Vision

/// Fit, normalization and NHWC batching.
@Suite("Preprocessing: fit, normalization, NHWC batches")
struct PreprocessTensorTests {
    @Test("normalizations map pixels as documented")
    func normalizations() {
        let white = RGBImage(width: 4, height: 4, red: 255, green: 255, blue: 255)
        let imageNet = Preprocessor.input(white, side: 4, fit: .centerCrop, normalization: .imageNet)
        let expected: [Float] = [(1 - 0.485) / 0.229, (1 - 0.456) / 0.224, (1 - 0.406) / 0.225]
        for channel in 0..<3 { #expect(abs(imageNet[channel] - expected[channel]) < 1e-5) }
        let mid = RGBImage(width: 4, height: 4, red: 127, green: 255, blue: 0)
        let lite = Preprocessor.input(mid, side: 4, fit: .centerCrop, normalization: .tensorFlowLite)
        #expect(Array(lite.prefix(3)) == [0, 1, -127.0 / 128])
        let raw = Preprocessor.input(mid, side: 4, fit: .centerCrop, normalization: .none)
        #expect(Array(raw.prefix(3)) == [127, 255, 0])
        #expect(raw.count == 4 * 4 * 3)
    }

    @Test("centre crop of a 2:3 poster: resize shorter side to 256, keep the middle 224 rows")
    func posterCrop() {
        // Top third red, middle third green, bottom third blue: the crop must be all green in the middle rows.
        var pixels: [UInt8] = []
        for y in 0..<450 { for _ in 0..<300 { pixels += y < 150 ? [255, 0, 0] : y < 300 ? [0, 255, 0] : [0, 0, 255] } }
        let poster = RGBImage(uncheckedWidth: 300, height: 450, pixels: pixels)
        let fitted = Preprocessor.fitted(poster, side: 224, fit: .centerCrop)
        #expect(fitted.image.width == 224 && fitted.image.height == 224)
        // Resized to 256×384; crop rows 80…303 of it = source rows 93.75…355: red, green and blue bands all appear.
        #expect(fitted.image.pixel(x: 112, y: 112) == (0, 255, 0))
        #expect(fitted.image.pixel(x: 0, y: 0).red == 255)
        #expect(fitted.image.pixel(x: 0, y: 223).blue == 255)
        #expect(Preprocessor.decodingMinimumSide(side: 224, fit: .centerCrop) == 256)
        #expect(Preprocessor.defaultFit == .centerCrop)
    }

    @Test("letterbox keeps the whole poster and pads with the normalization's zero")
    func letterbox() {
        let poster = RGBImage(width: 20, height: 30, red: 255, green: 255, blue: 255)
        let tensor = Preprocessor.input(poster, side: 24, fit: .letterbox, normalization: .tensorFlowLite)
        // 20×30 → 16×24, centred: columns 4…19 are picture (value ≈ 1), columns 0…3 and 20…23 padding (0).
        func value(x: Int, y: Int) -> Float { tensor[(y * 24 + x) * 3] }
        #expect(value(x: 3, y: 10) == 0 && value(x: 20, y: 10) == 0)
        #expect(abs(value(x: 4, y: 0) - 1) < 1e-6 && abs(value(x: 19, y: 23) - 1) < 1e-6)
        let fitted = Preprocessor.fitted(poster, side: 24, fit: .letterbox)
        #expect(fitted.image.width == 16 && fitted.image.height == 24 && fitted.x == 4 && fitted.y == 0)
    }

    @Test("batch is the concatenation of single inputs, NHWC")
    func batch() throws {
        let first = try JPEGDecoder.decode(contentsOf: ImageFixtures.url("baseline.jpg"))
        let second = try JPEGDecoder.decode(contentsOf: ImageFixtures.url("orientation-6.jpg"))
        let batch = Preprocessor.batch([first, second], side: 16, fit: .centerCrop, normalization: .imageNet)
        let singles = Preprocessor.input(first, side: 16, fit: .centerCrop, normalization: .imageNet)
            + Preprocessor.input(second, side: 16, fit: .centerCrop, normalization: .imageNet)
        #expect(batch == singles)
        #expect(batch.count == 2 * 16 * 16 * 3)
        #expect(Preprocessor.batch([], side: 16, fit: .letterbox, normalization: .none).isEmpty)
    }

    @Test("exact: the pixels as they are, normalized, and equal to a same-size letterbox")
    func exact() throws {
        let image = try JPEGDecoder.decode(contentsOf: ImageFixtures.url("scaling.jpg"), minimumSide: 9)  // 12×9
        let values = Preprocessor.exact(image, normalization: .imageNet)
        #expect(values.count == 12 * 9 * 3)
        #expect(abs(values[4] - (Float(image.pixels[4]) / 255 - 0.456) / 0.224) < 1e-5)
        let square = image.cropped(x: 0, y: 0, width: 9, height: 9)
        #expect(Preprocessor.exact(square, normalization: .tensorFlowLite)
                == Preprocessor.input(square, side: 9, fit: .letterbox, normalization: .tensorFlowLite))
    }

    @Test("NHWC layout: channel fastest, then x, then y")
    func layout() {
        let numbered = DecodeOrientationTests.numbered.cropped(x: 0, y: 0, width: 2, height: 2)  // reds 1 11 / 2 12
        let tensor = Preprocessor.input(numbered, side: 2, fit: .letterbox, normalization: .none)
        #expect(tensor == [1, 0, 0, 11, 0, 0, 2, 0, 0, 12, 0, 0])
    }
}
