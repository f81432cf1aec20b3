import Foundation
import Tensor

/// A dense 2-D convolution on NHWC activations with BN folded in and the activation fused.
///
/// Weights are stored [kH, kW, Cin, Cout] so that an im2col patch row (kH·kW·Cin values, NHWC order)
/// times the weight matrix gives one output pixel. 1×1 stride-1 convs skip im2col (the input is already
/// the patch matrix); k×k convs read their windows in place (the packed engine; the stems, with Cin = 3, from
/// window strips, `WindowStrips.swift`) or build patch rows in tiles (OpenBLAS); stride-1 3×3 convs may use Winograd.
///
/// Two GEMM engines sit behind `forward`: the packed micro-kernel (`PackedGEMM`: weights packed once at load,
/// input windows read in place, output pass in registers; panels of 64 columns, or 48/32/16 for narrow
/// outputs), and OpenBLAS through the BLAS seam with `ANIMEPOP_CONV_GEMM=openblas` (which the `vision` bench
/// uses to compare them).
public struct Convolution: Sendable {
    /// Cin.
    public let inputChannels: Int
    /// Cout.
    public let outputChannels: Int
    /// kH = kW.
    public let kernel: Int
    /// Stride along both axes.
    public let stride: Int
    /// Padding rule.
    public let padding: PaddingRule
    /// Nonlinearity applied after bias (and residual).
    public let activation: Activation
    /// [kH, kW, Cin, Cout].
    let weights: [Float]
    /// [Cout].
    let bias: [Float]
    /// Winograd-transformed weights when this conv runs through Winograd.
    var winograd: WinogradWeights?
    /// A finer Winograd variant's weights for maps on which `winograd` has too few tiles (see `usingWinograd`).
    var winogradFallback: WinogradWeights?
    /// The weights packed for the micro-kernel, or nil where OpenBLAS runs this conv.
    let panels: PackedPanels?
    /// The packed GEMM's reduction blocks: per tap and channel slice where windows are read in place (Cin ≥ 16;
    /// also every 1×1 conv, in slices of `ReductionBlock.pointwiseDepth`), else over whole windows (the window strips' runs, or OpenBLAS's im2col patch rows).
    let reductionBlocks: [ReductionBlock]

    /// Which engine runs dense convolutions: the packed micro-kernel unless `ANIMEPOP_CONV_GEMM=openblas`.
    public static let packedEngine = ProcessInfo.processInfo.environment["ANIMEPOP_CONV_GEMM"] != "openblas"

    /// One line on which engine runs dense convolutions here (for `animepop doctor`).
    public static var engineDescription: String {
        packedEngine ? "packed 6×64 micro-kernel (6×48/32/16 for narrow layers; weights packed at load); ANIMEPOP_CONV_GEMM=openblas switches"
            : "OpenBLAS (ANIMEPOP_CONV_GEMM=openblas)"
    }

    /// A conv from engine-layout weights ([kH, kW, Cin, Cout]) and bias ([Cout]); `packed` picks the GEMM engine
    /// (the packed micro-kernel unless `ANIMEPOP_CONV_GEMM=openblas`; tests run both).
    public init(
        inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int, padding: PaddingRule,
        activation: Activation, weights: [Float], bias: [Float], packed: Bool = Convolution.packedEngine
    ) {
        precondition(weights.count == kernel * kernel * inputChannels * outputChannels && bias.count == outputChannels,
                     "convolution weights do not match their declared shape")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.weights = weights
        self.bias = bias
        let stripWeights = packed && Convolution.readsStrips(kernel: kernel, inputChannels: inputChannels)
            ? WindowGeometry.reorderedForStrips(weights, kernel: kernel, inputChannels: inputChannels, outputChannels: outputChannels)
            : weights
        panels = packed ? PackedPanels(stripWeights, depth: kernel * kernel * inputChannels, columns: outputChannels) : nil
        reductionBlocks = kernel == 1 ? ReductionBlock.convolution(kernel: 1, channels: inputChannels, maxDepth: ReductionBlock.pointwiseDepth)
            : inputChannels >= 16 ? ReductionBlock.convolution(kernel: kernel, channels: inputChannels)
            : ReductionBlock.convolution(kernel: 1, channels: kernel * kernel * inputChannels)
    }

