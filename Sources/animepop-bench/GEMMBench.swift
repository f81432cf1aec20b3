// Suite `gemm`: GEMM GFLOP/s through the core's `Tensor.matmul` beside (a) cblas_sgemm called directly
// (the one place outside the BLAS seam that calls CBLAS, for this comparison only) and (b) the machine's
// FMA peak measured by a register-only loop of vector-register-wide FMAs (SIMD16<Float> with AVX-512, SIMD8 without,
// so that its 12 accumulators fit the register file); then elementwise and layer-norm GB/s.
//
// The FMA loop vectorizes to vfmadd only because this target is built with `-target-cpu native`
// (Package.swift); without it LLVM lowers addingProduct to `fmaf` calls and the printed
// fraction of theoretical peak exposes that. Core and direct runs alternate within each round, so
// their ratio is taken from measurements adjacent in time (the machine is shared and noisy).
//
//     .build/release/animepop-bench gemm [--rounds N] [--quick]
import CBLAS
import Foundation
import Tensor
import Vision

/// The `gemm` suite (computed: `Suite` is not Sendable, so it cannot be a stored global outside main.swift).
var gemmSuite: Suite {
    Suite(name: "gemm", summary: "GEMM GFLOP/s: core vs direct OpenBLAS vs FMA peak; elementwise/layer-norm GB/s",
          run: GEMMBench.run)
}

enum GEMMBench {
    /// One GEMM problem, C[M×N] = A[M×K]·B[K×N].
    struct Shape {
        let name: String, m: Int, n: Int, k: Int
        var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    static func run(_ options: [String]) throws {
        let rounds = Int(value(of: "--rounds", in: options) ?? "") ?? 5
        let quick = options.contains("--quick")
        let megahertz = cpuMegahertz()
        print("OpenBLAS core \(BLAS.coreName), \(BLAS.processorCount) processors; \(BLAS.configuration)")
        print("CPU \(megahertz.map { String(format: "%.0f MHz (from /proc/cpuinfo)", $0) } ?? "clock unknown"); rounds \(rounds)")

        // (b) FMA peak: best of the rounds, per thread count (re-measured beside every GEMM below too).
        let peakSeconds = quick ? 0.05 : 0.25
        for threads in [1, 2] {
            let peak = (0..<rounds).map { _ in fmaPeak(threads: threads, seconds: peakSeconds) }.max() ?? 0
            var line = String(format: "FMA peak, %d thread%@: %7.1f GFLOP/s", threads, threads == 1 ? "" : "s", peak)
            if let megahertz {
                // 2 FMA units × lanes (16 with AVX-512, 8 with AVX2) × 2 flops per cycle per core.
                let theoretical = Double(threads) * 2 * Double(fmaLanes) * 2 * megahertz / 1000
                line += String(format: "  = %.0f%% of 2 FMA × %d lanes × 2 × %.2f GHz = %.1f", 100 * peak / theoretical,
                               fmaLanes, megahertz / 1000, theoretical)
                // A scalar `fmaf` fallback would reach about a lane count's fraction of the vector rate.
                if threads == 1 && peak < 0.1 * theoretical { line += "  (NOT vectorized: build with -target-cpu native)" }
                // /proc/cpuinfo gives the nominal clock; a core that boosts above it passes 100%.
                if peak > theoretical { line += "  (above the nominal clock: boost)" }
            }
            print(line)
        }

        // Core vs direct OpenBLAS.
        let shapes = [
            Shape(name: "square 1024", m: 1024, n: 1024, k: 1024),
            Shape(name: "square 2048", m: 2048, n: 2048, k: 2048),
            Shape(name: "ResNet N=64", m: 3136, n: 64, k: 576),
            Shape(name: "ResNet N=128", m: 3136, n: 128, k: 576),
            Shape(name: "ResNet N=256", m: 3136, n: 256, k: 576),
        ]
        print("\nBest of \(rounds) rounds; in (…) the median over rounds of ratios taken within one round (core, direct, peak adjacent).")
        print("shape (M×N×K)               thr  core GFLOP/s  direct GFLOP/s  peak GFLOP/s   core/direct        core/peak")
        let savedThreads = BLAS.threadCount
        defer { BLAS.threadCount = savedThreads }
        for shape in shapes {
            var generator = SeededGenerator(seed: 1)
            let a = Tensor.uniform([shape.m, shape.k], lower: -1, upper: 1, generator: &generator)
            let b = Tensor.uniform([shape.k, shape.n], lower: -1, upper: 1, generator: &generator)
            for threads in [1, 2] {
                BLAS.threadCount = threads
                let r = compare(a, b, shape: shape, threads: threads, rounds: rounds, seconds: quick ? 0.05 : 0.3, peakSeconds: peakSeconds)
                let label = "\(shape.name) (\(shape.m)×\(shape.n)×\(shape.k))".padding(toLength: 28, withPad: " ", startingAt: 0)
                print(String(format: "%@ %3d  %12.1f  %14.1f  %12.1f   %5.3f (%5.3f)   %5.1f%% (%5.1f%%)", label, threads,
                             r.core, r.direct, r.peak, r.core / r.direct, r.coreOverDirect, 100 * r.core / r.peak, 100 * r.coreOverPeak))
            }
        }

        // Memory-bound ops (single-threaded Swift loops).
        print("\nop (single thread)                       GB/s   (bytes counted: inputs read + output written)")
        let rows = quick ? 1024 : 4096, width = 1024
        var generator = SeededGenerator(seed: 2)
        let x = Tensor.uniform([rows, width], lower: -1, upper: 1, generator: &generator)
        let y = Tensor.uniform([rows, width], lower: -1, upper: 1, generator: &generator)
        let gain = Tensor(shape: [width], repeating: 1.1), bias = Tensor(shape: [width], repeating: 0.1)
        let bytes = Double(x.count * 4)
        let memoryOps: [(String, Double, () -> Tensor)] = [
            ("add [4096,1024] + [4096,1024]", 3 * bytes, { x + y }),
            ("add [4096,1024] + [1024] (broadcast)", 2 * bytes, { x + bias }),
            ("relu [4096,1024]", 2 * bytes, { x.relu() }),
            ("gelu [4096,1024]", 2 * bytes, { x.gelu() }),
            ("layerNorm [4096,1024]", 2 * bytes, { Tensor.layerNorm(x, gain: gain, bias: bias) }),
            ("softmax [4096,1024]", 2 * bytes, { x.softmax() }),
        ]
        for (name, traffic, body) in memoryOps {
            let best = (0..<rounds).map { _ in rate(work: traffic, seconds: quick ? 0.05 : 0.2) { sink(body()) } }.max() ?? 0
            print(String(format: "%@ %7.2f", name.padding(toLength: 40, withPad: " ", startingAt: 0), best / 1e9))
        }
        print(String(format: "(checksum %.3f)", checksum))
    }

