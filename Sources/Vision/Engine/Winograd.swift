import Tensor

/// Winograd F(2×2, 3×3) for stride-1 3×3 convs (Lavin & Gray 2015, "Fast Algorithms for Convolutional
/// Neural Networks"): each 2×2 output tile comes from a 4×4 input tile d as Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A.
/// Over channels the elementwise product becomes 16 GEMMs, M[ξ] (T×Cout) = V[ξ] (T×Cin) · U[ξ] (Cin×Cout),
/// for ξ the 16 positions of the 4×4 transform, T the tiles: 2.25× fewer multiplications than im2col.
///   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],  Aᵀ = [1 1 1 0; 0 1 −1 −1].
struct WinogradWeights: Sendable {
    let inputChannels: Int
    let outputChannels: Int
    /// U, [16][Cin][Cout].
    let transformed: [Float]

    /// Transforms engine-layout 3×3 weights [3, 3, Cin, Cout] into U = G g Gᵀ (computed in Double).
    init(weights: [Float], inputChannels: Int, outputChannels: Int) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        let pairs = inputChannels * outputChannels
        var u = [Float](repeating: 0, count: 16 * pairs)
        weights.withUnsafeBufferPointer { g in
            u.withUnsafeMutableBufferPointer { out in
                // pair = input · Cout + output indexes both layouts: g[tap · pairs + pair], U[ξ · pairs + pair].
                var rows = [Double](repeating: 0, count: 12)       // G g: 4×3, reused
                for pair in 0..<pairs {
                    for column in 0..<3 {
                        let g0 = Double(g[column * pairs + pair]), g1 = Double(g[(3 + column) * pairs + pair])
                        let g2 = Double(g[(6 + column) * pairs + pair])
                        rows[column] = g0
                        rows[3 + column] = 0.5 * (g0 + g1 + g2)
                        rows[6 + column] = 0.5 * (g0 - g1 + g2)
                        rows[9 + column] = g2
                    }
                    for i in 0..<4 {
                        let a = rows[3 * i], b = rows[3 * i + 1], c = rows[3 * i + 2]
                        out[(4 * i) * pairs + pair] = Float(a)
                        out[(4 * i + 1) * pairs + pair] = Float(0.5 * (a + b + c))
                        out[(4 * i + 2) * pairs + pair] = Float(0.5 * (a - b + c))
                        out[(4 * i + 3) * pairs + pair] = Float(c)
                    }
                }
            }
        }
        transformed = u
    }

    /// y = act(conv3×3(x) + bias [+ residual]) for `input` [N, H, W, Cin] → `output` [N, Ho, Wo, Cout].
    func forward(
        _ input: UnsafePointer<Float>, shape: FeatureMapShape, output: UnsafeMutablePointer<Float>,
        outShape: FeatureMapShape, bias: [Float], residual: UnsafePointer<Float>?, activation: Activation,
        padding: PaddingRule, arena: ActivationArena
    ) {
        let top = padding.resolve(input: shape.height, kernel: 3, stride: 1).leading
        let left = padding.resolve(input: shape.width, kernel: 3, stride: 1).leading
        let tilesDown = (outShape.height + 1) / 2, tilesAcross = (outShape.width + 1) / 2
        let tilesPerImage = tilesDown * tilesAcross
        let totalTiles = shape.batch * tilesPerImage
        let chunkTiles = max(16, (8 << 20) / (4 * 16 * (inputChannels + outputChannels)))
        let scratch = arena.scratch(count: 16 * chunkTiles * (inputChannels + outputChannels))
        let cin = inputChannels, cout = outputChannels
        let geometry = WinogradTiles(input: shape, output: outShape, top: top, left: left,
                                     tilesAcross: tilesAcross, tilesPerImage: tilesPerImage)
        transformed.withUnsafeBufferPointer { uBuffer in
            bias.withUnsafeBufferPointer { biasBuffer in
                guard let u = uBuffer.baseAddress, let biasBase = biasBuffer.baseAddress else { return }
                var first = 0
                while first < totalTiles {
                    let count = min(chunkTiles, totalTiles - first)
                    let v = scratch, m = scratch + 16 * chunkTiles * cin
                    parallelChunks(count) { tiles in
                        for tile in tiles { geometry.transformInput(input, tile: first + tile, into: v + tile * cin, stride: chunkTiles * cin, channels: cin) }
                    }
                    for position in 0..<16 {
                        gemm(.none, .none, m: count, n: cout, k: cin,
                             a: v + position * chunkTiles * cin, lda: cin,
                             b: u + position * cin * cout, ldb: cout,
                             c: m + position * chunkTiles * cout, ldc: cout)
                    }
                    parallelChunks(count) { tiles in
                        for tile in tiles {
                            geometry.transformOutput(m + tile * cout, stride: chunkTiles * cout, tile: first + tile, channels: cout,
                                                     bias: biasBase, residual: residual, activation: activation, destination: output)
                        }
                    }
                    first += count
                }
            }
        }
    }
}

