import CSystem

/// The register-blocked GEMM micro-kernels behind every dense convolution: a 6×64 tile of C in 24 sixteen-lane
/// accumulators (AVX-512: 24 of the 32 zmm registers), updated over a group of reduction blocks of total depth kc by
///   C[6, 64] (+)= A[6, kc] · B[kc, 64]
/// where A is six row pointers per block (rows need not be adjacent: that is how convolutions skip im2col; each
/// block of a k×k conv is one kernel tap's channels) and B a contiguous run of a `PackedPanels` panel. Per k: four
/// aligned B loads, six broadcasts, 24 FMAs; during the first steps, one prefetch per step of the next slab or the next
/// tile's output (`reductionSteps`).
/// Narrow outputs (EfficientNet's 16–144-channel projections) take the same kernel with panels of 48, 32 or 16
/// columns (18, 12 or 6 accumulators): `microKernel6xN` picks by the panel width. A last tile with at most four or two
/// real rows runs on a 4- or 2-row kernel (`shortMicroKernel64`, `shortMicroKernel16`) instead of computing six.
/// A tile's accumulators start at its addend: the residual on the first group, C's partial sum on later ones
/// (`TileStart`); bias and activation join the last group's sums in registers (`OutputPass`).
/// Each kernel's accumulators live in a struct whose `step` is forced inline (`ReductionStep`): the optimizer inlines a
/// closure only while the kernel stays small, and a kernel that also writes its tile straight from registers
/// (`DirectWrite`) is not; a call per step through memory ran five times slower.

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
    /// Whether C already holds a partial sum of earlier groups of reduction blocks (the accumulators start there).
    let accumulate: Bool
    /// Where the first group's accumulators start (so C may be the residual itself: a tile reads its residual before it
    /// writes); same layout as C, at the tile's first row and column.
    let residual: UnsafePointer<Float>?
    /// Set on the last group of reduction blocks; its bias pointer starts at the tile's first column.
    let pass: OutputPass?
    /// 24 vectors of the caller's scratch that a tile that is not whole starts from and leaves through (`TileStart`,
    /// `writeScratch`).
    let scratch: UnsafeMutablePointer<Lanes16>
    /// Cache lines of the next slab of B to bring into L2 while the tile runs, from `prefetch` (see `SlabPrefetch`).
    var prefetch: UnsafeRawPointer? = nil
    var prefetchLines = 0
    /// Two lines a step instead of one: in a unit of so few tiles that one a step would not bring in the whole slab.
    var prefetchTwice = false
    /// The next tile's C (its first `nextRows` rows, the same columns), fetched for writing while this tile runs: on the
    /// first block, whose reads of the residual (when C is written over it) and writes would otherwise wait for lines
    /// that are not in cache.
    var nextC: UnsafeRawPointer? = nil
    var nextRows = 0
}

/// One reduction step of a kernel: its accumulators += A[rows, k] · B[k, panel columns].
protocol ReductionStep {
    /// The A rows that step k reads (from the current block's first reduction index).
    var rows: TileRows { get set }
    mutating func step(_ k: Int)
}

