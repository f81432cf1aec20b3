import Foundation
import Tensor
import CSystem

/// The convolution GEMM on `MicroKernel`: C[M, N] = A[M, K] · B[K, N] with B pre-packed (`PackedPanels`) and
/// A given row by row through a `RowSource`, so a k×k convolution reads its input windows in place
/// (no im2col buffer) and the output pass (bias, residual, activation) happens in registers.
///
/// Blocking: rows in blocks of up to 384 (M), then for each panel (64 columns, or 48/32/16 for narrow outputs; without
/// AVX-512 a run of four 16-column panels, each tile running across the four), for each group of reduction blocks
/// (≤ 128 deep: a slab of B of at most 32 KiB that stays in L1 while every 6-row tile of the row block streams past it;
/// 512 deep, from L2, where one thread runs the whole GEMM, on the 16-column panels of machines without AVX-512, and
/// where L1 is too small for the slab (`slabStaysInL1`); the tile's partial sums go back to C between groups). Work units are (row block, panel run) pairs (`WorkUnits`),
/// split contiguously and evenly over the engine's threads: tall layers split rows, small late layers (7×7 maps) split panels. While a group runs,
/// the micro-kernel prefetches the slab that comes next into L2, a line per reduction step (`SlabPrefetch`).
/// Measured (`animepop-bench vision --layers`): ResNet-50's convs run at 78–88% of one core's FMA peak
/// on one thread (`--threads 1 --batch 4`) and at 67–90% of two cores' at batch 1.

/// One slice of the reduction: B rows [k0, k0 + depth), which for a k×k convolution are the input channels
/// [channel, channel + depth) of kernel tap (ky, kx).
struct ReductionBlock: Sendable {
    let k0: Int
    let depth: Int
    let ky: Int
    let kx: Int
    let channel: Int

    /// Deepest reduction block: a 128×64 slab of B is 32 KiB and stays in a 48 KiB L1 next to the A rows
    /// (`ANIMEPOP_GEMM_DEPTH` overrides it for tuning).
    static let defaultDepth: Int = ProcessInfo.processInfo.environment["ANIMEPOP_GEMM_DEPTH"].flatMap(Int.init).map { min(max($0, 8), 1024) } ?? 128

    /// Deepest block of a 1×1 convolution: as deep as a group where threads split a GEMM (`splitGroupDepth`). Where
    /// that is 512, groups are 512 deep in every GEMM (`serialGroupDepth` too), so a group is one block and each tile's
    /// reduction one loop (its A rows are contiguous across blocks anyway); where it is one L1 slab, blocks must not be
    /// deeper. The groups' boundaries and so the features' bits are unchanged. Passes alternating in one process,
    /// 2 threads, 2026-12-07: on an AVX2-only AMD EPYC (Zen 3) ResNet-50 with im2col 1.2–4.2% less time per image in six
    /// of six comparisons (batch 1 and 8), F(4,3) −6.5% and +2.9%, EfficientNet-Lite0 (slices of 384 for its 1152
    /// channels) faster in five of six; on an AVX-512 Zen 4 (32 KiB L1) within the noise (medians −2.2 to +3.0%).
    static let pointwiseDepth = splitGroupDepth

    /// Blocks for a `kernel`×`kernel` convolution over `channels` inputs: per tap (row-major), channel slices of at
    /// most `maxDepth`. Kernel 1 also covers plain matrices and whole im2col patch rows.
    static func convolution(kernel: Int, channels: Int, maxDepth: Int = defaultDepth) -> [ReductionBlock] {
        precondition(maxDepth <= 1024, "reduction blocks are at most 1024 deep (the padding row's length)")
        let slices = (channels + maxDepth - 1) / maxDepth
        var blocks: [ReductionBlock] = []
        for tap in 0..<(kernel * kernel) {
            for slice in 0..<slices {
                let first = channels * slice / slices, last = channels * (slice + 1) / slices
                blocks.append(ReductionBlock(k0: tap * channels + first, depth: last - first, ky: tap / kernel, kx: tap % kernel,
                                             channel: first))
            }
        }
        return blocks
    }
}

/// Where A's rows come from.
protocol RowSource {
    /// `block.depth` floats of row `row` of A, from reduction index `block.k0`.
    func row(_ row: Int, _ block: ReductionBlock) -> UnsafePointer<Float>
}

/// A as a plain row-major matrix (1×1 stride-1 convolutions, Winograd's transformed tiles).
struct MatrixRows: RowSource {
    let base: UnsafePointer<Float>
    let stride: Int