/// Tile addressing and the input/output transforms of F(2,3), SIMD over eight channels.
struct WinogradTiles {
    let input: FeatureMapShape
    let output: FeatureMapShape
    let top: Int
    let left: Int
    let tilesAcross: Int
    let tilesPerImage: Int

    /// V[ξ][tile][c] = (Bᵀ d B)[ξ] for the 4×4 window of `tile`; position ξ is `stride` floats apart.
    func transformInput(_ source: UnsafePointer<Float>, tile: Int, into destination: UnsafeMutablePointer<Float>,
                        stride: Int, channels: Int) {
        let image = tile / tilesPerImage, within = tile % tilesPerImage
        let y0 = 2 * (within / tilesAcross) - top, x0 = 2 * (within % tilesAcross) - left
        let imageBase = source + image * input.height * input.width * channels
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 32) { scratch in
        guard let d = scratch.baseAddress else { return }
        let t = d + 16
        var channel = 0
        while channel < channels {
            d.update(repeating: .zero, count: 16)
            for i in 0..<4 {
                let y = y0 + i
                if y < 0 || y >= input.height { continue }
                for j in 0..<4 {
                    let x = x0 + j
                    if x < 0 || x >= input.width { continue }
                    d[i * 4 + j] = load8(imageBase + (y * input.width + x) * channels + channel)
                }
            }
            // Rows: t = Bᵀ d.
            for j in 0..<4 {
                t[0 + j] = d[0 + j] - d[8 + j]
                t[4 + j] = d[4 + j] + d[8 + j]
                t[8 + j] = d[8 + j] - d[4 + j]
                t[12 + j] = d[4 + j] - d[12 + j]
            }
            // Columns: V = t B.
            for i in 0..<4 {
                let row = i * 4
                store8(t[row] - t[row + 2], destination + (row + 0) * stride + channel)
                store8(t[row + 1] + t[row + 2], destination + (row + 1) * stride + channel)
                store8(t[row + 2] - t[row + 1], destination + (row + 2) * stride + channel)
                store8(t[row + 1] - t[row + 3], destination + (row + 3) * stride + channel)
            }
            channel += 8
        }
        }
    }

    /// Y = Aᵀ M A for `tile`, then bias, residual and activation, written where the tile lies inside the output.
    func transformOutput(_ m: UnsafePointer<Float>, stride: Int, tile: Int, channels: Int, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, activation: Activation, destination: UnsafeMutablePointer<Float>) {
        let image = tile / tilesPerImage, within = tile % tilesPerImage
        let oy0 = 2 * (within / tilesAcross), ox0 = 2 * (within % tilesAcross)
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 8) { scratch in
        guard let r = scratch.baseAddress else { return }   // Aᵀ M: 2×4
        var channel = 0
        while channel < channels {
            for j in 0..<4 {
                let m0 = load8(m + j * stride + channel), m1 = load8(m + (4 + j) * stride + channel)
                let m2 = load8(m + (8 + j) * stride + channel), m3 = load8(m + (12 + j) * stride + channel)
                r[j] = m0 + m1 + m2
                r[4 + j] = m1 - m2 - m3
            }
            let b = load8(bias + channel)
            for i in 0..<2 {
                let oy = oy0 + i
                if oy >= output.height { continue }
                let row = i * 4
                let first = r[row] + r[row + 1] + r[row + 2], second = r[row + 1] - r[row + 2] - r[row + 3]
                for j in 0..<2 {
                    let ox = ox0 + j
                    if ox >= output.width { continue }
                    let offset = ((image * output.height + oy) * output.width + ox) * channels + channel
                    var value = (j == 0 ? first : second) + b
                    if let residual { value += load8(residual + offset) }
                    store8(activate8(value, activation), destination + offset)
                }
            }
            channel += 8
        }
        }
    }
}