    /// Best GFLOP/s of the core, of direct cblas_sgemm and of the FMA loop, with per-round ratio medians.
    struct Comparison {
        var core = 0.0, direct = 0.0, peak = 0.0, coreOverDirect = 0.0, coreOverPeak = 0.0
    }

    /// Measures core, direct and FMA peak back to back in each round (order rotated between rounds).
    static func compare(_ a: Tensor, _ b: Tensor, shape: Shape, threads: Int, rounds: Int,
                        seconds: Double, peakSeconds: Double) -> Comparison {
        var output = [Float](repeating: 0, count: shape.m * shape.n)
        let core = { sink(Tensor.matmul(a, b)) }
        let direct = {
            a.scalars.withUnsafeBufferPointer { aBuffer in
                b.scalars.withUnsafeBufferPointer { bBuffer in
                    output.withUnsafeMutableBufferPointer { cBuffer in
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(shape.m), Int32(shape.n), Int32(shape.k),
                                    1, aBuffer.baseAddress, Int32(shape.k), bBuffer.baseAddress, Int32(shape.n),
                                    0, cBuffer.baseAddress, Int32(shape.n))
                    }
                }
            }
        }
        core(); direct()  // warm-up: OpenBLAS buffers, page faults
        var cores: [Double] = [], directs: [Double] = [], peaks: [Double] = []
        for round in 0..<rounds {
            var measured = [0.0, 0.0, 0.0]
            for slot in 0..<3 {
                let which = (slot + round) % 3
                switch which {
                case 0: measured[0] = rate(work: shape.flops, seconds: seconds, core) / 1e9
                case 1: measured[1] = rate(work: shape.flops, seconds: seconds, direct) / 1e9
                default: measured[2] = fmaPeak(threads: threads, seconds: peakSeconds)
                }
            }
            cores.append(measured[0]); directs.append(measured[1]); peaks.append(measured[2])
        }
        sink(Tensor(shape: [output.count], scalars: output))
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Comparison(core: cores.max() ?? 0, direct: directs.max() ?? 0, peak: peaks.max() ?? 0,
                          coreOverDirect: median(zip(cores, directs).map { $0 / $1 }),
                          coreOverPeak: median(zip(cores, peaks).map { $0 / $1 }))
    }

