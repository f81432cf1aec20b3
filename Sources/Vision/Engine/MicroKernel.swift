import CSystem

/// The register-blocked GEMM micro-kernels behind every dense convolution: a 6×64 tile of C in 24 sixteen-lane
/// accumulators (AVX-512: 24 of the 32 zmm registers), updated over a reduction block of depth kc by
///   C[6, 64] (+)= A[6, kc] · B[kc, 64]
/// where A is six row pointers (rows need not be adjacent: that is how convolutions skip im2col) and B a
/// contiguous block of a `PackedPanels` panel. Per k: four aligned B loads, six broadcasts, 24 FMAs; during the first
/// steps, one prefetch per step of the next slab or the next tile's output (`reductionSteps`).
/// Narrow outputs (EfficientNet's 16–144-channel projections) take the same kernel with panels of 48, 32 or 16
/// columns (18, 12 or 6 accumulators): `microKernel6xN` picks by the panel width.
/// The residual joins the first block's sums and bias and activation the last block's, in registers (`OutputPass`).

typealias Lanes16 = SIMD16<Float>

/// What happens to a finished tile on its way out: y = act(acc + bias).
struct OutputPass {
    /// [N] bias.
    let bias: UnsafePointer<Float>
    /// The nonlinearity.
    let activation: Activation
}

/// Where a tile lands in C and how much of it is real.
struct TileTarget {
    /// C at the tile's first row and column.
    let c: UnsafeMutablePointer<Float>
    /// Leading dimension of C (and of the residual).
    let ldc: Int
    /// Valid rows (1…6) and columns (1…64); the rest of the tile is computed and dropped.
    let rows: Int
    let columns: Int
    /// Whether C already holds a partial sum of earlier reduction blocks.
    let accumulate: Bool
    /// Added to the first block's sums (so C may be the residual itself: each element is read just before it is
    /// written); same layout as C, at the tile's first row and column.
    let residual: UnsafePointer<Float>?
    /// Set on the last reduction block; its bias pointer starts at the tile's first column.
    let pass: OutputPass?
    /// 24 vectors of the caller's scratch that the accumulators leave through.
    let scratch: UnsafeMutablePointer<Lanes16>
    /// Cache lines of the next slab of B to bring into L2 while the tile runs, from `prefetch` (see `SlabPrefetch`).
    var prefetch: UnsafeRawPointer? = nil
    var prefetchLines = 0
    /// The next tile's C (its first `nextRows` rows, the same columns), fetched for writing while this tile runs: on the
    /// first block, whose writes would otherwise wait for lines that are not in cache (and that hold the residual
    /// when C is written over it).
    var nextC: UnsafeRawPointer? = nil
    var nextRows = 0
}

/// Runs a kernel's reduction steps k = 0 ..< depth. The first steps each also prefetch a cache line: the next slab's
/// (`target.prefetch`), then the next tile's C rows (`target.nextC`), so the requests spread through the tile's FMAs;
/// the remaining steps carry no test. ResNet-50 with the C lines (passes alternating in one process, 2 threads):
/// 1.3–1.9% faster at batch 1 and −0.6 to 7.7% at batch 8 over seven runs; EfficientNet-Lite0 unchanged.
@inline(__always)
func reductionSteps(depth: Int, target: TileTarget, _ step: (Int) -> Void) {
    // Wrapping arithmetic and running pointers: these loops carry 24 FMAs a step, and checked multiplies for each
    // prefetch address had added a dozen scalar instructions to every step.
    var k = 0
    if var line = target.prefetch {
        let lines = min(depth, target.prefetchLines)
        while k < lines {
            animepop_prefetch_l2(line)
            step(k)
            k &+= 1
            line += 64
        }
    }
    if let next = target.nextC {
        let linesPerRow = (target.columns &+ 15) >> 4, rowBytes = 4 &* target.ldc
        let last = min(depth, k &+ linesPerRow &* target.nextRows)
        var rowStart = next, line = next, left = linesPerRow
        while k < last {
            animepop_prefetch_write(line)
            step(k)
            k &+= 1
            line += 64
            left &-= 1
            if left == 0 { (rowStart, left) = (rowStart + rowBytes, linesPerRow); line = rowStart }
        }
    }
    while k < depth {
        step(k)
        k &+= 1
    }
}

/// Sixteen floats from `pointer` (any alignment).
@inline(__always) func load16(_ pointer: UnsafePointer<Float>) -> Lanes16 { loadLanes(pointer) }

