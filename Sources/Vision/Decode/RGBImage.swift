/// An 8-bit RGB image: interleaved, row-major, top row first, `width * height * 3` bytes.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Pixel bytes R, G, B for each pixel, row after row; count is `width * height * 3`.
    public var pixels: [UInt8]

    /// Wraps pixels; `pixels.count` must be `width * height * 3` (checked, returns nil otherwise).
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        let (area, areaOverflow) = width.multipliedReportingOverflow(by: height)
        let (bytes, bytesOverflow) = area.multipliedReportingOverflow(by: 3)
        guard width >= 0, height >= 0, !areaOverflow, !bytesOverflow, pixels.count == bytes else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image of one colour.
    public init(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8) {
        self.width = max(0, width)
        self.height = max(0, height)
        var bytes = [UInt8](repeating: 0, count: self.width * self.height * 3)
        for index in stride(from: 0, to: bytes.count, by: 3) {
            bytes[index] = red
            bytes[index + 1] = green
            bytes[index + 2] = blue
        }
        self.pixels = bytes
    }

    /// Internal initializer for callers that already guarantee the size.
    init(uncheckedWidth width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The (red, green, blue) of pixel (x, y); x and y must be inside the image.
    public func pixel(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let offset = (y * width + x) * 3
        return (pixels[offset], pixels[offset + 1], pixels[offset + 2])
    }
}