    @inline(__always)
    func row(_ row: Int, _ block: ReductionBlock) -> UnsafePointer<Float> { base + row * stride + block.k0 }
}

/// Zeros standing in for input pixels in the padding (longer than any channel slice).
nonisolated(unsafe) private let paddingRow: UnsafePointer<Float> = {
    let zeros = UnsafeMutablePointer<Float>.allocate(capacity: 1024)
    zeros.initialize(repeating: 0, count: 1024)
    return UnsafePointer(zeros)
}()

/// A as the im2col matrix of an NHWC input, never materialized: row (n, oy, ox) at tap (ky, kx) is the input
/// pixel (n, oy·stride − top + ky, ox·stride − left + kx), or zeros outside the image. Each row's window origin is
/// worked out once per call (`origins`), so finding a row for a tile and reduction block takes two adds and a
/// bounds check rather than three integer divisions: ResNet-50's 3×3 convs (im2col) 3.6–4.6% faster at batch 1 and 8
/// (`vision --profile`, passes alternating with the old addressing in one process).
struct WindowRows: RowSource {
    let input: UnsafePointer<Float>
    let origins: WindowOrigins
    let height: Int
    let width: Int
    let channels: Int

    /// Rows of `origins`' windows over `input` [N, H, W, C] of shape `inShape`.
    init(input: UnsafePointer<Float>, inShape: FeatureMapShape, origins: WindowOrigins) {
        self.input = input
        self.origins = origins
        height = inShape.height
        width = inShape.width
        channels = inShape.channels
    }

    @inline(__always)
    func row(_ row: Int, _ block: ReductionBlock) -> UnsafePointer<Float> {
        let origin = origins.base + 3 * row
        let iy = origin[1] + block.ky, ix = origin[2] + block.kx
        guard iy >= 0, iy < height, ix >= 0, ix < width else { return paddingRow }
        return input + (origin[0] + (block.ky * width + block.kx) * channels + block.channel)
    }
}

/// Where each output pixel's window starts: per output row (n, oy, ox), the input offset of tap (0, 0), its iy and
/// its ix (the tap may lie in the padding; the offset is then only ever used with a tap inside the image).
/// Owns its storage: 3 Ints per output pixel, filled without divisions; immutable once built (hence @unchecked Sendable).
final class WindowOrigins: @unchecked Sendable {
    let base: UnsafeMutablePointer<Int>

    /// Origins of a k×k window with `stride` and leading padding `top`/`left`, from `inShape` to `outShape`.
    init(inShape: FeatureMapShape, outShape: FeatureMapShape, stride: Int, top: Int, left: Int) {
        base = UnsafeMutablePointer<Int>.allocate(capacity: 3 * max(1, outShape.pixels))
        var entry = base
        for image in 0..<outShape.batch {
            for oy in 0..<outShape.height {
                let iy = oy * stride - top
                for ox in 0..<outShape.width {
                    let ix = ox * stride - left
                    entry[0] = ((image * inShape.height + iy) * inShape.width + ix) * inShape.channels
                    entry[1] = iy
                    entry[2] = ix
                    entry += 3
                }
            }
        }
    }

    deinit { base.deallocate() }
}

/// C = act(A · B + bias [+ residual]) for `m` rows; C and the residual are [m, N] with N = `panels.columns`.
/// C may be the residual itself (the first reduction block reads each residual element just before writing it).
func packedGEMM<Rows: RowSource>(
    _ rows: Rows, m: Int, blocks: [ReductionBlock], panels: PackedPanels,
    output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, activation: Activation
) {
    let units = WorkUnits(m: m, panels: panels)
    let groupDepth = engineWorkers() == 1 ? serialGroupDepth : splitGroupDepth
    parallelChunks(units.count) { chunk in
        for unit in chunk {
            gemmUnit(rows, rows: units.rows(unit), panels: units.panels(unit), blocks: blocks, panels: panels, output: output,
                     bias: bias, residual: residual, activation: activation, groupDepth: groupDepth)
        }
    }
}