    /// Whether `forward` may write its output over its residual: the packed GEMM and the Winograd output transform
    /// read each residual element just before writing the same element (OpenBLAS's path starts the output as the bias).
    /// A residual block that does so reads its identity's lines and writes them back, where writing a separate output
    /// first fetches that output's lines too (`ResNet50`'s 1×1 convs 1–7% faster, passes alternating in one process).
    public var addsResidualInPlace: Bool { panels != nil }

    /// Whether the packed engine reads this conv's windows from window strips (k×k with Cin < 16: the stems; `WindowStrips.swift`).
    static func readsStrips(kernel: Int, inputChannels: Int) -> Bool { kernel > 1 && inputChannels < 16 }

    /// Whether Winograd applies (3×3, stride 1, channel counts multiples of 8).
    public var supportsWinograd: Bool { kernel == 3 && stride == 1 && inputChannels % 8 == 0 && outputChannels % 8 == 0 }

    /// This conv switched to the Winograd `variant` (nil: back to im2col + GEMM); a no-op when Winograd does not apply.
    /// Inputs with fewer than `minimumTiles` output tiles run through the `fallback` variant where that has enough
    /// (F(2,3)'s 2×2 tiles are four times as many as F(4,3)'s), else through im2col + GEMM. ResNet-50's layer4 at batch 1
    /// (7×7 maps, 512 channels: 4 F(4,3) tiles, 16 F(2,3) ones) takes F(2,3): its U (16 × Cin × Cout floats, 16.8 MB) is
    /// 1.8× the direct weights, yet its products take 2.25× fewer multiplications. Passes alternating in one process
    /// (AMD EPYC Zen 4, 2 threads, 2026-12-08, F(4,3) network, batch 1), layer4:
    /// - 8.16 → 7.64, 8.37 → 7.71, 8.80 → 7.85, 7.96 → 7.34 ms: 3.2–10.8% less time in 7 of 8 rounds (8.16 → 8.23 in one);
    /// - a later run 3.4–10.1% less in all 10 (8.21 → 7.38, 7.90 → 7.36), the whole pass 0.92–1.01 of the time before;
    /// - a run while the machine ran 25% slow: mixed (±3%).
    /// The fallback keeps a second set of transformed weights (33.5 MB for layer4).
    public func usingWinograd(
        _ variant: WinogradVariant?, minimumTiles: Int = WinogradVariant.defaultMinimumTiles, fallback: WinogradVariant? = nil
    ) -> Convolution {
        var copy = self
        func weights(_ variant: WinogradVariant?) -> WinogradWeights? {
            variant.flatMap { variant in
                supportsWinograd
                    ? WinogradWeights(weights: self.weights, inputChannels: inputChannels, outputChannels: outputChannels, variant: variant,
                                      minimumTiles: minimumTiles, packed: panels != nil)
                    : nil
            }
        }
        copy.winograd = weights(variant)
        copy.winogradFallback = variant == nil ? nil : weights(fallback)
        return copy
    }

    /// The Winograd weights that run a conv to `outShape`: the variant's where it has at least its minimum of tiles, else
    /// the fallback's where that has; nil for im2col + GEMM.
    func winogradWeights(for outShape: FeatureMapShape) -> WinogradWeights? {
        if let winograd, winograd.worthwhile(tiles: winograd.tileCount(outShape)) { return winograd }
        if let winogradFallback, winogradFallback.worthwhile(tiles: winogradFallback.tileCount(outShape)) { return winogradFallback }
        return nil
    }

    /// The output shape for an input shape.
    public func outputShape(_ input: FeatureMapShape) -> FeatureMapShape {
        let rows = padding.resolve(input: input.height, kernel: kernel, stride: stride)
        let columns = padding.resolve(input: input.width, kernel: kernel, stride: stride)
        return FeatureMapShape(batch: input.batch, height: rows.output, width: columns.output, channels: outputChannels)
    }

