/// EXIF orientation (TIFF tag 0x0112): how the stored pixels must be turned to show the picture upright.
///
/// Values follow the EXIF 2.3 specification; the transform names follow PIL's `ImageOps.exif_transpose`.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    /// Stored upright.
    case up = 1
    /// Mirrored left-right.
    case upMirrored = 2
    /// Upside down (rotate 180°).
    case down = 3
    /// Mirrored top-bottom.
    case downMirrored = 4
    /// Transposed (mirror across the main diagonal).
    case leftMirrored = 5
    /// Needs a 90° clockwise turn.
    case right = 6
    /// Transversed (mirror across the anti-diagonal).
    case rightMirrored = 7
    /// Needs a 90° counter-clockwise turn.
    case left = 8

    /// The orientation in an EXIF TIFF block (the APP1 payload after "Exif\0\0"); `.up` when absent or malformed.
    static func parse(tiff bytes: UnsafeBufferPointer<UInt8>) -> ExifOrientation {
        guard bytes.count >= 8 else { return .up }
        let littleEndian: Bool
        switch (bytes[0], bytes[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return .up
        }
        func u16(_ offset: Int) -> Int? {
            guard offset >= 0, offset + 2 <= bytes.count else { return nil }
            let a = Int(bytes[offset]), b = Int(bytes[offset + 1])
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func u32(_ offset: Int) -> Int? {
            guard let low = u16(littleEndian ? offset : offset + 2),
                  let high = u16(littleEndian ? offset + 2 : offset) else { return nil }
            return low | high << 16
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return .up }
        for entry in 0..<entries {
            let offset = ifd + 2 + entry * 12
            guard let tag = u16(offset) else { return .up }
            guard tag == 0x0112 else { continue }
            // Type SHORT (3), count 1: the value sits in the first two bytes of the value field.
            guard u16(offset + 2) == 3, u32(offset + 4) == 1, let value = u16(offset + 8) else { return .up }
            return ExifOrientation(rawValue: value) ?? .up
        }
        return .up
    }

    /// The orientation in an EXIF TIFF block held in an array (see `parse(tiff:)`).
    static func parse(tiff bytes: [UInt8]) -> ExifOrientation {
        bytes.withUnsafeBufferPointer { parse(tiff: $0) }
    }

    /// Whether showing the image upright swaps width and height.
    public var swapsSides: Bool { rawValue >= 5 }

    /// `image` turned upright: output pixel (x, y) is taken from the stored pixel this orientation maps it to.
    public func apply(to image: RGBImage) -> RGBImage {
        if self == .up { return image }
        let width = image.width, height = image.height
        let outputWidth = swapsSides ? height : width
        let outputHeight = swapsSides ? width : height
        var output = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for y in 0..<outputHeight {
                    for x in 0..<outputWidth {
                        let (sourceX, sourceY) = sourcePosition(x: x, y: y, width: width, height: height)
                        let from = (sourceY * width + sourceX) * 3
                        let to = (y * outputWidth + x) * 3
                        destination[to] = source[from]
                        destination[to + 1] = source[from + 1]
                        destination[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: outputWidth, height: outputHeight, pixels: output)
    }

    /// The stored pixel shown at upright position (x, y); width and height are the stored sides.
    func sourcePosition(x: Int, y: Int, width: Int, height: Int) -> (Int, Int) {
        switch self {
        case .up: return (x, y)
        case .upMirrored: return (width - 1 - x, y)
        case .down: return (width - 1 - x, height - 1 - y)
        case .downMirrored: return (x, height - 1 - y)
        case .leftMirrored: return (y, x)
        case .right: return (y, height - 1 - x)
        case .rightMirrored: return (width - 1 - y, height - 1 - x)
        case .left: return (width - 1 - y, x)
        }
    }
}
