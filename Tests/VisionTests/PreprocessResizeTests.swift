import Foundation
import Testing
@testable import Vision

/// The antialiased resize and the centre crop, against Pillow goldens (tools/vision_images_reference.py).
@Suite("Preprocessing: resize and crop against Pillow")
struct PreprocessResizeTests {
    struct ResizeCase: Decodable, Sendable, CustomTestStringConvertible {
        let input: String
        let width: Int
        let height: Int
        let golden: String
        var testDescription: String { "\(input) → \(width)×\(height)" }
    }

    struct CropCase: Decodable, Sendable, CustomTestStringConvertible {
        let input: String
        let side: Int
        let golden: String
        var testDescription: String { "\(input) centre crop \(side)" }
    }

    struct Cases: Decodable, Sendable {
        let resize: [ResizeCase]
        let centerCrop: [CropCase]
    }

    static let cases: Cases = {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
              let data = try? Data(contentsOf: fixtures.appendingPathComponent("images/resize/cases.json")),
              let cases = try? JSONDecoder().decode(Cases.self, from: data) else { return Cases(resize: [], centerCrop: []) }
        return cases
    }()

    static func image(_ name: String) throws -> RGBImage {
        try ImageFixtures.readPPM(ImageFixtures.url("resize/\(name)"))
    }

    @Test("the golden cases are present (reduce, enlarge, one axis, 1×1)")
    func casesPresent() {
        #expect(Self.cases.resize.count >= 8 && Self.cases.centerCrop.count >= 2)
    }

    @Test("resized(width:height:) matches PIL BILINEAR within ±1 level", arguments: Self.cases.resize)
    func matchesPillow(testCase: ResizeCase) throws {
        let source = try Self.image(testCase.input)
        let golden = try Self.image(testCase.golden)
        let resized = source.resized(width: testCase.width, height: testCase.height)
        #expect(resized.width == golden.width && resized.height == golden.height)
        let difference = ImageFixtures.maxDifference(resized, golden)
        #expect(difference <= 1, "max difference \(difference) levels")
    }

    @Test("centre crop matches torchvision's Resize(256)+CenterCrop(224) rule on PIL within ±1 level", arguments: Self.cases.centerCrop)
    func centerCropMatchesPillow(testCase: CropCase) throws {
        let source = try Self.image(testCase.input)
        let golden = try Self.image(testCase.golden)
        let fitted = Preprocessor.fitted(source, side: testCase.side, fit: .centerCrop)
        #expect(fitted.image.width == testCase.side && fitted.image.height == testCase.side)
        let difference = ImageFixtures.maxDifference(fitted.image, golden)
        #expect(difference <= 1, "max difference \(difference) levels")
    }

    @Test("a flat image stays flat at any size; identity size is a copy")
    func flatAndIdentity() throws {
        let flat = RGBImage(width: 37, height: 53, red: 200, green: 17, blue: 99)
        for (width, height) in [(5, 3), (224, 224), (37, 20), (100, 53), (1, 1)] {
            let resized = flat.resized(width: width, height: height)
            #expect(resized == RGBImage(width: width, height: height, red: 200, green: 17, blue: 99))
        }
        let noise = try Self.image("noise-40x30.ppm")
        #expect(noise.resized(width: 40, height: 30) == noise)
    }

    @Test("resizing only a window gives exactly the pixels of resize-then-crop")
    func windowEqualsCrop() throws {
        let noise = try Self.image("noise-61x87.ppm")
        for (width, height, x, y, w, h) in [(37, 52, 3, 9, 32, 32), (23, 31, 0, 0, 23, 31), (67, 95, 30, 1, 37, 94),
                                            (61, 20, 10, 5, 1, 1), (7, 87, 6, 80, 1, 7)] {
            let full = noise.resized(width: width, height: height).cropped(x: x, y: y, width: w, height: h)
            let window = noise.resized(width: width, height: height, window: (x, y, w, h))
            #expect(window == full, "\(width)×\(height) window \(x),\(y) \(w)×\(h)")
        }
    }

    @Test("cropping: inside, and outside parts black")
    func crop() {
        let numbered = DecodeOrientationTests.numbered  // reds 1 11 21 / 2 12 22
        #expect(DecodeOrientationTests.reds(numbered.cropped(x: 1, y: 0, width: 2, height: 2)) == [[11, 21], [12, 22]])
        #expect(DecodeOrientationTests.reds(numbered.cropped(x: -1, y: 1, width: 3, height: 2)) == [[0, 2, 12], [0, 0, 0]])
        #expect(numbered.cropped(x: 5, y: 5, width: 2, height: 1).pixels == [UInt8](repeating: 0, count: 6))
    }
}