/// Stores sixteen floats at `pointer` (any alignment).
@inline(__always) func store16(_ value: Lanes16, _ pointer: UnsafeMutablePointer<Float>) { storeLanes(value, pointer) }

/// act(v) for sixteen lanes (as `activate8`; values above 6 are above 0, so relu6 is two replacements of v).
@inline(__always) func activate16(_ value: Lanes16, _ activation: Activation) -> Lanes16 {
    activation == .identity ? value
        : activation == .relu ? value.replacing(with: 0, where: value .< 0)
        : value.replacing(with: 0, where: value .< 0).replacing(with: 6, where: value .> 6)
}

/// C tile (+)= A rows · B block, then the output pass; see the file comment.
/// - Parameters:
///   - a0…a5: the six A rows, each kc floats from the block's first reduction index.
///   - depth: kc.
///   - b: kc×64 floats of a packed panel.
@inline(never)
func microKernel6x64(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>,
    depth: Int, b: UnsafePointer<Float>, target: TileTarget
) {
    var c00 = Lanes16(), c01 = Lanes16(), c02 = Lanes16(), c03 = Lanes16()
    var c10 = Lanes16(), c11 = Lanes16(), c12 = Lanes16(), c13 = Lanes16()
    var c20 = Lanes16(), c21 = Lanes16(), c22 = Lanes16(), c23 = Lanes16()
    var c30 = Lanes16(), c31 = Lanes16(), c32 = Lanes16(), c33 = Lanes16()
    var c40 = Lanes16(), c41 = Lanes16(), c42 = Lanes16(), c43 = Lanes16()
    var c50 = Lanes16(), c51 = Lanes16(), c52 = Lanes16(), c53 = Lanes16()
    var panel = b
    reductionSteps(depth: depth, target: target) { k in
        let b0 = load16(panel), b1 = load16(panel + 16), b2 = load16(panel + 32), b3 = load16(panel + 48)
        panel += 64
        var x = Lanes16(repeating: a0[k])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1); c02 = c02.addingProduct(x, b2); c03 = c03.addingProduct(x, b3)
        x = Lanes16(repeating: a1[k])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1); c12 = c12.addingProduct(x, b2); c13 = c13.addingProduct(x, b3)
        x = Lanes16(repeating: a2[k])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1); c22 = c22.addingProduct(x, b2); c23 = c23.addingProduct(x, b3)
        x = Lanes16(repeating: a3[k])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1); c32 = c32.addingProduct(x, b2); c33 = c33.addingProduct(x, b3)
        x = Lanes16(repeating: a4[k])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1); c42 = c42.addingProduct(x, b2); c43 = c43.addingProduct(x, b3)
        x = Lanes16(repeating: a5[k])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1); c52 = c52.addingProduct(x, b2); c53 = c53.addingProduct(x, b3)
    }
    // The accumulators leave through a scratch tile (whole-vector stores and loads) rather than as arguments,
    // which Swift would pass in pieces through memory and stall on.
    let tile = target.scratch
    do {
        tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03; tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13
        tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23; tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33
        tile[16] = c40; tile[17] = c41; tile[18] = c42; tile[19] = c43; tile[20] = c50; tile[21] = c51; tile[22] = c52; tile[23] = c53
        writeOut(tile, target, vectors: 4)
    }
}

/// The kernel for `width`-column panels (64, 48, 32 or 16); see the file comment.
@inline(__always)
func microKernel6xN(
    width: Int, _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>,
    depth: Int, b: UnsafePointer<Float>, target: TileTarget
) {
    switch width {
    case 64: microKernel6x64(a0, a1, a2, a3, a4, a5, depth: depth, b: b, target: target)
    case 48: microKernel6x48(a0, a1, a2, a3, a4, a5, depth: depth, b: b, target: target)
    case 32: microKernel6x32(a0, a1, a2, a3, a4, a5, depth: depth, b: b, target: target)
    default: microKernel6x16(a0, a1, a2, a3, a4, a5, depth: depth, b: b, target: target)
    }
}