/// Runs a kernel's reduction steps k = 0 ..< depth. The first steps each also prefetch a cache line: the next slab's
/// (`target.prefetch`), then the next tile's C rows (`target.nextC`), so the requests spread through the tile's FMAs;
/// the remaining steps carry no test. ResNet-50 with the C lines (passes alternating in one process, 2 threads):
/// 1.3–1.9% faster at batch 1 and −0.6 to 7.7% at batch 8 over seven runs; EfficientNet-Lite0 unchanged. A tile of at most
/// 16 columns has one C line per row, and requests all of them before its first step: in the 6×16 kernel the per-step
/// loop's bookkeeping spilled accumulators to the stack (`objdump`). Passes alternating in one process on an AVX2-only
/// AMD EPYC (one thread, batch 4; 1×1 convs 56² 64→256, 56² 256→64, 28² 512→128 and a 3×3 conv 14² 256→256):
/// 0.4–24% faster up front.
@inline(__always)
func reductionSteps<Tile: ReductionStep>(depth: Int, target: TileTarget, _ tile: inout Tile) {
    // Wrapping arithmetic and running pointers: these loops carry 24 FMAs a step, and checked multiplies for each
    // prefetch address had added a dozen scalar instructions to every step.
    var k = 0
    if var line = target.prefetch, target.prefetchTwice {
        let steps = min(depth, (target.prefetchLines &+ 1) >> 1)
        while k < steps {
            animepop_prefetch_l2(line)
            animepop_prefetch_l2(line + 64)
            tile.step(k)
            k &+= 1
            line += 128
        }
    } else if var line = target.prefetch {
        let lines = min(depth, target.prefetchLines)
        while k < lines {
            animepop_prefetch_l2(line)
            tile.step(k)
            k &+= 1
            line += 64
        }
    }
    if let next = target.nextC, target.columns <= 16 {
        var line = next
        for _ in 0..<target.nextRows { animepop_prefetch_write(line); line += 4 &* target.ldc }
    } else if let next = target.nextC {
        let linesPerRow = (target.columns &+ 15) >> 4, rowBytes = 4 &* target.ldc
        let last = min(depth, k &+ linesPerRow &* target.nextRows)
        var rowStart = next, line = next, left = linesPerRow
        while k < last {
            animepop_prefetch_write(line)
            tile.step(k)
            k &+= 1
            line += 64
            left &-= 1
            if left == 0 { (rowStart, left) = (rowStart + rowBytes, linesPerRow); line = rowStart }
        }
    }
    while k < depth {
        tile.step(k)
        k &+= 1
    }
}

/// Runs a kernel's steps over every reduction block of `group`, the accumulators staying in registers from one block to
/// the next (B's blocks are contiguous in the panel, so the panel pointer just runs on). The slab prefetch carries on
/// through the blocks; the next tile's C lines are fetched during the first.
@inline(__always)
func groupSteps<Tile: ReductionStep>(_ group: GroupRows, target: TileTarget, _ tile: inout Tile) {
    reductionSteps(depth: group.depths[0], target: target, &tile)
    var rest = target, block = 1
    rest.nextC = nil
    while block < group.count {
        let issued = min((rest.prefetchTwice ? 2 : 1) &* group.depths[block &- 1], rest.prefetchLines)
        rest.prefetch = rest.prefetch.map { $0 + 64 &* issued }
        rest.prefetchLines &-= issued
        tile.rows = group.rows(block)
        reductionSteps(depth: group.depths[block], target: rest, &tile)
        block &+= 1
    }
}

/// A tile's A rows for each reduction block of a group: six pointers per block, and the blocks' depths.
struct GroupRows {
    let pointers: UnsafePointer<UnsafePointer<Float>>
    let depths: UnsafePointer<Int>
    let count: Int

    /// The rows of block `block` of the group.
    @inline(__always)
    func rows(_ block: Int) -> TileRows {
        let p = pointers + 6 &* block
        return TileRows(a0: p[0], a1: p[1], a2: p[2], a3: p[3], a4: p[4], a5: p[5])
    }
}

/// The six A rows of a tile, each read from the block's first reduction index.
struct TileRows {
    let a0: UnsafePointer<Float>, a1: UnsafePointer<Float>, a2: UnsafePointer<Float>
    let a3: UnsafePointer<Float>, a4: UnsafePointer<Float>, a5: UnsafePointer<Float>
}

/// Where a tile's accumulators start: at zero (`base` nil) on the first group of a GEMM without a residual, otherwise
/// at the tile's addend, row r's vectors at `base + r·stride`: the residual on the first group, C's partial sum of the
/// earlier groups on later ones. Starting from the addend, rather than adding it to a group's sums on the way out,
/// makes every output the same sequence of roundings (residual, then each product in reduction order, then the bias)
/// however the blocks are grouped, so features do not depend on the thread count or the batch (`gemmUnit` groups
/// deeper where one thread runs the whole GEMM).
struct TileStart {
    let base: UnsafePointer<Float>?
    let stride: Int

    /// The start of the tile of `target` on a `width`-column panel: a whole tile reads its addend in place; one that is
    /// not reads it from the scratch tile (`staged`).
    @inline(__always)
    init(_ target: TileTarget, width: Int) {
        guard let addend = target.accumulate ? UnsafePointer(target.c) : target.residual else { (base, stride) = (nil, 0); return }
        if target.rows == 6 && target.columns == width {
            (base, stride) = (addend, target.ldc)
        } else {
            (base, stride) = (Self.staged(addend, target), 64)
        }
    }