/// A GEMM's work units: (row block, run of consecutive panels) pairs, row block major, so a thread's contiguous share
/// takes every run of a row block in turn (`rowBlocking`).
struct WorkUnits {
    /// Panels per run: four on the 16-column panels of a machine without AVX-512, so that a unit spans 64 columns as
    /// one panel does with AVX-512, where a run is one panel. Each 6-row tile then runs across the run's panels while its
    /// A rows are in L1 (`gemmUnit`), instead of the whole row block being read again from L2 for every 16 columns, and
    /// the tile's row pointers are worked out once for the four. On an AVX2-only AMD EPYC (2026-12-07, passes alternating
    /// in one process, 2 threads, together with the 6×16 kernel's direct write-out and its next-tile C prefetch issued
    /// up front): ResNet-50 with im2col 113.5 → 107.3 ms per image at batch 1 and 87.1 → 74.2 at batch 8, with F(4,3)
    /// (its 1×1 convs only) 73.7 → 65.7 and 72.4 → 62.3, and F(4,3)'s Winograd products in runs too 52.9 → 48.8 and
    /// 51.0 → 47.8; EfficientNet-Lite0 11.8 → 10.4 (batch 1) and 14.4 → 11.3 (batch 8). Runs of eight were 2–3% slower than four.
    static let runLength = PackedPanels.wideRegisters ? 1 : 4

    let rowBlocks: Int
    let blockRows: Int
    let m: Int
    let panelCount: Int
    let runs: Int

    /// The units of an `m`-row GEMM on `panels`.
    init(m: Int, panels: PackedPanels) {
        self.m = m
        panelCount = panels.count
        runs = (panels.count + Self.runLength - 1) / Self.runLength
        (rowBlocks, blockRows) = rowBlocking(m, panels: runs)
    }

    /// How many units there are.
    var count: Int { rowBlocks * runs }

    /// Unit `unit`'s rows.
    func rows(_ unit: Int) -> Range<Int> {
        let rowBlock = unit / runs
        return rowBlock * blockRows..<min(m, (rowBlock + 1) * blockRows)
    }

    /// Unit `unit`'s panels.
    func panels(_ unit: Int) -> Range<Int> {
        let run = unit % runs
        return run * Self.runLength..<min(panelCount, (run + 1) * Self.runLength)
    }
}

/// How `m` rows split into row blocks (at most `gemmRowBlock` rows, a multiple of 6) so that the
/// (row block, panel run) units divide evenly among the engine's threads. Units go to threads in contiguous runs, so
/// where every thread can have at least `rowsPerThreadForRowSplit` rows, the row blocks come in a multiple of the
/// thread count and each thread takes whole row blocks, every panel of them: it then reads the rows that it wrote
/// in the layer before (the same pixels, for 1×1 convs), which sit in its own L2, instead of half of every row
/// from the other core's. ResNet-50 at batch 1, 2 threads (`vision --profile`, passes alternating in one process):
/// 1×1 convs 3–9% faster and the whole network 2.4–6.8% over six runs, F(4,3) and im2col; smaller maps (7×7: 49 rows)
/// still split panels, which measured faster there.
func rowBlocking(_ m: Int, panels: Int) -> (count: Int, rows: Int) {
    let workers = engineWorkers()
    var count = (m + gemmRowBlock - 1) / gemmRowBlock
    if ((count * panels) % workers != 0 && m >= 6 * workers) || m >= rowsPerThreadForRowSplit * workers {
        count = (count + workers - 1) / workers * workers
    }
    let rows = ((m + count - 1) / count + 5) / 6 * 6
    return ((m + rows - 1) / rows, rows)
}

/// Fewest rows per thread for which `rowBlocking` gives every thread its own rows rather than its own panels.
let rowsPerThreadForRowSplit = 96

/// How deep a group of reduction blocks runs with its tile sums kept in registers when one thread runs the whole GEMM
/// (`gemmUnit`): 512, a 128 KiB slab of B on 64-column panels that streams from L2 (32 KiB on 16-column ones). That is
/// the case for each thread's share of a batch (`ResNet50` at batch 8). Against one block at a time, passes alternating in one process (2 threads, batch 8) took
/// ResNet-50's 1×1 convs 2.6–2.8% less time and the whole pass 2.2–2.3% (im2col) and 1.8–1.9% (F(4,3)); groups of 256
/// gained about half that, 1152 about the same, whole 3×3 reductions (up to 4608) lost it in the 3×3 convs. With AVX-512 and a 48 KiB L1,
/// where threads split one GEMM (batch 1) groups were 1.6–4% slower, and Winograd's short products also lost, so both keep
/// groups of one L1 slab (`ReductionBlock.defaultDepth`; without AVX-512 see `splitGroupDepth`). Against the code before
/// groups, passes alternating in one process: batch 8 2.4–3.0% (im2col) and 2.1–2.5% (F(4,3)) less time over the layers, batch 1 within ±0.5%.
let serialGroupDepth = 512

