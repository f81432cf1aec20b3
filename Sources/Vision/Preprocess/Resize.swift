/// Antialiased separable resize, the same filter as PIL's `Image.resize(size, Image.BILINEAR)`.
///
/// Each output pixel i of a pass is a weighted mean of input pixels around centre (i + ½)·scale, with
/// scale = inputSize / outputSize and a triangle (tent) filter whose support is 1 input pixel when enlarging and
/// `scale` input pixels when reducing (so every input pixel contributes: no aliasing). Weights are normalized to
/// sum 1, then — as PIL does for 8-bit images — turned into fixed point with 22 fractional bits, so sums are exact
/// integers and rounding is `(sum + 2²¹) >> 22`. Like PIL, the horizontal pass runs first and its result is
/// rounded to 8 bits before the vertical pass. Checked against PIL goldens (tools/vision_images_reference.py):
/// identical bytes, except where Pillow 13 chooses to run the vertical pass first (it does for some mixed
/// enlarge/reduce sizes), where single bytes differ by 1 level.
///
/// `resized(width:height:window:)` computes only a window of the resized image — exactly the same pixels as
/// resizing everything and cropping, at the cost of the window (a centre crop of a poster needs ~55 % of it).
extension RGBImage {
    /// This image resized to `width × height` (both ≥ 1) with the antialiased triangle filter.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        resized(width: newWidth, height: newHeight, window: (0, 0, max(1, newWidth), max(1, newHeight)))
    }

    /// The `window` (x, y, width, height; clamped to the output) of this image resized to `width × height`.
    public func resized(width newWidth: Int, height newHeight: Int, window: (x: Int, y: Int, width: Int, height: Int)) -> RGBImage {
        let targetWidth = max(1, newWidth), targetHeight = max(1, newHeight)
        let left = min(max(0, window.x), targetWidth - 1), top = min(max(0, window.y), targetHeight - 1)
        let windowWidth = min(max(1, window.width), targetWidth - left)
        let windowHeight = min(max(1, window.height), targetHeight - top)
        guard width > 0, height > 0 else {
            return RGBImage(width: windowWidth, height: windowHeight, red: 0, green: 0, blue: 0)
        }
        let columns = ResampleKernel(inputSize: width, outputSize: targetWidth, first: left, count: windowWidth)
        let rows = ResampleKernel(inputSize: height, outputSize: targetHeight, first: top, count: windowHeight)
        // Horizontal pass over just the input rows the vertical pass will read.
        let firstRow = rows.starts.min() ?? 0
        let endRow = zip(rows.starts, rows.counts).map { $0 + $1 }.max() ?? 0
        let intermediate = resampleRows(firstRow..<endRow, columns: columns)
        return Self.resampleColumns(intermediate, width: windowWidth, firstRow: firstRow, rows: rows)
    }

    /// Rows `range` of the image, each resampled horizontally to the kernel's output columns (8-bit, rounded).
    private func resampleRows(_ range: Range<Int>, columns: ResampleKernel) -> [UInt8] {
        let outputWidth = columns.starts.count
        var output = [UInt8](repeating: 0, count: range.count * outputWidth * 3)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress else { return }
                columns.withUnsafeTaps { starts, counts, weights, stride in
                    for (outputRow, y) in range.enumerated() {
                        let sourceRow = sourceBase + y * width * 3
                        var to = destinationBase + outputRow * outputWidth * 3
                        for x in 0..<outputWidth {
                            var from = sourceRow + starts[x] * 3
                            let taps = weights + x * stride
                            var red = ResampleKernel.half, green = ResampleKernel.half, blue = ResampleKernel.half
                            for tap in 0..<counts[x] {
                                let weight = taps[tap]
                                red &+= weight &* Int32(from[0])
                                green &+= weight &* Int32(from[1])
                                blue &+= weight &* Int32(from[2])
                                from += 3
                            }
                            to[0] = ResampleKernel.byte(red)
                            to[1] = ResampleKernel.byte(green)
                            to[2] = ResampleKernel.byte(blue)
                            to += 3
                        }
                    }
                }
            }
        }
        return output
    }

    /// The vertical pass: each output row is a weighted sum of whole intermediate rows (read in memory order).
    private static func resampleColumns(_ intermediate: [UInt8], width: Int, firstRow: Int, rows: ResampleKernel) -> RGBImage {
        let rowLength = width * 3
        let outputHeight = rows.starts.count
        var output = [UInt8](repeating: 0, count: rowLength * outputHeight)
        var accumulator = [Int32](repeating: 0, count: rowLength)
        intermediate.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                accumulator.withUnsafeMutableBufferPointer { sums in
                    guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress,
                          let sums = sums.baseAddress else { return }
                    rows.withUnsafeTaps { starts, counts, weights, stride in
                        for y in 0..<outputHeight {
                            for index in 0..<rowLength { sums[index] = ResampleKernel.half }
                            for tap in 0..<counts[y] {
                                let weight = weights[y * stride + tap]
                                let row = sourceBase + (starts[y] + tap - firstRow) * rowLength
                                for index in 0..<rowLength {
                                    sums[index] &+= weight &* Int32(row[index])
                                }
                            }
                            let to = destinationBase + y * rowLength
                            for index in 0..<rowLength { to[index] = ResampleKernel.byte(sums[index]) }
                        }
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: width, height: outputHeight, pixels: output)
    }
}