/// C tile (+)= A rows · B block for a 48-column panel (18 accumulators); as `microKernel6x64`.
@inline(never)
func microKernel6x48(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>,
    depth: Int, b: UnsafePointer<Float>, target: TileTarget
) {
    var c00 = Lanes16(), c01 = Lanes16(), c02 = Lanes16()
    var c10 = Lanes16(), c11 = Lanes16(), c12 = Lanes16()
    var c20 = Lanes16(), c21 = Lanes16(), c22 = Lanes16()
    var c30 = Lanes16(), c31 = Lanes16(), c32 = Lanes16()
    var c40 = Lanes16(), c41 = Lanes16(), c42 = Lanes16()
    var c50 = Lanes16(), c51 = Lanes16(), c52 = Lanes16()
    var panel = b
    reductionSteps(depth: depth, target: target) { k in
        let b0 = load16(panel), b1 = load16(panel + 16), b2 = load16(panel + 32)
        panel += 48
        var x = Lanes16(repeating: a0[k])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1); c02 = c02.addingProduct(x, b2)
        x = Lanes16(repeating: a1[k])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1); c12 = c12.addingProduct(x, b2)
        x = Lanes16(repeating: a2[k])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1); c22 = c22.addingProduct(x, b2)
        x = Lanes16(repeating: a3[k])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1); c32 = c32.addingProduct(x, b2)
        x = Lanes16(repeating: a4[k])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1); c42 = c42.addingProduct(x, b2)
        x = Lanes16(repeating: a5[k])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1); c52 = c52.addingProduct(x, b2)
    }
    let tile = target.scratch
    tile[0] = c00; tile[1] = c01; tile[2] = c02
    tile[4] = c10; tile[5] = c11; tile[6] = c12
    tile[8] = c20; tile[9] = c21; tile[10] = c22
    tile[12] = c30; tile[13] = c31; tile[14] = c32
    tile[16] = c40; tile[17] = c41; tile[18] = c42
    tile[20] = c50; tile[21] = c51; tile[22] = c52
    writeOut(tile, target, vectors: 3)
}

/// C tile (+)= A rows · B block for a 32-column panel (12 accumulators); as `microKernel6x64`.
@inline(never)
func microKernel6x32(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>,
    depth: Int, b: UnsafePointer<Float>, target: TileTarget
) {
    var c00 = Lanes16(), c01 = Lanes16()
    var c10 = Lanes16(), c11 = Lanes16()
    var c20 = Lanes16(), c21 = Lanes16()
    var c30 = Lanes16(), c31 = Lanes16()
    var c40 = Lanes16(), c41 = Lanes16()
    var c50 = Lanes16(), c51 = Lanes16()
    var panel = b
    reductionSteps(depth: depth, target: target) { k in
        let b0 = load16(panel), b1 = load16(panel + 16)
        panel += 32
        var x = Lanes16(repeating: a0[k])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        x = Lanes16(repeating: a1[k])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        x = Lanes16(repeating: a2[k])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        x = Lanes16(repeating: a3[k])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        x = Lanes16(repeating: a4[k])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        x = Lanes16(repeating: a5[k])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
    }
    let tile = target.scratch
    tile[0] = c00; tile[1] = c01
    tile[4] = c10; tile[5] = c11
    tile[8] = c20; tile[9] = c21
    tile[12] = c30; tile[13] = c31
    tile[16] = c40; tile[17] = c41
    tile[20] = c50; tile[21] = c51
    writeOut(tile, target, vectors: 2)
}

/// C tile (+)= A rows · B block for a 16-column panel (6 accumulators); as `microKernel6x64`.
@inline(never)
func microKernel6x16(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>,
    depth: Int, b: UnsafePointer<Float>, target: TileTarget
) {
    var c00 = Lanes16()
    var c10 = Lanes16()
    var c20 = Lanes16()
    var c30 = Lanes16()
    var c40 = Lanes16()
    var c50 = Lanes16()
    var panel = b
    reductionSteps(depth: depth, target: target) { k in
        let b0 = load16(panel)
        panel += 16
        var x = Lanes16(repeating: a0[k])
        c00 = c00.addingProduct(x, b0)
        x = Lanes16(repeating: a1[k])
        c10 = c10.addingProduct(x, b0)
        x = Lanes16(repeating: a2[k])
        c20 = c20.addingProduct(x, b0)
        x = Lanes16(repeating: a3[k])
        c30 = c30.addingProduct(x, b0)
        x = Lanes16(repeating: a4[k])
        c40 = c40.addingProduct(x, b0)
        x = Lanes16(repeating: a5[k])
        c50 = c50.addingProduct(x, b0)
    }
    let tile = target.scratch
    tile[0] = c00
    tile[4] = c10
    tile[8] = c20
    tile[12] = c30
    tile[16] = c40
    tile[20] = c50
    writeOut(tile, target, vectors: 1)
}