/// How deep a group runs where threads split one GEMM (`packedGEMM` at batch 1): one L1 slab
/// (`ReductionBlock.defaultDepth`, 32 KiB) on AVX-512's 64-column panels where that slab stays in L1 (`slabStaysInL1`);
/// 512 on the 16-column panels of a machine without AVX-512 (`PackedPanels.wideRegisters`), where that is still a 32 KiB
/// slab, and on an AVX-512 machine whose 32 KiB L1 cannot hold the slab next to the A rows, so that it streams from L2
/// anyway. Passes alternating in one process, 2 threads, batch 1, 2026-12-07:
/// - AVX2-only AMD EPYC (Zen 3): ResNet-50 with im2col 73.2 → 65.3 and 70.3 → 67.8 ms per image, with F(4,3)
///   50.8 → 48.5; 256 gained about half of that, 1024 no more than 512.
/// - AMD EPYC with AVX-512 and a 32 KiB L1 (Zen 4): ResNet-50 with im2col 40.83 → 39.27 and 40.33 → 39.04 ms per image
///   (256: 40.41 → 39.58, 41.15 → 40.07; 1024 the same as 512), with F(4,3) 33.93 → 33.83 (its products keep their
///   groups), EfficientNet-Lite0 5.50 → 5.38.
/// Winograd's products measured the same at 128 and 512 on both (within ±3.5%, batch 1 and 8, mixed), so they keep one
/// L1 slab everywhere.
let splitGroupDepth = PackedPanels.wideRegisters && slabStaysInL1 ? ReductionBlock.defaultDepth : serialGroupDepth

/// Rows per work unit of `packedGEMM` (`ANIMEPOP_GEMM_ROWS` overrides it for tuning).
let gemmRowBlock: Int = ProcessInfo.processInfo.environment["ANIMEPOP_GEMM_ROWS"].flatMap(Int.init).map { max(6, $0 / 6 * 6) } ?? 384

/// One work unit, on the calling thread: C[rows, the columns of the panels `run`] for every group of reduction blocks
/// in turn, each group's slabs of B reused by all 6-row tiles of `rows`, and each tile run across the panels of `run`
/// one after another while its A rows are in L1 (`WorkUnits.runLength`). A group is as many consecutive blocks as fit
/// in `groupDepth` (at least one); each tile runs all of them with its sums in registers (`groupSteps`) and goes back to
/// C only between groups. The first group's sums start at the residual, later groups' at C (`TileStart`, so the
/// grouping changes no rounding); bias and activation (when `bias` is given) join the last.
/// - Parameters:
///   - output: C's row 0, leading dimension N = `panels.columns`; `residual` likewise.
///   - groupDepth: the deepest group; at `ReductionBlock.defaultDepth` a group is one slab that stays in L1 (blocks of
///     128 stay alone, layer1's 64-deep taps go in pairs).
func gemmUnit<Rows: RowSource>(
    _ source: Rows, rows: Range<Int>, panels run: Range<Int>, blocks: [ReductionBlock], panels: PackedPanels,
    output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, activation: Activation,
    groupDepth: Int = ReductionBlock.defaultDepth
) {
    let n = panels.columns
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: 24 * 64, alignment: 64).bindMemory(to: Lanes16.self, capacity: 24)
    let pointers = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: 6 * blocks.count)
    let depths = UnsafeMutablePointer<Int>.allocate(capacity: blocks.count)
    let upcoming = UnsafeMutablePointer<SlabPrefetch>.allocate(capacity: run.count)
    defer { scratch.deallocate(); pointers.deallocate(); depths.deallocate(); upcoming.deallocate() }
    /// The blocks from `first` on that one group takes: as many as fit in `groupDepth` (at least one).
    func group(from first: Int) -> (end: Int, depth: Int) {
        var end = first + 1, depth = blocks[first].depth
        while end < blocks.count, depth + blocks[end].depth <= groupDepth { depth += blocks[end].depth; end += 1 }
        return (end, depth)
    }
    var first = 0
    var (end, depth) = group(from: 0)
    while first < blocks.count {
        let last = end == blocks.count
        for index in first..<end { depths[index - first] = blocks[index].depth }
        // While this group runs, the slabs that come next (each panel's next group, or the first group of the panel one
        // run on, which is usually in this thread's next unit) are brought into L2, a slice during each tile.
        let next = last ? group(from: 0) : group(from: end)
        for (j, panel) in run.enumerated() {
            upcoming[j] = SlabPrefetch(panels, panel: last ? panel + run.count : panel, k0: blocks[last ? 0 : end].k0, depth: next.depth)
        }
        let tiles = (rows.count + 5) / 6
        var tileRow = rows.lowerBound
        while tileRow < rows.upperBound {
            let valid = min(6, rows.upperBound - tileRow), following = tileRow + 6
            // Rows past the end repeat the last real row; their results are dropped.
            var p = pointers
            for index in first..<end {
                for i in 0..<6 { p[i] = source.row(tileRow + min(i, valid - 1), blocks[index]) }
                p += 6
            }
            let group = GroupRows(pointers: pointers, depths: depths, count: end - first)
            for (j, panel) in run.enumerated() {
                let b = panels.block(panel: panel, from: blocks[first].k0)
                let firstColumn = panel * panels.width, columns = min(panels.width, n - firstColumn)
                // A unit of so few tiles that a line a step would leave part of the next slab behind (Winograd's
                // products on 16 tiles: ResNet-50's layer3 at batch 1) takes two.
                let twice = upcoming[j].lines > tiles * depth
                let slice = upcoming[j].slice(maximum: twice ? 2 * depth : depth)
                let pass = last ? bias.map { OutputPass(bias: $0 + firstColumn, activation: activation) } : nil
                let target = TileTarget(c: output + tileRow * n + firstColumn, ldc: n, rows: valid, columns: columns, accumulate: first > 0,
                                        residual: first == 0 ? residual.map { $0 + tileRow * n + firstColumn } : nil, pass: pass, scratch: scratch,
                                        prefetch: slice.start, prefetchLines: slice.lines, prefetchTwice: twice,
                                        nextC: first == 0 && following < rows.upperBound ? UnsafeRawPointer(output + following * n + firstColumn) : nil,
                                        nextRows: min(6, rows.upperBound - following))
                microKernel6xN(width: panels.width, group, b: b, target: target)
            }
            tileRow = following
        }
        first = end
        if !last { (end, depth) = next }
    }
}