/// Taps of the triangle filter for output pixels `first ..< first + count` of one axis: first input index,
/// tap count and fixed-point weights for each.
struct ResampleKernel {
    /// First input index read by each output pixel.
    let starts: [Int]
    /// Number of input pixels read by each output pixel.
    let counts: [Int]
    /// `stride` fixed-point weights per output pixel (the first `counts[i]` used), each row summing to ≈ 2²².
    let weights: [Int32]
    /// Weights stored per output pixel.
    let stride: Int

    /// Taps for output pixels `first ..< first + count` when resampling `inputSize` pixels to `outputSize`
    /// (all ≥ 1), as PIL's `precompute_coeffs` computes them.
    init(inputSize: Int, outputSize: Int, first: Int = 0, count requested: Int? = nil) {
        let count = requested ?? outputSize
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filterScale  // triangle support 1, widened when reducing
        let stride = Int(support.rounded(.up)) * 2 + 1
        var starts = [Int](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: count)
        var weights = [Int32](repeating: 0, count: count * stride)
        var taps = [Double](repeating: 0, count: stride)
        for slot in 0..<count {
            let center = (Double(first + slot) + 0.5) * scale
            let low = max(Int(center - support + 0.5), 0)
            let high = min(Int(center + support + 0.5), inputSize)
            let tapCount = min(max(high - low, 0), stride)
            var total = 0.0
            for tap in 0..<tapCount {
                let distance = (Double(low + tap) - center + 0.5) / filterScale
                let weight = max(0, 1 - abs(distance))
                taps[tap] = weight
                total += weight
            }
            for tap in 0..<tapCount {
                let normalized = total != 0 ? taps[tap] / total : 0
                weights[slot * stride + tap] = Int32(normalized * Double(1 << Self.precisionBits) + 0.5)
            }
            starts[slot] = low
            counts[slot] = tapCount
        }
        self.starts = starts
        self.counts = counts
        self.weights = weights
        self.stride = stride
    }

    /// Calls `body` with raw pointers to starts, counts and weights, and the stride (not at all when empty).
    func withUnsafeTaps(_ body: (UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<Int32>, Int) -> Void) {
        starts.withUnsafeBufferPointer { starts in
            counts.withUnsafeBufferPointer { counts in
                weights.withUnsafeBufferPointer { weights in
                    guard let starts = starts.baseAddress, let counts = counts.baseAddress,
                          let weights = weights.baseAddress else { return }
                    body(starts, counts, weights, stride)
                }
            }
        }
    }

    /// Fractional bits of the fixed-point weights (PIL's PRECISION_BITS = 32 − 8 − 2).
    static let precisionBits: Int32 = 22
    /// One half in fixed point: the starting value of every sum, so the final shift rounds to nearest.
    static let half: Int32 = 1 << (precisionBits - 1)

    /// A fixed-point sum (already holding `half`) as a byte, clamped to 0…255.
    @inline(__always)
    static func byte(_ sum: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: min(max(sum >> precisionBits, 0), 255))
    }
}
