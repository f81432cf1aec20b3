import Foundation
import Tensor

/// Winograd minimal filtering F(m×m, 3×3) for stride-1 3×3 convs (Lavin & Gray 2015, "Fast Algorithms for
/// Convolutional Neural Networks"): each m×m output tile comes from an α×α input tile d (α = m + 2) as
///   Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A.
/// Over channels the elementwise product becomes α² GEMMs, M[ξ] (T×Cout) = V[ξ] (T×Cin) · U[ξ] (Cin×Cout),
/// for ξ the α² transform positions and T the tiles: 2.25× (F(2,3)) or 4× (F(4,3)) fewer multiplications
/// than im2col. F(4,3) loses a little more precision (its transforms have entries up to 8); both stay far
/// inside the 2e-2 tolerance (tests).
public enum WinogradVariant: Sendable, Equatable {
    /// F(2×2, 3×3): 4×4 tiles.
    case f2x3
    /// F(4×4, 3×3): 6×6 tiles.
    case f4x3

    /// Fewest output tiles for which networks use Winograd: 16. Measured in ResNet-50 (2 threads, weights cold as in a real pass):
    /// layer4's 3×3 at batch 1 (4 F(4,3) tiles) takes 2.25 ms with Winograd against 1.45 ms direct, while
    /// layer3's at batch 1 (16 tiles) takes 0.88 against 1.07 and layer4's at batch 4 (16 tiles) 1.46 against 1.73.
    /// The whole network at batch 1 went from 29.2 to 30.9 images/s with F(4,3) when layer4 switched back.
    public static let defaultMinimumTiles = 16

    /// m: output tile side.
    var outputTile: Int { self == .f2x3 ? 2 : 4 }
    /// α = m + 2: input tile side.
    var inputTile: Int { outputTile + 2 }

    /// Bᵀ, α×α row-major.
    var inputTransform: [Float] {
        switch self {
        case .f2x3: [1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1]
        case .f4x3: [4, 0, -5, 0, 1, 0,
                     0, -4, -4, 1, 1, 0,
                     0, 4, -4, -1, 1, 0,
                     0, -2, -1, 2, 1, 0,
                     0, 2, -1, -2, 1, 0,
                     0, 4, 0, -5, 0, 1]
        }
    }

    /// G, α×3 row-major.
    var kernelTransform: [Double] {
        switch self {
        case .f2x3: [1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1]
        case .f4x3: [1.0 / 4, 0, 0,
                     -1.0 / 6, -1.0 / 6, -1.0 / 6,
                     -1.0 / 6, 1.0 / 6, -1.0 / 6,
                     1.0 / 24, 1.0 / 12, 1.0 / 6,
                     1.0 / 24, -1.0 / 12, 1.0 / 6,
                     0, 0, 1]
        }
    }

    /// Aᵀ, m×α row-major.
    var outputTransform: [Float] {
        switch self {
        case .f2x3: [1, 1, 1, 0, 0, 1, -1, -1]
        case .f4x3: [1, 1, 1, 1, 1, 0,
                     0, 1, -1, 2, -2, 0,
                     0, 1, 1, 4, 4, 0,
                     0, 1, -1, 8, -8, 1]
        }
    }
}

/// Transformed weights and the forward pass of one Winograd conv.
struct WinogradWeights: Sendable {
    let variant: WinogradVariant
    /// Below this many tiles the conv runs through im2col + GEMM instead (see `worthwhile`).
    let minimumTiles: Int
    let inputChannels: Int
    let outputChannels: Int
    /// U, [α²][Cin][Cout], for the OpenBLAS GEMMs; empty when `panels` holds it.
    let transformed: [Float]
    /// U[ξ] packed for the micro-kernel, one per position ξ; nil where OpenBLAS runs the α² GEMMs.
    let panels: [PackedPanels]?
    /// The packed products' reduction blocks (over Cin).
    let reductionBlocks: [ReductionBlock]