    /// The addend's real rows and columns copied into the scratch tile (row r at 64·r floats), zeros elsewhere.
    @inline(never)
    private static func staged(_ addend: UnsafePointer<Float>, _ target: TileTarget) -> UnsafePointer<Float> {
        for vector in 0..<24 { target.scratch[vector] = Lanes16() }
        let tile = UnsafeMutableRawPointer(target.scratch)
        for row in 0..<target.rows {
            (tile + 256 * row).copyMemory(from: UnsafeRawPointer(addend.advanced(by: row * target.ldc)), byteCount: 4 * target.columns)
        }
        // Read back only through `load16`'s raw loads.
        return UnsafeRawPointer(tile).assumingMemoryBound(to: Float.self)
    }

    /// Vector `vector` (16 columns from 16·vector) of row `row`, from `base`.
    @inline(__always)
    func load(_ base: UnsafePointer<Float>, _ row: Int, _ vector: Int) -> Lanes16 { load16(base + (row &* stride &+ 16 &* vector)) }
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

/// One tile row's update on a 64-column panel: c0…c3 += a · b0…b3 (a broadcast, four FMAs).
@inline(__always)
func accumulateRow(_ a: Float, _ b0: Lanes16, _ b1: Lanes16, _ b2: Lanes16, _ b3: Lanes16,
                   _ c0: inout Lanes16, _ c1: inout Lanes16, _ c2: inout Lanes16, _ c3: inout Lanes16) {
    let x = Lanes16(repeating: a)
    c0 = c0.addingProduct(x, b0); c1 = c1.addingProduct(x, b1); c2 = c2.addingProduct(x, b2); c3 = c3.addingProduct(x, b3)
}

/// How many rows a 64-column tile computes: six, four or two (`Tile64`).
protocol TileHeight {
    /// 6, 4 or 2.
    static var rows: Int { get }
}

/// A whole tile.
enum SixRows: TileHeight { static let rows = 6 }

/// A short tile of four rows.
enum FourRows: TileHeight { static let rows = 4 }

/// A short tile of two rows.
enum TwoRows: TileHeight { static let rows = 2 }

/// The accumulators of a tile's `Height.rows` rows and 64 columns and its reduction step: 4 aligned B loads, a broadcast
/// and four FMAs per row (24 FMAs for six rows). `Height` is fixed at compile time, so a short tile carries no test and
/// its unused accumulators vanish.
struct Tile64<Height: TileHeight>: ReductionStep {
    var c00 = Lanes16(), c01 = Lanes16(), c02 = Lanes16(), c03 = Lanes16()
    var c10 = Lanes16(), c11 = Lanes16(), c12 = Lanes16(), c13 = Lanes16()
    var c20 = Lanes16(), c21 = Lanes16(), c22 = Lanes16(), c23 = Lanes16()
    var c30 = Lanes16(), c31 = Lanes16(), c32 = Lanes16(), c33 = Lanes16()
    var c40 = Lanes16(), c41 = Lanes16(), c42 = Lanes16(), c43 = Lanes16()
    var c50 = Lanes16(), c51 = Lanes16(), c52 = Lanes16(), c53 = Lanes16()
    var rows: TileRows
    var panel: UnsafePointer<Float>

    /// Accumulators at `start`, reading the first block's `rows` and the panel from `panel`.
    @inline(__always)
    init(rows: TileRows, panel: UnsafePointer<Float>, start: TileStart) {
        (self.rows, self.panel) = (rows, panel)
        guard let s = start.base else { return }
        (c00, c01, c02, c03) = (start.load(s, 0, 0), start.load(s, 0, 1), start.load(s, 0, 2), start.load(s, 0, 3))
        (c10, c11, c12, c13) = (start.load(s, 1, 0), start.load(s, 1, 1), start.load(s, 1, 2), start.load(s, 1, 3))
        guard Height.rows > 2 else { return }
        (c20, c21, c22, c23) = (start.load(s, 2, 0), start.load(s, 2, 1), start.load(s, 2, 2), start.load(s, 2, 3))
        (c30, c31, c32, c33) = (start.load(s, 3, 0), start.load(s, 3, 1), start.load(s, 3, 2), start.load(s, 3, 3))
        guard Height.rows > 4 else { return }
        (c40, c41, c42, c43) = (start.load(s, 4, 0), start.load(s, 4, 1), start.load(s, 4, 2), start.load(s, 4, 3))
        (c50, c51, c52, c53) = (start.load(s, 5, 0), start.load(s, 5, 1), start.load(s, 5, 2), start.load(s, 5, 3))
    }

