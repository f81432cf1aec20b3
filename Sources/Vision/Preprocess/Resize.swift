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
extension RGBImage {
    /// This image resized to `width × height` (both ≥ 1) with the antialiased triangle filter.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        let targetWidth = max(1, newWidth), targetHeight = max(1, newHeight)
        guard width > 0, height > 0 else {
            return RGBImage(width: targetWidth, height: targetHeight, red: 0, green: 0, blue: 0)
        }
        var current = self
        if targetWidth != width {
            current = current.resampledHorizontally(to: targetWidth)
        }
        if targetHeight != height {
            current = current.resampledVertically(to: targetHeight)
        }
        return current
    }

    /// Rows resampled to `targetWidth` columns.
    private func resampledHorizontally(to targetWidth: Int) -> RGBImage {
        let kernel = ResampleKernel(inputSize: width, outputSize: targetWidth)
        var output = [UInt8](repeating: 0, count: targetWidth * height * 3)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                kernel.weights.withUnsafeBufferPointer { weights in
                    for y in 0..<height {
                        let sourceRow = y * width * 3
                        let destinationRow = y * targetWidth * 3
                        for x in 0..<targetWidth {
                            let start = kernel.starts[x], count = kernel.counts[x]
                            let weightBase = x * kernel.stride
                            var red = ResampleKernel.half, green = ResampleKernel.half, blue = ResampleKernel.half
                            for tap in 0..<count {
                                let weight = Int(weights[weightBase + tap])
                                let offset = sourceRow + (start + tap) * 3
                                red &+= weight &* Int(source[offset])
                                green &+= weight &* Int(source[offset + 1])
                                blue &+= weight &* Int(source[offset + 2])
                            }
                            let to = destinationRow + x * 3
                            destination[to] = ResampleKernel.byte(red)
                            destination[to + 1] = ResampleKernel.byte(green)
                            destination[to + 2] = ResampleKernel.byte(blue)
                        }
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: targetWidth, height: height, pixels: output)
    }

    /// Columns resampled to `targetHeight` rows (a whole row at a time, so memory is read in order).
    private func resampledVertically(to targetHeight: Int) -> RGBImage {
        let kernel = ResampleKernel(inputSize: height, outputSize: targetHeight)
        let rowLength = width * 3
        var output = [UInt8](repeating: 0, count: rowLength * targetHeight)
        var accumulator = [Int](repeating: 0, count: rowLength)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                accumulator.withUnsafeMutableBufferPointer { sums in
                    for y in 0..<targetHeight {
                        let start = kernel.starts[y], count = kernel.counts[y]
                        for index in 0..<rowLength { sums[index] = ResampleKernel.half }
                        for tap in 0..<count {
                            let weight = Int(kernel.weights[y * kernel.stride + tap])
                            let sourceRow = (start + tap) * rowLength
                            for index in 0..<rowLength {
                                sums[index] &+= weight &* Int(source[sourceRow + index])
                            }
                        }
                        let destinationRow = y * rowLength
                        for index in 0..<rowLength {
                            destination[destinationRow + index] = ResampleKernel.byte(sums[index])
                        }
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: width, height: targetHeight, pixels: output)
    }
}

/// Per-output-pixel taps of the triangle filter for one axis: first input index, tap count, normalized weights.
struct ResampleKernel {
    /// First input index read by each output pixel.
    let starts: [Int]
    /// Number of input pixels read by each output pixel.
    let counts: [Int]
    /// `stride` fixed-point weights per output pixel (the first `counts[i]` used), each row summing to ≈ 2²².
    let weights: [Int32]
    /// Weights stored per output pixel.
    let stride: Int

    /// Taps for resampling `inputSize` pixels to `outputSize` (both ≥ 1), as PIL's `precompute_coeffs`.
    init(inputSize: Int, outputSize: Int) {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filterScale  // triangle support 1, widened when reducing
        let stride = Int(support.rounded(.up)) * 2 + 1
        var starts = [Int](repeating: 0, count: outputSize)
        var counts = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * stride)
        var taps = [Double](repeating: 0, count: stride)
        for index in 0..<outputSize {
            let center = (Double(index) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let last = min(Int(center + support + 0.5), inputSize)
            let count = min(max(last - first, 0), stride)
            var total = 0.0
            for tap in 0..<count {
                let distance = (Double(first + tap) - center + 0.5) / filterScale
                let weight = max(0, 1 - abs(distance))
                taps[tap] = weight
                total += weight
            }
            for tap in 0..<count {
                let normalized = total != 0 ? taps[tap] / total : 0
                weights[index * stride + tap] = Int32(normalized * Double(1 << Self.precisionBits) + 0.5)
            }
            starts[index] = first
            counts[index] = count
        }
        self.starts = starts
        self.counts = counts
        self.weights = weights
        self.stride = stride
    }

    /// Fractional bits of the fixed-point weights (PIL's PRECISION_BITS = 32 − 8 − 2).
    static let precisionBits = 22
    /// One half in fixed point: the starting value of every sum, so the final shift rounds to nearest.
    static let half = 1 << (precisionBits - 1)

    /// A fixed-point sum (already holding `half`) as a byte, clamped to 0…255.
    @inline(__always)
    static func byte(_ sum: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: min(max(sum >> precisionBits, 0), 255))
    }
}