    /// Transforms engine-layout 3×3 weights [3, 3, Cin, Cout] into U = G g Gᵀ (computed in Double), packed for the
    /// micro-kernel when `packed`, else kept for OpenBLAS.
    init(weights: [Float], inputChannels: Int, outputChannels: Int, variant: WinogradVariant, minimumTiles: Int, packed: Bool) {
        self.variant = variant
        self.minimumTiles = minimumTiles
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        let alpha = variant.inputTile, g = variant.kernelTransform
        let pairs = inputChannels * outputChannels
        var u = [Float](repeating: 0, count: alpha * alpha * pairs)
        weights.withUnsafeBufferPointer { kernel in
            u.withUnsafeMutableBufferPointer { out in
                // pair = input · Cout + output indexes both layouts: kernel[tap · pairs + pair], U[ξ · pairs + pair].
                var left = [Double](repeating: 0, count: alpha * 3)          // G g: α×3, reused
                for pair in 0..<pairs {
                    for row in 0..<alpha {
                        for column in 0..<3 {
                            var sum = 0.0
                            for k in 0..<3 { sum += g[row * 3 + k] * Double(kernel[(k * 3 + column) * pairs + pair]) }
                            left[row * 3 + column] = sum
                        }
                    }
                    for row in 0..<alpha {
                        for column in 0..<alpha {
                            var sum = 0.0
                            for k in 0..<3 { sum += left[row * 3 + k] * g[column * 3 + k] }
                            out[(row * alpha + column) * pairs + pair] = Float(sum)
                        }
                    }
                }
            }
        }
        panels = packed
            ? (0..<(alpha * alpha)).map { position in
                PackedPanels(Array(u[position * pairs..<(position + 1) * pairs]), depth: inputChannels, columns: outputChannels)
            } : nil
        transformed = panels == nil ? u : []
        reductionBlocks = ReductionBlock.convolution(kernel: 1, channels: inputChannels)
    }

    /// Output tiles of an output shape (all images).
    func tileCount(_ outShape: FeatureMapShape) -> Int {
        let m = variant.outputTile
        return outShape.batch * ((outShape.height + m - 1) / m) * ((outShape.width + m - 1) / m)
    }

    /// Whether Winograd pays off for `tiles` tiles: with few tiles (small maps, e.g. ResNet layer4 at batch 1)
    /// the transforms and the α² short GEMMs cost more than they save, and one direct GEMM is faster.
    func worthwhile(tiles: Int) -> Bool { tiles >= minimumTiles }