    @inline(__always)
    mutating func step(_ k: Int) {
        let b0 = load16(panel), b1 = load16(panel + 16), b2 = load16(panel + 32), b3 = load16(panel + 48)
        panel += 64
        accumulateRow(rows.a0[k], b0, b1, b2, b3, &c00, &c01, &c02, &c03)
        accumulateRow(rows.a1[k], b0, b1, b2, b3, &c10, &c11, &c12, &c13)
        guard Height.rows > 2 else { return }
        accumulateRow(rows.a2[k], b0, b1, b2, b3, &c20, &c21, &c22, &c23)
        accumulateRow(rows.a3[k], b0, b1, b2, b3, &c30, &c31, &c32, &c33)
        guard Height.rows > 4 else { return }
        accumulateRow(rows.a4[k], b0, b1, b2, b3, &c40, &c41, &c42, &c43)
        accumulateRow(rows.a5[k], b0, b1, b2, b3, &c50, &c51, &c52, &c53)
    }
}

/// C tile (+)= A rows · B block, then the output pass; see the file comment.
/// - Parameters:
///   - group: for each reduction block of the group, the six A rows (each from the block's first reduction index) and its depth.
///   - b: kc×64 floats of a packed panel, kc the group's total depth.
@inline(never)
func microKernel6x64(_ group: GroupRows, b: UnsafePointer<Float>, target: TileTarget) {
    var t = Tile64<SixRows>(rows: group.rows(0), panel: b, start: TileStart(target, width: 64))
    groupSteps(group, target: target, &t)
    if let direct = DirectWrite(target, width: 64) {
        writeRow(0, t.c00, t.c01, t.c02, t.c03, direct)
        writeRow(1, t.c10, t.c11, t.c12, t.c13, direct)
        writeRow(2, t.c20, t.c21, t.c22, t.c23, direct)
        writeRow(3, t.c30, t.c31, t.c32, t.c33, direct)
        writeRow(4, t.c40, t.c41, t.c42, t.c43, direct)
        writeRow(5, t.c50, t.c51, t.c52, t.c53, direct)
        return
    }
    let tile = target.scratch
    tile[0] = t.c00; tile[1] = t.c01; tile[2] = t.c02; tile[3] = t.c03
    tile[4] = t.c10; tile[5] = t.c11; tile[6] = t.c12; tile[7] = t.c13
    tile[8] = t.c20; tile[9] = t.c21; tile[10] = t.c22; tile[11] = t.c23
    tile[12] = t.c30; tile[13] = t.c31; tile[14] = t.c32; tile[15] = t.c33
    tile[16] = t.c40; tile[17] = t.c41; tile[18] = t.c42; tile[19] = t.c43
    tile[20] = t.c50; tile[21] = t.c51; tile[22] = t.c52; tile[23] = t.c53
    writeScratch(tile, target, vectors: 4)
}

/// The kernel for `width`-column panels (64, 48, 32 or 16); see the file comment. On 64- and 16-column panels a tile with
/// at most four (two) real rows takes the 4-row (2-row) kernel: ResNet-50 at batch 1 has 49-row GEMMs in layer4 (the last
/// tile one row) and 16-row Winograd products in layer3 (the last four). Passes alternating in one process (2 threads):
/// on 64-column panels, wall clock 3.5–4.8% faster with F(4,3) and 0.5–1.2% with im2col at batch 1 (layer4 5–8%),
/// 0.3–1.1% at batch 8; on the 16-column panels of an AVX2-only AMD EPYC, layer4's convs alone at batch 1 (7², 512→2048
/// and 2048→512 1×1, 512→512 3×3, each twice) −3 to +21% GFLOP/s, five of six faster; whole networks within the noise.
@inline(__always)
func microKernel6xN(width: Int, _ group: GroupRows, b: UnsafePointer<Float>, target: TileTarget) {
    switch width {
    case 64:
        if target.rows <= 2 {
            shortMicroKernel64(TwoRows.self, group, b: b, target: target)
        } else if target.rows <= 4 {
            shortMicroKernel64(FourRows.self, group, b: b, target: target)
        } else {
            microKernel6x64(group, b: b, target: target)
        }
    case 48: microKernel6x48(group, b: b, target: target)
    case 32: microKernel6x32(group, b: b, target: target)
    default:
        if target.rows <= 2 {
            shortMicroKernel16(TwoRows.self, group, b: b, target: target)
        } else if target.rows <= 4 {
            shortMicroKernel16(FourRows.self, group, b: b, target: target)
        } else {
            microKernel6x16(group, b: b, target: target)
        }
    }
}

/// A tile with at most four (`FourRows`) or two (`TwoRows`) real rows and 64 columns; as `microKernel6x64`, through the
/// scratch tile.
@inline(never)
func shortMicroKernel64<Height: TileHeight>(_ height: Height.Type, _ group: GroupRows, b: UnsafePointer<Float>, target: TileTarget) {
    var t = Tile64<Height>(rows: group.rows(0), panel: b, start: TileStart(target, width: 64))
    groupSteps(group, target: target, &t)
    let tile = target.scratch
    tile[0] = t.c00; tile[1] = t.c01; tile[2] = t.c02; tile[3] = t.c03
    tile[4] = t.c10; tile[5] = t.c11; tile[6] = t.c12; tile[7] = t.c13
    if Height.rows > 2 {
        tile[8] = t.c20; tile[9] = t.c21; tile[10] = t.c22; tile[11] = t.c23
        tile[12] = t.c30; tile[13] = t.c31; tile[14] = t.c32; tile[15] = t.c33
    }
    writeScratch(tile, target, vectors: 4)
}

/// The 18 accumulators of a 6×48 tile and its reduction step: 3 aligned B loads, six broadcasts, 18 FMAs.
struct Tile6x48: ReductionStep {
    var c00 = Lanes16(), c01 = Lanes16(), c02 = Lanes16()
    var c10 = Lanes16(), c11 = Lanes16(), c12 = Lanes16()
    var c20 = Lanes16(), c21 = Lanes16(), c22 = Lanes16()
    var c30 = Lanes16(), c31 = Lanes16(), c32 = Lanes16()
    var c40 = Lanes16(), c41 = Lanes16(), c42 = Lanes16()
    var c50 = Lanes16(), c51 = Lanes16(), c52 = Lanes16()
    var rows: TileRows
    var panel: UnsafePointer<Float>

