import Testing
@testable import Vision

/// The conv engine's kernels against direct textbook loops (the algorithmic reference, kept here in the tests).
@Suite("Conv engine against direct loops")
struct ConvolutionEngineTests {
    typealias Support = NetworkTestSupport

    /// Direct dense conv, NHWC, weights [k, k, Cin, Cout], explicit leading padding; then bias, residual, activation.
    static func directConvolution(
        _ x: [Float], _ shape: FeatureMapShape, weights: [Float], bias: [Float], outputChannels: Int, kernel: Int,
        stride: Int, outShape: FeatureMapShape, top: Int, left: Int, residual: [Float]? = nil, activation: Activation
    ) -> [Float] {
        var y = [Float](repeating: 0, count: outShape.count)
        for n in 0..<shape.batch {
            for oy in 0..<outShape.height {
                for ox in 0..<outShape.width {
                    for o in 0..<outputChannels {
                        var sum = Double(bias[o])
                        for ky in 0..<kernel {
                            for kx in 0..<kernel {
                                let iy = oy * stride - top + ky, ix = ox * stride - left + kx
                                guard iy >= 0, iy < shape.height, ix >= 0, ix < shape.width else { continue }
                                for c in 0..<shape.channels {
                                    sum += Double(x[((n * shape.height + iy) * shape.width + ix) * shape.channels + c])
                                        * Double(weights[((ky * kernel + kx) * shape.channels + c) * outputChannels + o])
                                }
                            }
                        }
                        let index = ((n * outShape.height + oy) * outShape.width + ox) * outputChannels + o
                        var value = Float(sum) + (residual?[index] ?? 0)
                        if activation == .relu { value = max(value, 0) }
                        if activation == .relu6 { value = min(max(value, 0), 6) }
                        y[index] = value
                    }
                }
            }
        }
        return y
    }

    static func random(_ count: Int, seed: UInt32) -> [Float] {
        SyntheticWeights.uniforms(key: "engine", seed: seed, count: count).map { 2 * $0 - 1 }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var kernel: Int, stride: Int, padding: PaddingRule, height: Int, width: Int, input: Int, output: Int
        var testDescription: String { "\(kernel)×\(kernel)/\(stride) \(padding) \(height)×\(width) \(input)→\(output)" }
    }