    /// FLOPs of one forward pass producing `outShape`: 2 × multiply-adds of the direct convolution.
    public func flops(_ outShape: FeatureMapShape) -> Double {
        2 * Double(outShape.pixels) * Double(outputChannels * kernel * kernel * inputChannels)
    }

    /// y = act(conv(x) + bias [+ residual]).
    /// - Parameters:
    ///   - input: x, [N, H, W, Cin].
    ///   - output: y, [N, Ho, Wo, Cout]; must not alias `input`. It may be `residual` itself where
    ///     `addsResidualInPlace` holds.
    ///   - residual: optional [N, Ho, Wo, Cout] added before the activation.
    ///   - arena: supplies scratch space.
    /// - Returns: the output shape.
    @discardableResult
    public func forward(
        _ input: UnsafePointer<Float>, shape: FeatureMapShape, output: UnsafeMutablePointer<Float>,
        residual: UnsafePointer<Float>? = nil, arena: ActivationArena
    ) -> FeatureMapShape {
        let outShape = outputShape(shape)
        if let winograd = winogradWeights(for: outShape) {
            winograd.forward(input, shape: shape, output: output, outShape: outShape, bias: bias,
                             residual: residual, activation: activation, padding: padding, arena: arena)
        } else if let panels {
            forwardPacked(input, shape: shape, outShape: outShape, panels: panels, output: output, residual: residual, arena: arena)
        } else if kernel == 1 && stride == 1 {
            forwardPointwise(input, pixels: shape.pixels, output: output, residual: residual)
        } else {
            forwardIm2col(input, shape: shape, outShape: outShape, output: output, residual: residual, arena: arena)
        }
        return outShape
    }

    /// Bytes of one GEMM row tile (patch rows for im2col, output rows for 1×1). Each GEMM call re-packs the
    /// weights, so tiles must be tall enough to amortize that (≥ 256 rows) yet stay near the L2/L3 caches:
    /// 4 MiB by default; `ANIMEPOP_CONV_TILE_BYTES` overrides it for tuning.
    static let tileBytes: Int = ProcessInfo.processInfo.environment["ANIMEPOP_CONV_TILE_BYTES"].flatMap(Int.init) ?? (4 << 20)

    /// Window strips per chunk of a narrow-input conv (the stem), per worker: 256 KiB, which stays in L2 between
    /// `fillStrips` and the GEMM that reads it. Against filling all of a pass's strips (2.2 MB per image at 224²) in one
    /// parallel region and then running one GEMM over them, passes alternating in one process (AMD EPYC Zen 4, 1 MiB L2,
    /// 2 threads): ResNet-50's stem 1.271 → 1.226 and 1.367 → 1.208 ms per image at batch 1, 1.247 → 1.166 and
    /// 1.258 → 1.169 at batch 8; 128 and 512 KiB measured the same as 256 within the noise.
    static let stemChunkBytes = 256 << 10