    /// Accumulators at `start` (as `Tile64`).
    @inline(__always)
    init(rows: TileRows, panel: UnsafePointer<Float>, start: TileStart) {
        (self.rows, self.panel) = (rows, panel)
        guard let s = start.base else { return }
        (c00, c01, c02) = (start.load(s, 0, 0), start.load(s, 0, 1), start.load(s, 0, 2))
        (c10, c11, c12) = (start.load(s, 1, 0), start.load(s, 1, 1), start.load(s, 1, 2))
        (c20, c21, c22) = (start.load(s, 2, 0), start.load(s, 2, 1), start.load(s, 2, 2))
        (c30, c31, c32) = (start.load(s, 3, 0), start.load(s, 3, 1), start.load(s, 3, 2))
        (c40, c41, c42) = (start.load(s, 4, 0), start.load(s, 4, 1), start.load(s, 4, 2))
        (c50, c51, c52) = (start.load(s, 5, 0), start.load(s, 5, 1), start.load(s, 5, 2))
    }

    @inline(__always)
    mutating func step(_ k: Int) {
        let b0 = load16(panel), b1 = load16(panel + 16), b2 = load16(panel + 32)
        panel += 48
        var x = Lanes16(repeating: rows.a0[k])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1); c02 = c02.addingProduct(x, b2)
        x = Lanes16(repeating: rows.a1[k])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1); c12 = c12.addingProduct(x, b2)
        x = Lanes16(repeating: rows.a2[k])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1); c22 = c22.addingProduct(x, b2)
        x = Lanes16(repeating: rows.a3[k])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1); c32 = c32.addingProduct(x, b2)
        x = Lanes16(repeating: rows.a4[k])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1); c42 = c42.addingProduct(x, b2)
        x = Lanes16(repeating: rows.a5[k])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1); c52 = c52.addingProduct(x, b2)
    }
}