/// A finished tile on its way to C: whole-vector when the panel is full (`vectors` of them per row), else the
/// partial pass of a last, narrower panel.
@inline(__always)
private func writeOut(_ tile: UnsafePointer<Lanes16>, _ target: TileTarget, vectors: Int) {
    if target.columns == 16 * vectors { writeTile(tile, target, vectors: vectors) } else { writePartial(tile, target) }
}

/// A full-width tile (row r's `vectors` vectors at tile[4r…]): each vector plus its addend (earlier blocks' sum in C, or on
/// the first block the residual), then bias and activation on the last block, then stored. What a tile adds is decided
/// once per tile, not per vector (with the leaner prefetch bookkeeping in `reductionSteps`): ResNet-50 0.2–2.5% faster in
/// all 8 comparisons (passes alternating in one process, 2 threads, im2col and F(4,3), batch 1 and 8). Inlined into each kernel with a constant `vectors`, so the loop over them unrolls.
@inline(__always)
private func writeTile(_ tile: UnsafePointer<Lanes16>, _ target: TileTarget, vectors: Int) {
    let addend: UnsafePointer<Float>? = target.accumulate ? UnsafePointer(target.c) : target.residual
    guard let pass = target.pass else { return writeRows(tile, target, vectors: vectors, addend: addend) { value, _ in value } }
    let bias = pass.bias
    switch pass.activation {
    case .relu:
        writeRows(tile, target, vectors: vectors, addend: addend) { value, column in
            let sum = value + load16(bias + column)
            return sum.replacing(with: 0, where: sum .< 0)
        }
    default:
        writeRows(tile, target, vectors: vectors, addend: addend) { value, column in
            activate16(value + load16(bias + column), pass.activation)
        }
    }
}

/// Stores finish(vector + addend, column) for each of a tile's vectors; `addend` has C's layout (nil: nothing to add).
@inline(__always)
private func writeRows(
    _ tile: UnsafePointer<Lanes16>, _ target: TileTarget, vectors: Int, addend: UnsafePointer<Float>?,
    _ finish: (Lanes16, Int) -> Lanes16
) {
    let ldc = target.ldc
    var out = target.c
    if var from = addend {
        for row in 0..<target.rows {
            for vector in 0..<vectors {
                store16(finish(tile[4 &* row &+ vector] + load16(from + 16 &* vector), 16 &* vector), out + 16 &* vector)
            }
            from += ldc
            out += ldc
        }
    } else {
        for row in 0..<target.rows {
            for vector in 0..<vectors { store16(finish(tile[4 &* row &+ vector], 16 &* vector), out + 16 &* vector) }
            out += ldc
        }
    }
}

/// Sixteen columns of one tile row, from `column`, on their way out: earlier blocks' sum (or, on the first block, the
/// residual) → bias and activation on the last block → store (`writePartial`'s whole vectors).
@inline(__always)
private func finishVector(_ value: Lanes16, row: Int, column: Int, _ target: TileTarget) {
    let out = target.c + row * target.ldc + column
    var value = value
    if target.accumulate {
        value += load16(out)
    } else if let residual = target.residual {
        value += load16(residual + row * target.ldc + column)
    }
    if let pass = target.pass { value = activate16(value + load16(pass.bias + column), pass.activation) }
    store16(value, out)
}

/// The last panel of a matrix whose N is not a multiple of the panel width: the whole 16-lane vectors it holds as
/// `writeTile` does, then the rest column by column (only N = 24 and 40 here, and the tests).
@inline(never)
private func writePartial(_ tile: UnsafePointer<Lanes16>, _ target: TileTarget) {
    let vectors = target.columns / 16
    for row in 0..<target.rows {
        for vector in 0..<vectors { finishVector(tile[4 * row + vector], row: row, column: 16 * vector, target) }
        let out = target.c + row * target.ldc
        for column in (16 * vectors)..<target.columns {
            var value = tile[row * 4 + column / 16][column % 16]
            if target.accumulate {
                value += out[column]
            } else if let residual = target.residual {
                value += residual[row * target.ldc + column]
            }
            if let pass = target.pass { value += pass.bias[column] }
            out[column] = value
        }
        if let pass = target.pass {
            applyActivation(out + 16 * vectors, count: target.columns - 16 * vectors, pass.activation)
        }
    }
}
