import Foundation
import Testing
@testable import Vision

/// EXIF orientation: parsing tag 0x0112 from the APP1 TIFF block and turning the pixels upright.
@Suite("JPEG decoding: EXIF orientation")
struct DecodeOrientationTests {
    @Test("all 8 orientation fixtures decode to the same upright picture", arguments: 1...8)
    func uprightFixture(orientation: Int) throws {
        let image = try JPEGDecoder.decode(contentsOf: ImageFixtures.url("orientation-\(orientation).jpg"))
        let upright = try ImageFixtures.readPPM(ImageFixtures.url("orientation-upright.ppm"))
        #expect(image.width == 40 && image.height == 24)
        // Flat quadrants at quality 95, 4:4:4: JPEG ringing at the colour edges stays under 12 levels, while a
        // wrong orientation would put a different quadrant colour (≥ 150 levels away) in some corner.
        let difference = ImageFixtures.maxDifference(image, upright)
        #expect(difference <= 12, "max difference \(difference) from the upright picture")
    }

    /// A TIFF block with IFD0 holding tag 0x0112 (SHORT, count 1) = `value`, after one unrelated entry.
    static func tiff(orientation value: UInt16, bigEndian: Bool, type: UInt16 = 3) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { bigEndian ? u16(UInt16(v >> 16)) + u16(UInt16(v & 0xFFFF)) : u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) }
        var bytes: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        bytes += u16(42) + u32(8) + u16(2)
        bytes += u16(0x010F) + u16(2) + u32(4) + [0x41, 0x42, 0x43, 0x00]  // Make = "ABC"
        bytes += u16(0x0112) + u16(type) + u32(1) + u16(value) + [0, 0]
        return bytes + u32(0)
    }

    @Test("tag 0x0112 is read in both byte orders", arguments: [false, true])
    func parseBothByteOrders(bigEndian: Bool) {
        for value in 1...8 {
            #expect(ExifOrientation.parse(tiff: Self.tiff(orientation: UInt16(value), bigEndian: bigEndian)).rawValue == value)
        }
    }

    @Test("malformed EXIF falls back to upright, never reads out of bounds")
    func malformed() {
        let good = Self.tiff(orientation: 6, bigEndian: false)
        #expect(ExifOrientation.parse(tiff: good) == .right)
        for length in 0..<good.count - 6 {  // every truncation that cuts into the orientation value
            #expect(ExifOrientation.parse(tiff: Array(good.prefix(length))) == .up)
        }
        #expect(ExifOrientation.parse(tiff: Self.tiff(orientation: 9, bigEndian: false)) == .up)
        #expect(ExifOrientation.parse(tiff: Self.tiff(orientation: 6, bigEndian: false, type: 4)) == .up)
        var badOffset = good
        badOffset[4] = 0xF0  // IFD offset past the end
        #expect(ExifOrientation.parse(tiff: badOffset) == .up)
        var badMagic = good
        badMagic[2] = 41
        #expect(ExifOrientation.parse(tiff: badMagic) == .up)
    }

    /// A 3×2 image whose pixel (x, y) has red = 10·x + y + 1: every position is identifiable.
    static let numbered: RGBImage = {
        var pixels: [UInt8] = []
        for y in 0..<2 { for x in 0..<3 { pixels += [UInt8(10 * x + y + 1), 0, 0] } }
        return RGBImage(uncheckedWidth: 3, height: 2, pixels: pixels)
    }()

    /// The red channel, row by row.
    static func reds(_ image: RGBImage) -> [[UInt8]] {
        (0..<image.height).map { y in (0..<image.width).map { x in image.pixel(x: x, y: y).red } }
    }

    @Test("each orientation's transform, checked by hand on a 3×2 image")
    func transforms() {
        // Stored:  1 11 21 / 2 12 22
        let expected: [ExifOrientation: [[UInt8]]] = [
            .up: [[1, 11, 21], [2, 12, 22]],
            .upMirrored: [[21, 11, 1], [22, 12, 2]],
            .down: [[22, 12, 2], [21, 11, 1]],
            .downMirrored: [[2, 12, 22], [1, 11, 21]],
            .leftMirrored: [[1, 2], [11, 12], [21, 22]],       // transpose
            .right: [[2, 1], [12, 11], [22, 21]],              // 90° clockwise
            .rightMirrored: [[22, 21], [12, 11], [2, 1]],      // transverse
            .left: [[21, 22], [11, 12], [1, 2]],               // 90° counter-clockwise
        ]
        for orientation in ExifOrientation.allCases {
            let turned = orientation.apply(to: Self.numbered)
            #expect(Self.reds(turned) == expected[orientation], "orientation \(orientation.rawValue)")
            #expect((turned.width == 2) == orientation.swapsSides)
        }
    }
}