/// C tile (+)= A rows · B block for a 48-column panel (18 accumulators); as `microKernel6x64`.
@inline(never)
func microKernel6x48(_ group: GroupRows, b: UnsafePointer<Float>, target: TileTarget) {
    var t = Tile6x48(rows: group.rows(0), panel: b, start: TileStart(target, width: 48))
    groupSteps(group, target: target, &t)
    let tile = target.scratch
    tile[0] = t.c00; tile[1] = t.c01; tile[2] = t.c02
    tile[4] = t.c10; tile[5] = t.c11; tile[6] = t.c12
    tile[8] = t.c20; tile[9] = t.c21; tile[10] = t.c22
    tile[12] = t.c30; tile[13] = t.c31; tile[14] = t.c32
    tile[16] = t.c40; tile[17] = t.c41; tile[18] = t.c42
    tile[20] = t.c50; tile[21] = t.c51; tile[22] = t.c52
    writeScratch(tile, target, vectors: 3)
}

/// The 12 accumulators of a 6×32 tile and its reduction step: 2 aligned B loads, six broadcasts, 12 FMAs.
struct Tile6x32: ReductionStep {
    var c00 = Lanes16(), c01 = Lanes16()
    var c10 = Lanes16(), c11 = Lanes16()
    var c20 = Lanes16(), c21 = Lanes16()
    var c30 = Lanes16(), c31 = Lanes16()
    var c40 = Lanes16(), c41 = Lanes16()
    var c50 = Lanes16(), c51 = Lanes16()
    var rows: TileRows
    var panel: UnsafePointer<Float>

    /// Accumulators at `start` (as `Tile64`).
    @inline(__always)
    init(rows: TileRows, panel: UnsafePointer<Float>, start: TileStart) {
        (self.rows, self.panel) = (rows, panel)
        guard let s = start.base else { return }
        (c00, c01) = (start.load(s, 0, 0), start.load(s, 0, 1))
        (c10, c11) = (start.load(s, 1, 0), start.load(s, 1, 1))
        (c20, c21) = (start.load(s, 2, 0), start.load(s, 2, 1))
        (c30, c31) = (start.load(s, 3, 0), start.load(s, 3, 1))
        (c40, c41) = (start.load(s, 4, 0), start.load(s, 4, 1))
        (c50, c51) = (start.load(s, 5, 0), start.load(s, 5, 1))
    }

    @inline(__always)
    mutating func step(_ k: Int) {
        let b0 = load16(panel), b1 = load16(panel + 16)
        panel += 32
        var x = Lanes16(repeating: rows.a0[k])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        x = Lanes16(repeating: rows.a1[k])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        x = Lanes16(repeating: rows.a2[k])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        x = Lanes16(repeating: rows.a3[k])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        x = Lanes16(repeating: rows.a4[k])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        x = Lanes16(repeating: rows.a5[k])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
    }
}

/// C tile (+)= A rows · B block for a 32-column panel (12 accumulators); as `microKernel6x64`.
@inline(never)
func microKernel6x32(_ group: GroupRows, b: UnsafePointer<Float>, target: TileTarget) {
    var t = Tile6x32(rows: group.rows(0), panel: b, start: TileStart(target, width: 32))
    groupSteps(group, target: target, &t)
    let tile = target.scratch
    tile[0] = t.c00; tile[1] = t.c01
    tile[4] = t.c10; tile[5] = t.c11
    tile[8] = t.c20; tile[9] = t.c21
    tile[12] = t.c30; tile[13] = t.c31
    tile[16] = t.c40; tile[17] = t.c41
    tile[20] = t.c50; tile[21] = t.c51
    writeScratch(tile, target, vectors: 2)
}

/// The accumulators of a tile's `Height.rows` rows and 16 columns and its reduction step: 1 aligned B load, a broadcast
/// and an FMA per row (as `Tile64`, whose `Height` it shares).
struct Tile16<Height: TileHeight>: ReductionStep {
    var c00 = Lanes16()
    var c10 = Lanes16()
    var c20 = Lanes16()
    var c30 = Lanes16()
    var c40 = Lanes16()
    var c50 = Lanes16()
    var rows: TileRows
    var panel: UnsafePointer<Float>

