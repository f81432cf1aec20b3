extension RGBImage {
    /// The `width × height` region whose top-left corner is (x, y); parts outside the image are black.
    public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) -> RGBImage {
        let outputWidth = max(0, cropWidth), outputHeight = max(0, cropHeight)
        var output = [UInt8](repeating: 0, count: outputWidth * outputHeight * 3)
        let firstColumn = max(0, x), lastColumn = min(width, x + outputWidth)
        guard firstColumn < lastColumn else {
            return RGBImage(uncheckedWidth: outputWidth, height: outputHeight, pixels: output)
        }
        let runLength = (lastColumn - firstColumn) * 3
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                guard let from = source.baseAddress, let to = destination.baseAddress else { return }
                for row in 0..<outputHeight {
                    let sourceY = y + row
                    guard sourceY >= 0, sourceY < height else { continue }
                    (to + (row * outputWidth + firstColumn - x) * 3)
                        .update(from: from + (sourceY * width + firstColumn) * 3, count: runLength)
                }
            }
        }
        return RGBImage(uncheckedWidth: outputWidth, height: outputHeight, pixels: output)
    }
}
