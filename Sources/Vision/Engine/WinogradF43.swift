/// The F(4×4, 3×3) transforms written out (Lavin & Gray's Bᵀ and Aᵀ with common subexpressions shared),
/// sixteen channels per vector, for channel counts that are multiples of 16. The generic matrix-driven
/// transforms in `WinogradTiles` cover F(2,3) and other channel counts.
extension WinogradTiles {
    /// Bᵀ applied to a 6-vector: 4d₀−5d₂+d₄, −4d₁−4d₂+d₃+d₄, 4d₁−4d₂−d₃+d₄, −2d₁−d₂+2d₃+d₄, 2d₁−d₂−2d₃+d₄, 4d₁−5d₃+d₅.
    @inline(__always)
    static func inputRows(_ d0: Lanes16, _ d1: Lanes16, _ d2: Lanes16, _ d3: Lanes16, _ d4: Lanes16, _ d5: Lanes16)
        -> (Lanes16, Lanes16, Lanes16, Lanes16, Lanes16, Lanes16) {
        let a = d4 - 4 * d2, p = 4 * d1 - d3
        let b = d4 - d2, q = 2 * (d3 - d1)
        return (4 * d0 - 5 * d2 + d4, a - p, a + p, b + q, b - q, 4 * d1 - 5 * d3 + d5)
    }

    /// Aᵀ applied to a 6-vector: m₀+m₁+m₂+m₃+m₄, m₁−m₂+2(m₃−m₄), m₁+m₂+4(m₃+m₄), m₁−m₂+8(m₃−m₄)+m₅.
    @inline(__always)
    static func outputRows(_ m0: Lanes16, _ m1: Lanes16, _ m2: Lanes16, _ m3: Lanes16, _ m4: Lanes16, _ m5: Lanes16)
        -> (Lanes16, Lanes16, Lanes16, Lanes16) {
        let s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4
        return (m0 + s12 + s34, d12 + 2 * d34, s12 + 4 * s34, d12 + 8 * d34 + m5)
    }

    /// V[ξ][tile][c] = (Bᵀ d B)[ξ] for the 6×6 window of `tile`, ξ `stride` floats apart (F(4,3), C % 16 == 0).
    /// `scratch`: 36 vectors of the caller's.
    func transformInputF43(_ source: UnsafePointer<Float>, tile: Int, into destination: UnsafeMutablePointer<Float>,
                           stride: Int, channels: Int, scratch t: UnsafeMutablePointer<Lanes16>) {
        let image = tile / tilesPerImage, within = tile % tilesPerImage
        let y0 = 4 * (within / tilesAcross) - top, x0 = 4 * (within % tilesAcross) - left
        let height = input.height, width = input.width
        let imageBase = source + image * height * width * channels
        let interior = y0 >= 0 && y0 + 6 <= height && x0 >= 0 && x0 + 6 <= width
        do {
            var channel = 0
            while channel < channels {
                for j in 0..<6 {
                    let x = x0 + j
                    @inline(__always) func d(_ i: Int) -> Lanes16 {
                        let y = y0 + i
                        return interior || (y >= 0 && y < height && x >= 0 && x < width)
                            ? load16(imageBase + (y * width + x) * channels + channel) : Lanes16()
                    }
                    let r = Self.inputRows(d(0), d(1), d(2), d(3), d(4), d(5))
                    t[j] = r.0; t[6 + j] = r.1; t[12 + j] = r.2; t[18 + j] = r.3; t[24 + j] = r.4; t[30 + j] = r.5
                }
                for i in 0..<6 {
                    let row = t + 6 * i
                    let r = Self.inputRows(row[0], row[1], row[2], row[3], row[4], row[5])
                    let out = destination + 6 * i * stride + channel
                    store16(r.0, out); store16(r.1, out + stride); store16(r.2, out + 2 * stride)
                    store16(r.3, out + 3 * stride); store16(r.4, out + 4 * stride); store16(r.5, out + 5 * stride)
                }
                channel += 16
            }
        }
    }

    /// Y = Aᵀ M A for `tile` (F(4,3), C % 16 == 0), then bias, residual and activation, written where the
    /// tile lies inside the output.
    /// `scratch`: 24 vectors of the caller's.
    func transformOutputF43(_ product: UnsafePointer<Float>, stride: Int, tile: Int, channels: Int, bias: UnsafePointer<Float>,
                            residual: UnsafePointer<Float>?, activation: Activation, destination: UnsafeMutablePointer<Float>,
                            scratch u: UnsafeMutablePointer<Lanes16>) {
        let image = tile / tilesPerImage, within = tile % tilesPerImage
        let oy0 = 4 * (within / tilesAcross), ox0 = 4 * (within % tilesAcross)
        let rows = min(4, output.height - oy0), columns = min(4, output.width - ox0)
        do {
            var channel = 0
            while channel < channels {
                for j in 0..<6 {
                    let column = product + j * stride + channel
                    let r = Self.outputRows(load16(column), load16(column + 6 * stride), load16(column + 12 * stride),
                                            load16(column + 18 * stride), load16(column + 24 * stride), load16(column + 30 * stride))
                    u[j] = r.0; u[6 + j] = r.1; u[12 + j] = r.2; u[18 + j] = r.3
                }
                let b = load16(bias + channel)
                for i in 0..<rows {
                    let row = u + 6 * i
                    let r = Self.outputRows(row[0], row[1], row[2], row[3], row[4], row[5])
                    let pixel = ((image * output.height + oy0 + i) * output.width + ox0) * channels + channel
                    @inline(__always) func put(_ value: Lanes16, _ offset: Int) {
                        var value = value + b
                        if let residual { value += load16(residual + pixel + offset) }
                        store16(activate16(value, activation), destination + pixel + offset)
                    }
                    put(r.0, 0)
                    if columns > 1 { put(r.1, channels) }
                    if columns > 2 { put(r.2, 2 * channels) }
                    if columns > 3 { put(r.3, 3 * channels) }
                }
                channel += 16
            }
        }
    }
}