    /// Accumulators at `start` (as `Tile64`).
    @inline(__always)
    init(rows: TileRows, panel: UnsafePointer<Float>, start: TileStart) {
        (self.rows, self.panel) = (rows, panel)
        guard let s = start.base else { return }
        (c00, c10) = (start.load(s, 0, 0), start.load(s, 1, 0))
        guard Height.rows > 2 else { return }
        (c20, c30) = (start.load(s, 2, 0), start.load(s, 3, 0))
        guard Height.rows > 4 else { return }
        (c40, c50) = (start.load(s, 4, 0), start.load(s, 5, 0))
    }

    @inline(__always)
    mutating func step(_ k: Int) {
        let b0 = load16(panel)
        panel += 16
        c00 = c00.addingProduct(Lanes16(repeating: rows.a0[k]), b0)
        c10 = c10.addingProduct(Lanes16(repeating: rows.a1[k]), b0)
        guard Height.rows > 2 else { return }
        c20 = c20.addingProduct(Lanes16(repeating: rows.a2[k]), b0)
        c30 = c30.addingProduct(Lanes16(repeating: rows.a3[k]), b0)
        guard Height.rows > 4 else { return }
        c40 = c40.addingProduct(Lanes16(repeating: rows.a4[k]), b0)
        c50 = c50.addingProduct(Lanes16(repeating: rows.a5[k]), b0)
    }
}

/// C tile (+)= A rows · B block for a 16-column panel (6 accumulators); as `microKernel6x64`.
@inline(never)
func microKernel6x16(_ group: GroupRows, b: UnsafePointer<Float>, target: TileTarget) {
    var t = Tile16<SixRows>(rows: group.rows(0), panel: b, start: TileStart(target, width: 16))
    groupSteps(group, target: target, &t)
    if let direct = DirectWrite(target, width: 16) {
        writeRow16(0, t.c00, direct)
        writeRow16(1, t.c10, direct)
        writeRow16(2, t.c20, direct)
        writeRow16(3, t.c30, direct)
        writeRow16(4, t.c40, direct)
        writeRow16(5, t.c50, direct)
        return
    }
    let tile = target.scratch
    tile[0] = t.c00
    tile[4] = t.c10
    tile[8] = t.c20
    tile[12] = t.c30
    tile[16] = t.c40
    tile[20] = t.c50
    writeScratch(tile, target, vectors: 1)
}

/// A tile with at most four (`FourRows`) or two (`TwoRows`) real rows and 16 columns; as `microKernel6x16`, through the
/// scratch tile.
@inline(never)
func shortMicroKernel16<Height: TileHeight>(_ height: Height.Type, _ group: GroupRows, b: UnsafePointer<Float>, target: TileTarget) {
    var t = Tile16<Height>(rows: group.rows(0), panel: b, start: TileStart(target, width: 16))
    groupSteps(group, target: target, &t)
    let tile = target.scratch
    tile[0] = t.c00
    tile[4] = t.c10
    if Height.rows > 2 {
        tile[8] = t.c20
        tile[12] = t.c30
    }
    writeScratch(tile, target, vectors: 1)
}

/// How a whole tile (6 rows, 64 or 16 real columns) leaves straight from the accumulators: each row's vectors, plus
/// bias and activation on the last group, stored. Decided once per tile, the branches then run per row. Against the
/// scratch tile (24 more stores and loads per tile), ResNet-50's passes were 1.1–2.7% faster in all 8 comparisons (wall clock, passes alternating in one
/// process, 2 threads, im2col and F(4,3), batch 1 and 8), and cache-resident 384-row GEMMs 1–3% (one thread).
/// The 64- and 16-column kernels write this way (`writeRow`, `writeRow16`): the optimizer would not inline a row writer
/// with a variable vector count into the 48- and 32-column kernels (it passed the accumulators through memory instead),
/// which keep the scratch tile. On an AVX2-only AMD EPYC, where every panel is 16 columns wide, the scratch path's
/// `writeScratch` had taken 10% of a 64-deep 1×1 conv's time (`perf record`); the same four convs as in
/// `reductionSteps` ran 0.4–25% faster with the direct write.
private struct DirectWrite {
    let c: UnsafeMutablePointer<Float>
    let ldc: Int
    let bias: UnsafePointer<Float>?
    /// max(·, 0) after the bias (ReLU and ReLU6), then min(·, 6) (ReLU6).
    let rectify: Bool, clamp: Bool