    /// Every case runs on both GEMM engines (the packed micro-kernel and OpenBLAS).
    @Test("dense conv (im2col + GEMM, 1×1 GEMM) equals the direct loop", arguments: [
        // Narrow outputs: panels of 16 (8, 16 columns), 32 (24, 32) and 48 (40) columns, partial where N is not a multiple.
        Case(kernel: 3, stride: 2, padding: .tensorFlowSame, height: 9, width: 8, input: 3, output: 8),
        Case(kernel: 7, stride: 2, padding: .symmetric(3), height: 11, width: 13, input: 3, output: 16),
        // Unpadded k3/s2 over an even width: the last input column lies in no window (window strips skip it).
        Case(kernel: 3, stride: 2, padding: .symmetric(0), height: 8, width: 8, input: 3, output: 16),
        Case(kernel: 1, stride: 1, padding: .symmetric(0), height: 5, width: 6, input: 24, output: 40),
        Case(kernel: 1, stride: 2, padding: .symmetric(0), height: 7, width: 7, input: 16, output: 32),
        Case(kernel: 3, stride: 1, padding: .symmetric(1), height: 7, width: 5, input: 16, output: 24),
        // Widths that fill 64-column panels run on the packed micro-kernel: windows read in place (Cin ≥ 16),
        // window strips (Cin < 16), a partial last panel (120 of 128), two channel slices per tap (Cin 320 > 256).
        Case(kernel: 3, stride: 1, padding: .symmetric(1), height: 9, width: 7, input: 32, output: 64),
        Case(kernel: 3, stride: 2, padding: .tensorFlowSame, height: 9, width: 8, input: 320, output: 120),
        Case(kernel: 7, stride: 2, padding: .symmetric(3), height: 11, width: 13, input: 3, output: 64),
        Case(kernel: 1, stride: 1, padding: .symmetric(0), height: 5, width: 6, input: 24, output: 128),
        Case(kernel: 1, stride: 2, padding: .symmetric(0), height: 7, width: 7, input: 32, output: 64),
        Case(kernel: 3, stride: 1, padding: .symmetric(1), height: 10, width: 11, input: 48, output: 64),
        // Enough tiles for so few channels (50 of F(4,3), 2 images) that threads split Winograd's tiles, not its products.
        Case(kernel: 3, stride: 1, padding: .symmetric(1), height: 20, width: 18, input: 16, output: 32),
        Case(kernel: 1, stride: 1, padding: .symmetric(0), height: 9, width: 9, input: 144, output: 80),
        Case(kernel: 1, stride: 1, padding: .symmetric(0), height: 6, width: 7, input: 40, output: 144),
    ], [true, false])
    func dense(_ c: Case, packed: Bool) {
        let shape = FeatureMapShape(batch: 2, height: c.height, width: c.width, channels: c.input)
        let weights = Self.random(c.kernel * c.kernel * c.input * c.output, seed: 1)
        let bias = Self.random(c.output, seed: 2)
        let x = Self.random(shape.count, seed: 3)
        let conv = Convolution(inputChannels: c.input, outputChannels: c.output, kernel: c.kernel, stride: c.stride,
                               padding: c.padding, activation: .relu6, weights: weights, bias: bias, packed: packed)
        let outShape = conv.outputShape(shape)
        let residual = Self.random(outShape.count, seed: 4)
        let top = c.padding.resolve(input: c.height, kernel: c.kernel, stride: c.stride).leading
        let left = c.padding.resolve(input: c.width, kernel: c.kernel, stride: c.stride).leading
        let expected = Self.directConvolution(x, shape, weights: weights, bias: bias, outputChannels: c.output, kernel: c.kernel,
                                              stride: c.stride, outShape: outShape, top: top, left: left,
                                              residual: residual, activation: .relu6)
        let arena = ActivationArena(slots: 1)
        #expect(conv.usingWinograd(.f4x3).winograd != nil || !(c.kernel == 3 && c.stride == 1), "Winograd must engage for 3×3/1")
        #expect(conv.usingWinograd(.f4x3, minimumTiles: 0).winograd?.worthwhile(tiles: 1) ?? true)
        #expect((conv.panels != nil) == packed && conv.addsResidualInPlace == packed)
        if let panels = conv.panels {
            #expect(panels.width == PackedPanels.width(for: c.output) && panels.count * panels.width >= c.output)
        }
        var outputs: [[Float]] = []
        for winograd in [nil, WinogradVariant.f2x3, .f4x3] where winograd == nil || conv.supportsWinograd {
            var y = [Float](repeating: .nan, count: outShape.count)
            x.withUnsafeBufferPointer { input in
                residual.withUnsafeBufferPointer { skip in
                    y.withUnsafeMutableBufferPointer { output in
                        guard let input = input.baseAddress, let skip = skip.baseAddress, let output = output.baseAddress else { return }
                        conv.usingWinograd(winograd, minimumTiles: 0).forward(input, shape: shape, output: output, residual: skip, arena: arena)
                    }
                }
            }
            if conv.addsResidualInPlace {
                // Written over its own residual, the output is the same, bit for bit.
                var z = residual
                x.withUnsafeBufferPointer { input in
                    z.withUnsafeMutableBufferPointer { sum in
                        guard let input = input.baseAddress, let sum = sum.baseAddress else { return }
                        conv.usingWinograd(winograd, minimumTiles: 0).forward(input, shape: shape, output: sum, residual: sum, arena: arena)
                    }
                }
                #expect(z == y, "winograd \(String(describing: winograd)): in place differs")
            }
            let error = Support.relativeError(y, expected)
            // fp32 rounding grows with the reduction depth (one running sum per output over up to 9·320 products here,
            // measured up to 8.4e-6) and with F(4,3)'s transform entries (up to 8).
            #expect(error <= (winograd == nil ? 2e-5 : 5e-5), "winograd \(String(describing: winograd)): relative error \(error)")
            outputs.append(y)
        }
        // The Winograd paths really ran: their rounding differs from im2col's somewhere.
        for other in outputs.dropFirst() { #expect(other != outputs[0], "Winograd output is bit-identical to im2col") }
    }

    /// C = relu(A·B + bias + residual) through `gemmUnit` for every group depth: one block at a time, the L1-sized groups
    /// that merge shallow blocks, and the 512-deep groups of one thread's GEMM (`serialGroupDepth`), on 64- and
    /// 16-column panels, with reduction blocks of uneven depth and a last tile of 1, 4 or 5 real rows (m = 13, 16, 17: the
    /// 2-, 4- and 6-row kernels); each a panel at a time and in runs of three panels (`WorkUnits`;
    /// the 5 panels of N = 80 make a run of three and a short run of two).
    @Test("grouped reduction blocks and panel runs: the same bits as one block and one panel at a time", arguments: [128, 80], [13, 16, 17])
    func groupedReduction(columns: Int, m: Int) {
        let k = 1000
        let a = Self.random(m * k, seed: 5), b = Self.random(k * columns, seed: 6)
        let bias = Self.random(columns, seed: 7), residual = Self.random(m * columns, seed: 8)
        // 64 wide for N = 128 and 16 for N = 80 on every machine, so both kernels and the short tiles run here too.
        let panels = PackedPanels(b, depth: k, columns: columns, width: PackedPanels.width(for: columns, wideRegisters: true))
        // Blocks of 125 (k split eight ways by the 128 limit), then a shallow split (40 taps of 25) that groups merge.
        let blockings = [ReductionBlock.convolution(kernel: 1, channels: k), ReductionBlock.convolution(kernel: 1, channels: k, maxDepth: 25)]
        var expected = [Float](repeating: 0, count: m * columns)
        for row in 0..<m {
            for column in 0..<columns {
                var sum = Double(bias[column]) + Double(residual[row * columns + column])
                for index in 0..<k { sum += Double(a[row * k + index]) * Double(b[index * columns + column]) }
                expected[row * columns + column] = Float(max(sum, 0))
            }
        }
        var results: [[Float]] = []
        for blocks in blockings {
            for groupDepth in [1, ReductionBlock.defaultDepth, serialGroupDepth] {
                for run in [1, 3] {
                    var c = [Float](repeating: .nan, count: m * columns)
                    a.withUnsafeBufferPointer { aBuffer in
                        bias.withUnsafeBufferPointer { biasBuffer in
                            residual.withUnsafeBufferPointer { residualBuffer in
                                c.withUnsafeMutableBufferPointer { cBuffer in
                                    guard let aBase = aBuffer.baseAddress, let biasBase = biasBuffer.baseAddress,
                                          let residualBase = residualBuffer.baseAddress, let cBase = cBuffer.baseAddress else { return }
                                    for first in stride(from: 0, to: panels.count, by: run) {
                                        gemmUnit(MatrixRows(base: aBase, stride: k), rows: 0..<m, panels: first..<min(panels.count, first + run),
                                                 blocks: blocks, panels: panels, output: cBase, bias: biasBase, residual: residualBase,
                                                 activation: .relu, groupDepth: groupDepth)
                                    }
                                }
                            }
                        }
                    }
                    let error = Support.relativeError(c, expected)
                    #expect(error <= 5e-6, "blocks of \(blocks[0].depth), groups of \(groupDepth), runs of \(run): relative error \(error)")
                    results.append(c)
                }
            }
        }
        // Each tile starts from its addend (`TileStart`), so the grouping changes no rounding: every group depth gives the
        // same bits as one block at a time, the thing that keeps features independent of the thread count; and a tile's
        // sums do not depend on the run that its panel is in.
        #expect(results[1..<6].allSatisfy { $0 == results[0] }, "blocks of 125: a group depth or a run changed the rounding")
        #expect(results[7..<12].allSatisfy { $0 == results[6] }, "blocks of 25: a group depth or a run changed the rounding")
    }

    /// F(4,3) with an F(2,3) fallback (ResNet-50's layer4): each map runs on the first variant with at least 16 tiles,
    /// else on im2col + GEMM, and gives that path's bits. 14×14: 16 F(4,3) tiles; 7×7: 4 F(4,3) tiles, 16 F(2,3);
    /// 5×5: 9 F(2,3) tiles.
    @Test("F(4,3) falls back to F(2,3) on maps too small for it, and to im2col on maps too small for both", arguments: [true, false])
    func winogradFallback(packed: Bool) {
        let (cin, cout) = (32, 64)
        let conv = Convolution(inputChannels: cin, outputChannels: cout, kernel: 3, stride: 1, padding: .symmetric(1), activation: .relu,
                               weights: Self.random(9 * cin * cout, seed: 12), bias: Self.random(cout, seed: 13), packed: packed)
        let withFallback = conv.usingWinograd(.f4x3, fallback: .f2x3)
        let arena = ActivationArena(slots: 1)
        func run(_ conv: Convolution, side: Int) -> [Float] {
            let shape = FeatureMapShape(batch: 1, height: side, width: side, channels: cin)
            let x = Self.random(shape.count, seed: 14)
            var y = [Float](repeating: .nan, count: conv.outputShape(shape).count)
            x.withUnsafeBufferPointer { input in
                y.withUnsafeMutableBufferPointer { output in
                    guard let input = input.baseAddress, let output = output.baseAddress else { return }
                    conv.forward(input, shape: shape, output: output, arena: arena)
                }
            }
            return y
        }
        for (side, expected) in [(14, WinogradVariant.f4x3), (7, .f2x3), (5, nil)] as [(Int, WinogradVariant?)] {
            let y = run(withFallback, side: side)
            #expect(y == run(conv.usingWinograd(expected), side: side), "\(side)×\(side) should run on \(String(describing: expected))")
            for other in [WinogradVariant.f4x3, .f2x3, nil] where other != expected {
                #expect(y != run(conv.usingWinograd(other, minimumTiles: 0), side: side), "\(side)×\(side) ran on \(String(describing: other))")
            }
        }
        #expect(conv.usingWinograd(nil, fallback: .f2x3).winogradFallback == nil, "a fallback without a variant")
    }

    @Test("panel widths: 64 where it wastes at most an eighth of the lanes, else the width that pads least")
    func panelWidths() {
        let expected = [16: 16, 24: 32, 32: 32, 40: 48, 64: 64, 80: 16, 96: 48, 120: 64, 144: 48, 240: 64, 1152: 64]
        for (columns, width) in expected {
            #expect(PackedPanels.width(for: columns, wideRegisters: true) == width, "N = \(columns)")
            #expect(PackedPanels.width(for: columns, wideRegisters: false) == 16, "N = \(columns) without AVX-512")
        }
    }

    @Test("sysfs cache sizes: 32K, 1024K and 2M in bytes; anything else is not a size")
    func cacheSizeText() {
        #expect(cacheBytes("32K") == 32 << 10)
        #expect(cacheBytes("1024K") == 1 << 20)
        #expect(cacheBytes("2M") == 2 << 20)
        #expect(cacheBytes("49152") == 49152)
        #expect(cacheBytes("") == nil)
        #expect(cacheBytes("K") == nil)
        #expect(cacheBytes("32 KiB") == nil)
    }

    @Test("TF SAME padding: stride 2 pads 0 before and 1 after at 224; k5/s2 at 56 pads 1 and 2")
    func samePadding() {
        #expect(PaddingRule.tensorFlowSame.resolve(input: 224, kernel: 3, stride: 2) == (112, 0))
        #expect(PaddingRule.tensorFlowSame.resolve(input: 56, kernel: 5, stride: 2) == (28, 1))
        #expect(PaddingRule.tensorFlowSame.resolve(input: 57, kernel: 3, stride: 2) == (29, 1))
        #expect(PaddingRule.tensorFlowSame.resolve(input: 14, kernel: 5, stride: 1) == (14, 2))
        #expect(PaddingRule.symmetric(3).resolve(input: 224, kernel: 7, stride: 2) == (112, 3))
    }

    /// (kernel, stride, width, channels): narrow maps take the one-column path only; wider ones also the
    /// four-column interior path, with columns left over, and channels past a multiple of 16.
    @Test("depthwise conv (k3/k5, s1/s2, SAME) equals the direct loop",
          arguments: [(5, 2, 10, 20), (3, 1, 10, 20), (5, 1, 23, 48), (3, 2, 29, 36), (5, 2, 31, 32), (3, 1, 14, 16)])
    func depthwise(kernel: Int, stride: Int, width: Int, channels: Int) {
        let shape = FeatureMapShape(batch: 2, height: 9, width: width, channels: channels)
        let weights = Self.random(kernel * kernel * channels, seed: 5), bias = Self.random(channels, seed: 6)
        let x = Self.random(shape.count, seed: 7)
        let conv = DepthwiseConvolution(channels: channels, kernel: kernel, stride: stride, padding: .tensorFlowSame,
                                        activation: .relu, weights: weights, bias: bias)
        let outShape = conv.outputShape(shape)
        let top = PaddingRule.tensorFlowSame.resolve(input: 9, kernel: kernel, stride: stride).leading
        let left = PaddingRule.tensorFlowSame.resolve(input: width, kernel: kernel, stride: stride).leading
        var expected = [Float](repeating: 0, count: outShape.count)
        for n in 0..<2 { for oy in 0..<outShape.height { for ox in 0..<outShape.width { for c in 0..<channels {
            var sum = bias[c]
            for ky in 0..<kernel { for kx in 0..<kernel {
                let iy = oy * stride - top + ky, ix = ox * stride - left + kx
                if iy >= 0 && iy < 9 && ix >= 0 && ix < width {
                    sum += x[((n * 9 + iy) * width + ix) * channels + c] * weights[(ky * kernel + kx) * channels + c]
                }
            } }
            expected[((n * outShape.height + oy) * outShape.width + ox) * channels + c] = max(sum, 0)
        } } } }
        var y = [Float](repeating: .nan, count: outShape.count)
        x.withUnsafeBufferPointer { input in
            y.withUnsafeMutableBufferPointer { output in
                guard let input = input.baseAddress, let output = output.baseAddress else { return }
                conv.forward(input, shape: shape, output: output)
            }
        }
        #expect(Support.relativeError(y, expected) <= 1e-6)
    }

    @Test("max pool 3×3/2 pad 1 ignores padding; global average pool is the mean")
    func pooling() {
        let shape = FeatureMapShape(batch: 1, height: 4, width: 4, channels: 1)
        let x: [Float] = (0..<16).map { -Float($0) }          // all ≤ 0: zero padding would win if it were used
        var y = [Float](repeating: .nan, count: 4)
        var mean: [Float] = [.nan]
        x.withUnsafeBufferPointer { input in
            guard let input = input.baseAddress else { return }
            y.withUnsafeMutableBufferPointer { output in
                guard let output = output.baseAddress else { return }
                let out = Pooling.max(input, shape: shape, output: output, kernel: 3, stride: 2, padding: .symmetric(1))
                #expect(out == FeatureMapShape(batch: 1, height: 2, width: 2, channels: 1))
            }
            mean.withUnsafeMutableBufferPointer { output in
                guard let output = output.baseAddress else { return }
                Pooling.globalAverage(input, shape: shape, output: output)
            }
        }
        #expect(y == [0, -1, -4, -5])   // windows clipped to the image: max of the top-left 2×2, 2×3, 3×2, 3×3
        #expect(mean == [-7.5])
    }

    @Test("max pool and global average over 19 channels (a 16-lane vector and 3 more), 2 images of 5×7, against loops")
    func poolingVectors() {
        let shape = FeatureMapShape(batch: 2, height: 5, width: 7, channels: 19)
        let x = Self.random(shape.count, seed: 11)
        let outShape = Pooling.outputShape(shape, kernel: 3, stride: 2, padding: .symmetric(1))
        var expected = [Float](repeating: 0, count: outShape.count)
        for image in 0..<2 {
            for oy in 0..<outShape.height {
                for ox in 0..<outShape.width {
                    for channel in 0..<19 {
                        var maximum = -Float.infinity
                        for iy in (2 * oy - 1)...(2 * oy + 1) where iy >= 0 && iy < 5 {
                            for ix in (2 * ox - 1)...(2 * ox + 1) where ix >= 0 && ix < 7 {
                                maximum = max(maximum, x[((image * 5 + iy) * 7 + ix) * 19 + channel])
                            }
                        }
                        expected[((image * outShape.height + oy) * outShape.width + ox) * 19 + channel] = maximum
                    }
                }
            }
        }
        var means = [Float](repeating: 0, count: 2 * 19)
        for image in 0..<2 {
            for channel in 0..<19 {
                var sum = 0.0
                for pixel in 0..<35 { sum += Double(x[(image * 35 + pixel) * 19 + channel]) }
                means[image * 19 + channel] = Float(sum / 35)
            }
        }
        var y = [Float](repeating: .nan, count: outShape.count), mean = [Float](repeating: .nan, count: 2 * 19)
        x.withUnsafeBufferPointer { input in
            guard let input = input.baseAddress else { return }
            y.withUnsafeMutableBufferPointer { output in
                guard let output = output.baseAddress else { return }
                Pooling.max(input, shape: shape, output: output, kernel: 3, stride: 2, padding: .symmetric(1))
            }
            mean.withUnsafeMutableBufferPointer { output in
                guard let output = output.baseAddress else { return }
                Pooling.globalAverage(input, shape: shape, output: output)
            }
        }
        #expect(y == expected)
        #expect(mean == means)
    }

    @Test("batch-norm folding: conv then BN equals the folded conv")
    func folding() {
        let weight: [Float] = [1, 2, 3, 4, -1, -2, -3, -4]           // [Cout 2, Cin 1, 2, 2]
        let batchNorm = BatchNormParameters(scale: [2, 0.5], shift: [1, -1], runningMean: [0.5, -0.5],
                                            runningVariance: [4, 0.25], epsilon: 0)
        let folded = foldDense(weight: weight, outputChannels: 2, inputChannels: 1, kernel: 2, convBias: nil, batchNorm: batchNorm)
        // Channel 0: m = 2/2 = 1, a = 1 − 0.5 = 0.5; channel 1: m = 0.5/0.5 = 1, a = −1 + 0.5 = −0.5.
        #expect(folded.bias == [0.5, -0.5])
        #expect(folded.weights == [1, -1, 2, -2, 3, -3, 4, -4])       // [kH, kW, Cin, Cout]
    }
}