    /// The micro-kernel path: 1×1 stride-1 convs read the input as the patch matrix; k×k convs with at least 16
    /// input channels read their windows in place; narrower ones (the stems, Cin = 3) read them from window strips,
    /// a chunk of output rows at a time.
    private func forwardPacked(
        _ input: UnsafePointer<Float>, shape: FeatureMapShape, outShape: FeatureMapShape, panels: PackedPanels,
        output: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, arena: ActivationArena
    ) {
        bias.withUnsafeBufferPointer { biasBuffer in
            guard let biasBase = biasBuffer.baseAddress else { return }
            if kernel == 1 && stride == 1 {
                packedGEMM(MatrixRows(base: input, stride: inputChannels), m: shape.pixels, blocks: reductionBlocks, panels: panels,
                           output: output, bias: biasBase, residual: residual, activation: activation)
                return
            }
            let top = padding.resolve(input: shape.height, kernel: kernel, stride: stride).leading
            let left = padding.resolve(input: shape.width, kernel: kernel, stride: stride).leading
            if inputChannels >= 16 {
                let origins = WindowOrigins(inShape: shape, outShape: outShape, stride: stride, top: top, left: left)
                let windows = WindowRows(input: input, inShape: shape, origins: origins)
                packedGEMM(windows, m: outShape.pixels, blocks: reductionBlocks, panels: panels, output: output, bias: biasBase,
                           residual: residual, activation: activation)
                return
            }
            let strips = WindowGeometry(input: shape, output: outShape, kernel: kernel, stride: stride, top: top, left: left)
            let outputRows = outShape.batch * outShape.height
            // Each worker fills the strips of its own output rows a chunk at a time and runs the GEMM on them right
            // away, so the strips stay in its L2 (see `stemChunkBytes`).
            let workers = min(engineWorkers(), outputRows)
            let chunkRows = max(1, min(outputRows, Convolution.stemChunkBytes / (4 * strips.stripLength)))
            let buffer = arena.scratch(count: workers * chunkRows * strips.stripLength)
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: chunkRows * outShape.width)
            defer { offsets.deallocate() }
            strips.stripOffsets(offsets, strips: chunkRows)
            parallelShares(outputRows) { worker, share in
                let own = buffer + worker * chunkRows * strips.stripLength
                var first = share.lowerBound
                while first < share.upperBound {
                    let rows = first..<min(share.upperBound, first + chunkRows)
                    strips.fillStrips(own, from: input, rows: rows)
                    let start = first * outShape.width
                    SerialScope.run {
                        packedGEMM(StripRows(strips: own, offsets: offsets), m: rows.count * outShape.width, blocks: reductionBlocks,
                                   panels: panels, output: output + start * outputChannels, bias: biasBase,
                                   residual: residual.map { $0 + start * outputChannels }, activation: activation)
                    }
                    first = rows.upperBound
                }
            }
        }
    }

    private func forwardPointwise(
        _ input: UnsafePointer<Float>, pixels: Int, output: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?
    ) {
        let tileRows = max(512, Convolution.tileBytes / (4 * max(outputChannels, inputChannels)))
        weights.withUnsafeBufferPointer { weightBuffer in
            bias.withUnsafeBufferPointer { biasBuffer in
                guard let weightBase = weightBuffer.baseAddress, let biasBase = biasBuffer.baseAddress else { return }
                var start = 0
                while start < pixels {
                    let rows = min(tileRows, pixels - start)
                    openBLASProduct(input + start * inputChannels, rows: rows, depth: inputChannels, weights: weightBase, bias: biasBase,
                                    output: output + start * outputChannels, residual: residual.map { $0 + start * outputChannels })
                    start += rows
                }
            }
        }
    }

    private func forwardIm2col(
        _ input: UnsafePointer<Float>, shape: FeatureMapShape, outShape: FeatureMapShape,
        output: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, arena: ActivationArena
    ) {
        let patchLength = kernel * kernel * inputChannels
        weights.withUnsafeBufferPointer { weightBuffer in
            bias.withUnsafeBufferPointer { biasBuffer in
                guard let weightBase = weightBuffer.baseAddress, let biasBase = biasBuffer.baseAddress else { return }
                forEachPatchTile(input, shape: shape, outShape: outShape, minimumRows: 256, arena: arena) { patches, start, rows in
                    openBLASProduct(patches, rows: rows, depth: patchLength, weights: weightBase, bias: biasBase,
                                    output: output + start * outputChannels, residual: residual.map { $0 + start * outputChannels })
                }
            }
        }
    }

    /// The im2col patch matrix in tiles (at least `minimumRows` rows, a multiple of 6, about `tileBytes` each):
    /// each tile is built in the arena's scratch, then `multiply(patches, firstRow, rows)` turns it into output rows.
    private func forEachPatchTile(
        _ input: UnsafePointer<Float>, shape: FeatureMapShape, outShape: FeatureMapShape, minimumRows: Int, arena: ActivationArena,
        _ multiply: (_ patches: UnsafePointer<Float>, _ firstRow: Int, _ rows: Int) -> Void
    ) {
        let patchLength = kernel * kernel * inputChannels
        let tileRows = max(minimumRows, Convolution.tileBytes / (4 * patchLength)) / 6 * 6
        let patches = arena.scratch(count: tileRows * patchLength)
        let top = padding.resolve(input: shape.height, kernel: kernel, stride: stride).leading
        let left = padding.resolve(input: shape.width, kernel: kernel, stride: stride).leading
        let geometry = WindowGeometry(input: shape, output: outShape, kernel: kernel, stride: stride, top: top, left: left)
        var start = 0
        while start < outShape.pixels {
            let rows = min(tileRows, outShape.pixels - start)
            parallelChunks(rows) { part in
                geometry.fillPatches(patches + part.lowerBound * patchLength, from: input, firstRow: start + part.lowerBound, rows: part.count)
            }
            multiply(patches, start, rows)
            start += rows
        }
    }
}