    /// y = act(conv3×3(x) + bias [+ residual]) for `input` [N, H, W, Cin] → `output` [N, Ho, Wo, Cout].
    func forward(
        _ input: UnsafePointer<Float>, shape: FeatureMapShape, output: UnsafeMutablePointer<Float>,
        outShape: FeatureMapShape, bias: [Float], residual: UnsafePointer<Float>?, activation: Activation,
        padding: PaddingRule, arena: ActivationArena
    ) {
        let m = variant.outputTile, positions = variant.inputTile * variant.inputTile
        let top = padding.resolve(input: shape.height, kernel: 3, stride: 1).leading
        let left = padding.resolve(input: shape.width, kernel: 3, stride: 1).leading
        let tilesDown = (outShape.height + m - 1) / m, tilesAcross = (outShape.width + m - 1) / m
        let tilesPerImage = tilesDown * tilesAcross
        let totalTiles = shape.batch * tilesPerImage
        // Tiles per chunk: V and M for a chunk (4·α²·tiles·(Cin + Cout) bytes) sized to stay in L2/L3.
        let chunkTiles = max(24, Self.chunkBytes / (4 * positions * (inputChannels + outputChannels))) / 6 * 6
        let scratch = arena.scratch(count: positions * chunkTiles * (inputChannels + outputChannels))
        let cin = inputChannels, cout = outputChannels
        let tiles = WinogradTiles(variant: variant, input: shape, output: outShape, top: top, left: left,
                                  tilesAcross: tilesAcross, tilesPerImage: tilesPerImage)
        let explicit = variant == .f4x3 && cin % 16 == 0 && cout % 16 == 0
        transformed.withUnsafeBufferPointer { uBuffer in
            bias.withUnsafeBufferPointer { biasBuffer in
                guard let biasBase = biasBuffer.baseAddress else { return }
                var first = 0
                while first < totalTiles {
                    let count = min(chunkTiles, totalTiles - first)
                    let v = scratch, product = scratch + positions * chunkTiles * cin
                    // Input transform of chunk tiles `part`: V[ξ][tile] for every position ξ.
                    func transformInputs(_ part: Range<Int>) {
                        let vectors = UnsafeMutablePointer<Lanes16>.allocate(capacity: 36)
                        defer { vectors.deallocate() }
                        for tile in part {
                            if explicit {
                                tiles.transformInputF43(input, tile: first + tile, into: v + tile * cin, stride: chunkTiles * cin, channels: cin,
                                                        scratch: vectors)
                            } else {
                                tiles.transformInput(input, tile: first + tile, into: v + tile * cin, stride: chunkTiles * cin, channels: cin)
                            }
                        }
                    }
                    // Output transform of chunk tiles `part`, with bias, residual and activation.
                    func transformOutputs(_ part: Range<Int>) {
                        let vectors = UnsafeMutablePointer<Lanes16>.allocate(capacity: 24)
                        defer { vectors.deallocate() }
                        for tile in part {
                            if explicit {
                                tiles.transformOutputF43(product + tile * cout, stride: chunkTiles * cout, tile: first + tile, channels: cout,
                                                         bias: biasBase, residual: residual, activation: activation, destination: output,
                                                         scratch: vectors)
                            } else {
                                tiles.transformOutput(product + tile * cout, stride: chunkTiles * cout, tile: first + tile, channels: cout,
                                                      bias: biasBase, residual: residual, activation: activation, destination: output)
                            }
                        }
                    }
                    // Unit `unit` of the products on the chunk's tiles from `firstTile` on: M[ξ] rows × one panel run.
                    func multiply(_ position: Int, from firstTile: Int, _ units: WorkUnits, _ unit: Int, _ panels: [PackedPanels]) {
                        let offset = position * chunkTiles + firstTile
                        gemmUnit(MatrixRows(base: v + offset * cin, stride: cin), rows: units.rows(unit), panels: units.panels(unit),
                                 blocks: reductionBlocks, panels: panels[position], output: product + offset * cout,
                                 bias: nil, residual: nil, activation: .identity)
                    }
                    let workers = engineWorkers()
                    if let panels, workers > 1, count >= 6 * workers, count * (cin + cout) >= cin * cout {
                        // Where U is no larger than V and M (layer1 of ResNet-50 at batch 1: 64 channels, 196 tiles), the
                        // threads split the tiles: each runs the input transform, the α² products and the output transform
                        // on its own tiles (row tiles of 6), so V and M never leave its core, in one region instead of
                        // three. Elsewhere (fewer tiles, wider channels) each thread takes half of the products, so that it
                        // reads half of U. Passes alternating in one process (AMD EPYC Zen 4, 2 threads, batch 1,
                        // 2026-12-07): ResNet-50 with F(4,3) 38.39 → 37.52, 38.50 → 37.46 and 37.92 → 37.08 ms per
                        // image where the machine ran slow (layer1's 3×3 convs 0.87–1.13 → 0.73–0.76 ms), the same within
                        // ±0.3% where it ran fast (32 ms); layer2's 49 tiles split the same way measured the same as now.
                        parallelShares(workers) { worker, _ in
                            func boundary(_ w: Int) -> Int { w == workers ? count : min(count, (count * w / workers + 3) / 6 * 6) }
                            let own = boundary(worker)..<boundary(worker + 1)
                            transformInputs(own)
                            SerialScope.run {
                                let units = WorkUnits(m: own.count, panels: panels[0])
                                for position in 0..<positions {
                                    for unit in 0..<units.count { multiply(position, from: own.lowerBound, units, unit, panels) }
                                }
                            }
                            transformOutputs(own)
                        }
                    } else {
                        parallelChunks(count) { transformInputs($0) }
                        if let panels {
                            // The α² products M[ξ] = V[ξ] · U[ξ] as one pool of (ξ, row block, panel run) work units.
                            let units = WorkUnits(m: count, panels: panels[0])
                            parallelChunks(positions * units.count) { chunk in
                                for unit in chunk { multiply(unit / units.count, from: 0, units, unit % units.count, panels) }
                            }
                        } else if let u = uBuffer.baseAddress {
                            for position in 0..<positions {
                                gemm(.none, .none, m: count, n: cout, k: cin,
                                     a: v + position * chunkTiles * cin, lda: cin,
                                     b: u + position * cin * cout, ldb: cout,
                                     c: product + position * chunkTiles * cout, ldc: cout)
                            }
                        }
                        parallelChunks(count) { transformOutputs($0) }
                    }
                    first += count
                }
            }
        }
    }

    /// Bytes of V and M per chunk of tiles (2 MiB by default; `ANIMEPOP_WINOGRAD_CHUNK_BYTES` overrides it for tuning).
    static let chunkBytes: Int = ProcessInfo.processInfo.environment["ANIMEPOP_WINOGRAD_CHUNK_BYTES"].flatMap(Int.init) ?? (2 << 20)
}

/// Tile addressing and the input/output transforms, SIMD over eight channels (channel counts are multiples of 8).
struct WinogradTiles {
    let variant: WinogradVariant
    let input: FeatureMapShape
    let output: FeatureMapShape
    let top: Int
    let left: Int
    let tilesAcross: Int
    let tilesPerImage: Int
    private let inputMatrix: [Float]
    private let outputMatrix: [Float]

