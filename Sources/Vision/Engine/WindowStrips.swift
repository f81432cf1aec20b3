/// Window strips: narrow-input k×k convs (Cin < 16: the stems) on the packed GEMM without im2col. The input is
/// rearranged into one strip per output row (n, oy) that holds, for every padded input column px, the k input rows
/// the window covers:
///   strip(n, oy)[px][ky][c] = x[n, oy·s − top + ky, px − left, c]   (zero outside the image)
/// so an output pixel's whole k×k×Cin window is one contiguous run, strip(n, oy) + ox·s·k·Cin, ordered [kx][ky][c]
/// (the weights are packed in that order: `reorderedForStrips`). Strips hold each input value about k/s times
/// where im2col rows hold it k²/s² times: ResNet-50's stem writes 2.2 MB per image instead of 7.4 MB, and its GEMM
/// reads 147-deep rows in place. Measured (`vision --profile`-style passes alternating with the im2col tiles in one
/// process, on a busy machine): the stem 1.49 → 1.11, 1.51 → 1.13, 2.12 → 1.56 ms per image at batch 1 and
/// 1.35 → 1.06, 1.36 → 1.07, 1.38 → 1.08 at batch 8.
///
/// Shapes: input [N, H, W, Cin] → strips [N·Ho][Wp][k][Cin] with Wp = (Wo − 1)·s + k (each padded to `stripLength`).
extension WindowGeometry {
    /// Wp: the padded input columns that some window covers.
    var paddedWidth: Int { (output.width - 1) * stride + kernel }
    /// Floats from one strip to the next: Wp·k·Cin, rounded up to a cache line.
    var stripLength: Int { (paddedWidth * kernel * input.channels + 15) / 16 * 16 }

    /// Writes the strips of output rows `rows` (row = n·Ho + oy) one after another into `destination`.
    /// Tap row by tap row: each ky copies one input row into every k-th cell of the strip. Three channels (RGB
    /// stems) move as one 4-lane store whose fourth lane lands in the next cell (ky + 1), which is written after it;
    /// the last tap row, whose next cell was written before, and the last pixel of a row (a 4-lane load would read
    /// past the image) copy three floats.
    func fillStrips(_ destination: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>, rows: Range<Int>) {
        let channels = input.channels, width = input.width, run = kernel * channels
        let interior = max(0, min(width, paddedWidth - left))      // input columns some window covers
        var strip = destination
        for row in rows {
            let image = row / output.height, oy = row - image * output.height
            for ky in 0..<kernel {
                let iy = oy * stride - top + ky
                var cell = strip + ky * channels
                guard iy >= 0 && iy < input.height else {
                    for _ in 0..<paddedWidth { cell.update(repeating: 0, count: channels); cell += run }
                    continue
                }
                for _ in 0..<left { cell.update(repeating: 0, count: channels); cell += run }
                var pixel = source + (image * input.height + iy) * width * channels
                let wide = channels == 3 && ky < kernel - 1 ? max(0, min(interior, width - 1)) : 0
                for _ in 0..<wide {
                    storeLanes(loadLanes(pixel) as SIMD4<Float>, cell)
                    pixel += 3
                    cell += run
                }
                for _ in wide..<interior {
                    for channel in 0..<channels { cell[channel] = pixel[channel] }
                    pixel += channels
                    cell += run
                }
                for _ in (left + interior)..<paddedWidth { cell.update(repeating: 0, count: channels); cell += run }
            }
            strip += stripLength
        }
    }

    /// Where each output pixel of `strips` consecutive strips laid out by `fillStrips` finds its window: one offset
    /// per pixel from the first strip, in output order, written into `offsets` (no divisions). The same for every
    /// chunk of strips, so it is worked out once per call.
    func stripOffsets(_ offsets: UnsafeMutablePointer<Int>, strips: Int) {
        let step = stride * kernel * input.channels
        var entry = offsets
        for strip in 0..<strips {
            for ox in 0..<output.width {
                entry.pointee = strip * stripLength + ox * step
                entry += 1
            }
        }
    }

    /// Engine-layout weights [ky][kx][Cin][Cout] reordered to the strips' window order [kx][ky][Cin][Cout].
    static func reorderedForStrips(_ weights: [Float], kernel: Int, inputChannels: Int, outputChannels: Int) -> [Float] {
        var reordered = weights
        let run = inputChannels * outputChannels
        for ky in 0..<kernel {
            for kx in 0..<kernel {
                let from = (ky * kernel + kx) * run, to = (kx * kernel + ky) * run
                reordered[to..<(to + run)] = weights[from..<(from + run)]
            }
        }
        return reordered
    }
}

/// A's rows inside window strips: row r is `offsets[r]` floats into the strips.
struct StripRows: RowSource {
    let strips: UnsafePointer<Float>
    let offsets: UnsafePointer<Int>

    @inline(__always)
    func row(_ row: Int, _ block: ReductionBlock) -> UnsafePointer<Float> { strips + offsets[row] + block.k0 }
}