    /// Work per second of `body`, run repeatedly for at least `seconds` (at least twice).
    static func rate(work: Double, seconds: Double, _ body: () -> Void) -> Double {
        var runs = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        while runs < 2 || elapsed < seconds {
            body()
            runs += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        return work * Double(runs) / elapsed
    }

    /// GFLOP/s of `threads` concurrent register-only FMA loops running about `seconds`.
    static func fmaPeak(threads: Int, seconds: Double) -> Double {
        let calibration = 1_000_000
        let probe = DispatchTime.now().uptimeNanoseconds
        sink(fmaLoop(iterations: calibration, seed: 1))
        let probeSeconds = Double(DispatchTime.now().uptimeNanoseconds - probe) / 1e9
        let iterations = max(calibration, Int(Double(calibration) * seconds / max(probeSeconds, 1e-6)))
        let results = Results(count: threads)
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            results.store(fmaLoop(iterations: iterations, seed: Float(index + 1)), at: index)
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        sink(results.total())
        return Double(threads) * Double(iterations) * Double(fmaAccumulators * fmaLanes * 2) / elapsed / 1e9
    }

    /// Independent accumulators in `fmaLoop`: enough to cover 4-cycle FMA latency on 2 ports (≥ 8).
    static let fmaAccumulators = 12

    /// Lanes of one vector register: 16 with AVX-512's 32 zmm, else 8 (AVX2's 16 ymm). Twelve 16-lane accumulators
    /// are 24 ymm registers, which spill on AVX2 and had halved the printed peak there.
    static let fmaLanes = PackedPanels.wideRegisters ? 16 : 8

    /// A register-only loop of 12 independent register-wide FMAs per iteration (no loads or stores inside).
    static func fmaLoop(iterations: Int, seed: Float) -> Float {
        fmaLanes == 16 ? fmaLoop(SIMD16<Float>.self, iterations: iterations, seed: seed)
            : fmaLoop(SIMD8<Float>.self, iterations: iterations, seed: seed)
    }

    /// `fmaLoop` on vectors of `Lanes`.
    @inline(never)
    static func fmaLoop<Lanes: SIMD>(_ lanes: Lanes.Type, iterations: Int, seed: Float) -> Float where Lanes.Scalar == Float {
        var a0 = Lanes(repeating: seed), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
        var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
        let x = Lanes(repeating: 0.999_999), y = Lanes(repeating: 1e-7 * seed)
        for _ in 0..<iterations {
            a0 = a0.addingProduct(x, y); a1 = a1.addingProduct(x, y); a2 = a2.addingProduct(x, y)
            a3 = a3.addingProduct(x, y); a4 = a4.addingProduct(x, y); a5 = a5.addingProduct(x, y)
            a6 = a6.addingProduct(x, y); a7 = a7.addingProduct(x, y); a8 = a8.addingProduct(x, y)
            a9 = a9.addingProduct(x, y); a10 = a10.addingProduct(x, y); a11 = a11.addingProduct(x, y)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
    }

    /// The clock /proc/cpuinfo reports for the first processor, in MHz.
    static func cpuMegahertz() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu MHz") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        return Double(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    static func value(of option: String, in options: [String]) -> String? {
        guard let index = options.firstIndex(of: option), index + 1 < options.count else { return nil }
        return options[index + 1]
    }

    /// Keeps results observable so the optimizer cannot drop the work.
    nonisolated(unsafe) static var checksum: Double = 0
    static func sink(_ tensor: Tensor) { checksum += Double(tensor.scalars.first ?? 0) }
    static func sink(_ value: Float) { checksum += Double(value) }

    /// Per-thread result slots written from `concurrentPerform` workers (each writes only its own slot).
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Float]
        init(count: Int) { values = [Float](repeating: 0, count: count) }
        func store(_ value: Float, at index: Int) { lock.lock(); values[index] = value; lock.unlock() }
        func total() -> Float { lock.lock(); defer { lock.unlock() }; return values.reduce(0, +) }
    }
}