    init(variant: WinogradVariant, input: FeatureMapShape, output: FeatureMapShape, top: Int, left: Int,
         tilesAcross: Int, tilesPerImage: Int) {
        self.variant = variant
        self.input = input
        self.output = output
        self.top = top
        self.left = left
        self.tilesAcross = tilesAcross
        self.tilesPerImage = tilesPerImage
        inputMatrix = variant.inputTransform
        outputMatrix = variant.outputTransform
    }

    /// V[ξ][tile][c] = (Bᵀ d B)[ξ] for the α×α window of `tile`; position ξ is `stride` floats apart.
    func transformInput(_ source: UnsafePointer<Float>, tile: Int, into destination: UnsafeMutablePointer<Float>,
                        stride: Int, channels: Int) {
        let alpha = variant.inputTile, m = variant.outputTile
        let image = tile / tilesPerImage, within = tile % tilesPerImage
        let y0 = m * (within / tilesAcross) - top, x0 = m * (within % tilesAcross) - left
        let imageBase = source + image * input.height * input.width * channels
        inputMatrix.withUnsafeBufferPointer { matrixBuffer in
            withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 2 * alpha * alpha) { scratch in
                guard let d = scratch.baseAddress, let bt = matrixBuffer.baseAddress else { return }
                let t = d + alpha * alpha
                var channel = 0
                while channel < channels {
                    for i in 0..<alpha {
                        let y = y0 + i
                        for j in 0..<alpha {
                            let x = x0 + j
                            d[i * alpha + j] = (y < 0 || y >= input.height || x < 0 || x >= input.width)
                                ? .zero : load8(imageBase + (y * input.width + x) * channels + channel)
                        }
                    }
                    // Rows: t = Bᵀ d (zero coefficients skipped).
                    for i in 0..<alpha {
                        for j in 0..<alpha {
                            var sum = SIMD8<Float>.zero
                            for k in 0..<alpha where bt[i * alpha + k] != 0 { sum += bt[i * alpha + k] * d[k * alpha + j] }
                            t[i * alpha + j] = sum
                        }
                    }
                    // Columns: V = t B, i.e. V[i][j] = Σₖ t[i][k] · Bᵀ[j][k].
                    for i in 0..<alpha {
                        for j in 0..<alpha {
                            var sum = SIMD8<Float>.zero
                            for k in 0..<alpha where bt[j * alpha + k] != 0 { sum += bt[j * alpha + k] * t[i * alpha + k] }
                            store8(sum, destination + (i * alpha + j) * stride + channel)
                        }
                    }
                    channel += 8
                }
            }
        }
    }

    /// Y = Aᵀ M A for `tile`, then bias, residual and activation, written where the tile lies inside the output.
    func transformOutput(_ product: UnsafePointer<Float>, stride: Int, tile: Int, channels: Int, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, activation: Activation, destination: UnsafeMutablePointer<Float>) {
        let alpha = variant.inputTile, m = variant.outputTile
        let image = tile / tilesPerImage, within = tile % tilesPerImage
        let oy0 = m * (within / tilesAcross), ox0 = m * (within % tilesAcross)
        outputMatrix.withUnsafeBufferPointer { matrixBuffer in
            withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: alpha * alpha + m * alpha) { scratch in
                guard let values = scratch.baseAddress, let at = matrixBuffer.baseAddress else { return }
                let rows = values + alpha * alpha                 // Aᵀ M: m×α
                var channel = 0
                while channel < channels {
                    for position in 0..<(alpha * alpha) { values[position] = load8(product + position * stride + channel) }
                    for i in 0..<m {
                        for j in 0..<alpha {
                            var sum = SIMD8<Float>.zero
                            for k in 0..<alpha where at[i * alpha + k] != 0 { sum += at[i * alpha + k] * values[k * alpha + j] }
                            rows[i * alpha + j] = sum
                        }
                    }
                    let b = load8(bias + channel)
                    for i in 0..<m {
                        let oy = oy0 + i
                        if oy >= output.height { continue }
                        for j in 0..<m {
                            let ox = ox0 + j
                            if ox >= output.width { continue }
                            var value = b
                            for k in 0..<alpha where at[j * alpha + k] != 0 { value += at[j * alpha + k] * rows[i * alpha + k] }
                            let offset = ((image * output.height + oy) * output.width + ox) * channels + channel
                            if let residual { value += load8(residual + offset) }
                            store8(activate8(value, activation), destination + offset)
                        }
                    }
                    channel += 8
                }
            }
        }
    }
}