    /// The write-out of `target` when its tile is whole (6 rows, `width` columns), else nil (the scratch path).
    @inline(__always)
    init?(_ target: TileTarget, width: Int) {
        guard target.rows == 6, target.columns == width else { return nil }
        (c, ldc) = (target.c, target.ldc)
        bias = target.pass?.bias
        let activation = target.pass?.activation ?? .identity
        (rectify, clamp) = (activation != .identity, activation == .relu6)
    }
}

/// Row `row` of a whole 6×64 tile, from its four accumulators; see `DirectWrite`.
@inline(__always)
private func writeRow(_ row: Int, _ v0: Lanes16, _ v1: Lanes16, _ v2: Lanes16, _ v3: Lanes16, _ direct: DirectWrite) {
    let offset = row &* direct.ldc
    var x0 = v0, x1 = v1, x2 = v2, x3 = v3
    if let bias = direct.bias {
        x0 += load16(bias); x1 += load16(bias + 16); x2 += load16(bias + 32); x3 += load16(bias + 48)
        if direct.rectify {
            x0 = x0.replacing(with: 0, where: x0 .< 0); x1 = x1.replacing(with: 0, where: x1 .< 0)
            x2 = x2.replacing(with: 0, where: x2 .< 0); x3 = x3.replacing(with: 0, where: x3 .< 0)
            if direct.clamp {
                x0 = x0.replacing(with: 6, where: x0 .> 6); x1 = x1.replacing(with: 6, where: x1 .> 6)
                x2 = x2.replacing(with: 6, where: x2 .> 6); x3 = x3.replacing(with: 6, where: x3 .> 6)
            }
        }
    }
    let out = direct.c + offset
    store16(x0, out); store16(x1, out + 16); store16(x2, out + 32); store16(x3, out + 48)
}

/// Row `row` of a whole 6×16 tile, from its accumulator; see `DirectWrite`.
@inline(__always)
private func writeRow16(_ row: Int, _ v: Lanes16, _ direct: DirectWrite) {
    var x = v
    if let bias = direct.bias {
        x += load16(bias)
        if direct.rectify {
            x = x.replacing(with: 0, where: x .< 0)
            if direct.clamp { x = x.replacing(with: 6, where: x .> 6) }
        }
    }
    store16(x, direct.c + row &* direct.ldc)
}

/// A tile that is not whole (the last rows of a row block, or the last, narrower panel) on its way to C from the scratch
/// tile (row r's vectors at tile[4r…]): each vector through `finishVector`, then any columns past the whole vectors
/// (`writePartial`).
@inline(__always)
private func writeScratch(_ tile: UnsafePointer<Lanes16>, _ target: TileTarget, vectors: Int) {
    guard target.columns == 16 * vectors else { return writePartial(tile, target) }
    for row in 0..<target.rows {
        for vector in 0..<vectors { finishVector(tile[4 * row + vector], row: row, column: 16 * vector, target) }
    }
}

/// Sixteen columns of one tile row, from `column`, on their way out: bias and activation on the last group → store.
@inline(__always)
private func finishVector(_ value: Lanes16, row: Int, column: Int, _ target: TileTarget) {
    let out = target.c + row * target.ldc + column
    var value = value
    if let pass = target.pass { value = activate16(value + load16(pass.bias + column), pass.activation) }
    store16(value, out)
}

/// The last panel of a matrix whose N is not a multiple of the panel width: the whole 16-lane vectors it holds as
/// `writeScratch` does, then the rest column by column (only N = 24 and 40 here, and the tests).
@inline(never)
private func writePartial(_ tile: UnsafePointer<Lanes16>, _ target: TileTarget) {
    let vectors = target.columns / 16
    for row in 0..<target.rows {
        for vector in 0..<vectors { finishVector(tile[4 * row + vector], row: row, column: 16 * vector, target) }
        let out = target.c + row * target.ldc
        for column in (16 * vectors)..<target.columns {
            var value = tile[row * 4 + column / 16][column % 16]
            if let pass = target.pass { value += pass.bias[column] }
            out[column] = value
        }
        if let pass = target.pass {
            applyActivation(out + 16 * vectors, count: target.columns - 16 * vectors, pass.activation)
        }
    }
}