/// The next kc×width slab of B (the next group's), brought into L2 while the current group runs. Weights are cold in a network at batch 1
/// (each layer's are read once per image, 100 MB in all for ResNet-50); without this, the first tile of every
/// reduction block waits on them (ResNet-50 at batch 1, 2 threads: 27.5 → 29.6 images/s). Each tile takes a slice of up
/// to kc lines (`slice`), and the micro-kernel issues one per reduction step (`reductionSteps`), so the requests spread
/// through the tile's FMAs. An even share issued all at once before each tile stalled the kernel's loads; passes
/// alternating the two in one process (2 threads, 2026-11-23) gave ResNet-50 with F(4,3) 29.86 → 28.05 and
/// 31.55 → 28.09 ms per image at batch 1, 24.49 → 23.61 and 24.81 → 23.85 at batch 8 (the Winograd products 14–19%);
/// im2col 31.37 → 29.29 and 30.87 → 29.29 at batch 1, unchanged at batch 8; EfficientNet-Lite0 3–4% at batch 1.
/// Where a unit has too few tiles for one line a step to cover the slab (at most 3 tiles on 64-column panels), each
/// step issues two (`TileTarget.prefetchTwice`): passes alternating in one process (AMD EPYC Zen 4, 2 threads,
/// 2026-12-07), ResNet-50 with F(4,3) at batch 1, layer3.1's 3×3 conv (16 tiles) 0.648 → 0.621, 0.809 → 0.775 and
/// 0.632 → 0.583 ms, the whole pass 0.995, 1.006 and 0.984 of the time before; at batch 8 (layer4's products on 16 tiles
/// per thread) 0.997, 0.980 and 0.995; im2col, whose units all have more tiles, does not take it.
struct SlabPrefetch {
    private let base: UnsafeRawPointer?
    /// Cache lines in the slab.
    let lines: Int
    private var issued = 0

    /// The slab of rows [k0, k0 + depth) in panel `panel` (none past the last panel).
    init(_ panels: PackedPanels, panel: Int, k0: Int, depth: Int) {
        base = panel < panels.count ? UnsafeRawPointer(panels.block(panel: panel, from: k0)) : nil
        lines = depth * panels.width * MemoryLayout<Float>.size / 64
    }

    /// The next slice of the slab's lines, at most `maximum` of them (none once all were handed out).
    mutating func slice(maximum: Int) -> (start: UnsafeRawPointer?, lines: Int) {
        guard let base else { return (nil, 0) }
        let count = min(maximum, lines - issued)
        defer { issued += count }
        return (base + 64 * issued, count)
    }
}