extension Convolution {
    /// y = act(x · W + bias [+ residual]) for `rows` rows of x (`depth` wide) through OpenBLAS: the rows start as the
    /// bias and the product accumulates onto them (β = 1), then residual and activation in one pass where needed.
    /// The bias fill and the output pass are split over the BLAS threads, as the product is.
    fileprivate func openBLASProduct(
        _ x: UnsafePointer<Float>, rows: Int, depth: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?
    ) {
        let channels = outputChannels, activation = activation
        parallelChunks(rows) { part in
            fillRows(output + part.lowerBound * channels, rows: part.count, channels: channels, bias: bias)
        }
        gemm(.none, .none, m: rows, n: channels, k: depth, a: x, lda: depth, b: weights, ldb: channels,
             beta: 1, c: output, ldc: channels)
        guard residual != nil || activation != .identity else { return }
        parallelChunks(rows) { part in
            finishRows(output + part.lowerBound * channels, rows: part.count, channels: channels,
                       residual: residual.map { $0 + part.lowerBound * channels }, activation: activation)
        }
    }
}

/// Where each output pixel's window lies: output pixel (n, oy, ox) ← the input window at (oy·stride − top,
/// ox·stride − left), kH×kW×Cin values, zeros outside the image. Fills im2col patch rows here and window strips in
/// `WindowStrips.swift`.
struct WindowGeometry {
    let input: FeatureMapShape
    let output: FeatureMapShape
    let kernel: Int
    let stride: Int
    let top: Int
    let left: Int

    /// Writes im2col patch rows [firstRow, firstRow + rows) into `patches` (rows × kH·kW·Cin, NHWC order).
    func fillPatches(_ patches: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>, firstRow: Int, rows: Int) {
        let channels = input.channels
        let patchLength = kernel * kernel * channels
        let perImage = output.height * output.width
        for row in 0..<rows {
            let pixel = firstRow + row
            let image = pixel / perImage
            let within = pixel - image * perImage
            let oy = within / output.width, ox = within - (within / output.width) * output.width
            let destinationRow = patches + row * patchLength
            let imageBase = source + image * input.height * input.width * channels
            for ky in 0..<kernel {
                let iy = oy * stride - top + ky
                let destination = destinationRow + ky * kernel * channels
                if iy < 0 || iy >= input.height {
                    destination.update(repeating: 0, count: kernel * channels)
                    continue
                }
                let x0 = ox * stride - left
                if x0 >= 0 && x0 + kernel <= input.width {
                    destination.update(from: imageBase + (iy * input.width + x0) * channels, count: kernel * channels)
                } else {
                    for kx in 0..<kernel {
                        let ix = x0 + kx
                        if ix < 0 || ix >= input.width {
                            (destination + kx * channels).update(repeating: 0, count: channels)
                        } else {
                            (destination + kx * channels).update(from: imageBase + (iy * input.width + ix) * channels, count: channels)
                        }
                    }
                }
            }
        }
    }
}
