import Foundation
import Tensor
import Vision
#if canImport(Glibc)
import Glibc
#endif

/// `animepop-bench vision [--threads N] [--seconds S] [--rounds R] [--only resnet50|efficientnet-lite0] [--winograd none|f2x3|f4x3] [--onnxruntime PYTHON]`,
/// `animepop-bench vision --layers [--batch N]` (GFLOP/s of single ResNet-50-shaped convs, direct and Winograd),
/// `animepop-bench vision --profile [--winograd none|f2x3|f4x3] [--passes P] [--each]` (ResNet-50 layer by layer inside the network),
/// or `animepop-bench vision --bn-check DIR [--images N]` (the batch-norm statistics check on real EfficientNet-Lite0 weights):
/// ResNet-50 (im2col + GEMM and Winograd) and EfficientNet-Lite0 images/s at 224×224, batch 1 and 8, synthetic weights; peak memory.
/// `ANIMEPOP_CONV_GEMM=openblas` runs the dense convs through OpenBLAS instead of the packed micro-kernel.
/// With --onnxruntime, the same ResNet-50 as an ONNX graph timed by onnxruntime in the same run
/// (tools/vision_net_reference.py onnx-bench), and the ratios.
var visionSuite: Suite {
    Suite(name: "vision", summary: "ResNet-50 / EfficientNet-Lite0 images/s at 224², b1 and b8, vs onnxruntime",
          run: runVisionBench)
}

func runVisionBench(_ arguments: [String]) throws {
    let options = BenchOptions(arguments)
    func option(_ name: String) -> String? { options.string(name) }
    let threads = try options.positive("--threads", 2)
    let seconds = try options.positive("--seconds", 5.0)
    let rounds = try options.positive("--rounds", 2)
    BLAS.threadCount = threads
    // Checked first, so a mistyped value fails before any measurement runs.
    let chosen: WinogradVariant?? = try option("--winograd").map(winogradVariant(named:))
    if let directory = option("--bn-check") {
        try runBatchNormCheck(directory: directory, limit: option("--images").flatMap(Int.init) ?? 128)
        return
    }
    if arguments.contains("--profile") {
        try runResNetProfile(threads: threads, winograd: chosen ?? nil,
                             passes: try options.positive("--passes", 40), each: arguments.contains("--each"))
        return
    }
    if arguments.contains("--layers") {
        runConvolutionLayers(batch: try options.positive("--batch", 1), seconds: min(seconds, 1))
        return
    }
    print("threads \(threads), dense convs on \(ProcessInfo.processInfo.environment["ANIMEPOP_CONV_GEMM"] == "openblas" ? "OpenBLAS (\(BLAS.coreName))" : "the packed micro-kernel"), best 1-s window of \(seconds) s per figure, synthetic weights, 224×224")

    /// onnxruntime's images/s per batch size for this round (best over rounds kept by the caller).
    func onnxRound() throws -> [Int: Double] {
        guard let python = option("--onnxruntime") else { return [:] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["tools/vision_net_reference.py", "onnx-bench", "\(threads)", "\(seconds)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var rates: [Int: Double] = [:]
        for line in output.split(separator: "\n") {
            print("  " + line)
            // "... batch=8: 23.8 images/s"
            if let batchRange = line.range(of: "batch="), let colon = line.range(of: ": ", range: batchRange.upperBound..<line.endIndex),
               let batch = Int(line[batchRange.upperBound..<colon.lowerBound]),
               let rate = Double(line[colon.upperBound...].split(separator: " ").first ?? "") {
                rates[batch] = rate
            }
        }
        return rates
    }

    let only = option("--only")
    if only == nil || only == "efficientnet-lite0" {
    let lite = try Backbone.efficientNetLite0.network(stateDict: SyntheticWeights.stateDict(EfficientNetLite0.expectedShapes(), seed: 1))
    for batch in [1, 8] {
        let rate = imagesPerSecond(lite, batch: batch, seconds: seconds)
        print(String(format: "efficientnet-lite0          batch %d: %7.1f images/s", batch, rate))
    }
    print("peak RSS after EfficientNet-Lite0: \(peakResidentMegabytes()) MB")
    }
    guard only == nil || only == "resnet50" else { return }

    let variants: [WinogradVariant?] = chosen.map { [$0] } ?? [nil, .f2x3, .f4x3]
    let resnet = try Backbone.resnet50.network(stateDict: SyntheticWeights.stateDict(ResNet50.expectedShapes(), seed: 1))
    // Accuracy of the Winograd paths against im2col + GEMM, conv by conv: in the whole synthetic network the
    // residual stream dominates the features, so a feature-level comparison would hide the 3×3 convs' error.
    for variant in [WinogradVariant.f2x3, .f4x3] {
        print(String(format: "resnet50's 3×3 convs (56², 28², 14², 7²), %@ vs im2col+gemm: max relative error %.2e",
                     variant.label, winogradError(variant)))
    }
    func name(_ winograd: WinogradVariant?) -> String { winograd.map { "winograd " + $0.label } ?? "im2col+gemm" }
    // Rounds alternate onnxruntime and this engine so that both see the same stretches of a noisy machine;
    // each figure is the best over rounds.
    var onnx: [Int: Double] = [:]
    var ours: [String: Double] = [:]
    for round in 1...rounds {
        print("round \(round) of \(rounds)")
        for (batch, rate) in try onnxRound() { onnx[batch] = max(onnx[batch] ?? 0, rate) }
        for winograd in variants {
            resnet.useWinograd(winograd)
            for batch in [1, 8] {
                let rate = imagesPerSecond(resnet, batch: batch, seconds: seconds)
                print(String(format: "  resnet50 %-18@ batch %d: %7.1f images/s", name(winograd), batch, rate))
                ours["\(name(winograd)) \(batch)"] = max(ours["\(name(winograd)) \(batch)"] ?? 0, rate)
            }
        }
    }
    print("best of \(rounds) rounds:")
    for batch in [1, 8] where onnx[batch] != nil {
        print(String(format: "onnxruntime                 batch %d: %7.1f images/s", batch, onnx[batch] ?? 0))
    }
    for winograd in variants {
        for batch in [1, 8] {
            let rate = ours["\(name(winograd)) \(batch)"] ?? 0
            var line = String(format: "resnet50 %-18@ batch %d: %7.1f images/s", name(winograd), batch, rate)
            if let reference = onnx[batch] { line += String(format: "   %.2f× onnxruntime", rate / reference) }
            print(line)
        }
    }
    print("peak RSS after ResNet-50: \(peakResidentMegabytes()) MB")
}

/// Images per second of `network` on a synthetic batch, after one warm-up pass: the best of ~1-second windows
/// over `seconds` (the machine is shared; the best window is the least disturbed one). The onnxruntime
/// figures in tools/vision_net_reference.py are measured the same way.
func imagesPerSecond(_ network: ImageBackbone, batch: Int, seconds: Double) -> Double {
    let input = SyntheticWeights.input(batch: batch, height: 224, width: 224, seed: 3)
    _ = network.features(input, batch: batch, height: 224, width: 224)
    var best = 0.0
    let start = Date()
    repeat {
        var runs = 0
        let windowStart = Date()
        repeat {
            _ = network.features(input, batch: batch, height: 224, width: 224)
            runs += 1
        } while Date().timeIntervalSince(windowStart) < 1
        best = max(best, Double(runs * batch) / Date().timeIntervalSince(windowStart))
    } while Date().timeIntervalSince(start) < seconds
    return best
}

/// `vision --profile`: ResNet-50 (synthetic weights) at batch 1 and 8, each layer's median wall-clock time over `passes`
/// passes inside the running network, summed by stage and by kind of conv. Per image = median call time ÷ the call's
/// images ÷ the threads running side by side: at batch 8 each thread runs its share of the images through the whole
/// network at the same time as the others (the stem, layer1 and layer2 an image at a time, later layers its share at once).
/// GFLOP/s counts direct-convolution FLOPs, so Winograd's savings show as a higher rate. `--each` also lists every layer.
func runResNetProfile(threads: Int, winograd variant: WinogradVariant?, passes: Int, each: Bool) throws {
    let resnet = try ResNet50(stateDict: SyntheticWeights.stateDict(ResNet50.expectedShapes(), seed: 1))
    resnet.useWinograd(variant)
    let strided: Set = ["layer2.0.conv2", "layer3.0.conv2", "layer4.0.conv2"]   // each later stage's first 3×3 halves the map
    let kinds: [(String, (String) -> Bool)] = [
        ("7×7 stem", { $0 == "conv1" }),
        ("1×1 convs", { $0.hasSuffix(".conv1") || $0.hasSuffix(".conv3") || $0.hasSuffix(".downsample") }),
        ("3×3 stride 1", { $0.hasSuffix(".conv2") && !strided.contains($0) }),
        ("3×3 stride 2", { strided.contains($0) }),
        ("pooling", { $0.hasSuffix("pool") }),
    ]
    let stages = ["conv1", "layer1", "layer2", "layer3", "layer4"]
    var columns: [[String: (seconds: Double, flops: Double)]] = []
    var totals: [Double] = []
    for batch in [1, 8] {
        let input = SyntheticWeights.input(batch: batch, height: 224, width: 224, seed: 3)
        _ = resnet.features(input, batch: batch, height: 224, width: 224)
        let times = LayerTimes()
        resnet.layerTimes = times
        for _ in 0..<passes { _ = resnet.features(input, batch: batch, height: 224, width: 224) }
        resnet.layerTimes = nil
        var rows: [String: (seconds: Double, flops: Double)] = [:]
        // Wall-clock per image: a call's time over its images, and over the threads that run calls side by side
        // (at batch 8 each thread runs its share of the images, a layer at a time or an image at a time).
        let sideBySide = Double(batch >= threads ? threads : 1)
        func wallPerImage(_ layer: LayerTimes.Layer) -> Double { layer.seconds / Double(layer.images) / sideBySide }
        func add(_ key: String, _ layer: LayerTimes.Layer) {
            let perImage = (seconds: wallPerImage(layer), flops: layer.flops / Double(layer.images))
            rows[key] = ((rows[key]?.seconds ?? 0) + perImage.seconds, (rows[key]?.flops ?? 0) + perImage.flops)
        }
        let layers = times.medians()
        for layer in layers where each {
            let perImage = wallPerImage(layer)
            let rate = layer.flops > 0 ? String(format: "%6.1f GFLOP/s", layer.flops / Double(layer.images) / perImage / 1e9) : ""
            print("batch \(batch)  " + layer.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + String(format: " %7.3f ms/image  ", perImage * 1e3) + rate)
        }
        for layer in layers {
            let stage = layer.name == "maxpool" ? "conv1" : layer.name == "avgpool" ? "layer4"
                : String(layer.name.prefix { $0 != "." })
            add(stage, layer)
            for (kind, matches) in kinds where matches(layer.name) { add(kind, layer) }
        }
        columns.append(rows)
        totals.append(layers.map(wallPerImage).reduce(0, +))
    }
    let engine = variant.map { "Winograd \($0.label) on stride-1 3×3 convs" } ?? "im2col + GEMM"
    print("ResNet-50, \(engine), \(threads) threads, median of \(passes) passes per layer (synthetic weights, 224×224)")
    print("                     batch 1             batch 8")
    print("                 ms/image  GFLOP/s   ms/image  GFLOP/s")
    func line(_ label: String, _ key: String) {
        var text = label.padding(toLength: 16, withPad: " ", startingAt: 0)
        for rows in columns {
            let row = rows[key] ?? (0, 0)
            text += String(format: " %7.2f  ", row.seconds * 1e3)
                + (row.flops > 0 && row.seconds > 0 ? String(format: "%7.1f  ", row.flops / row.seconds / 1e9) : "      —  ")
        }
        print(text)
    }
    for stage in stages { line(stage == "conv1" ? "conv1 + maxpool" : stage, stage) }
    print("by kind:")
    for (kind, _) in kinds { line("  " + kind, kind) }
    print(String(format: "total (sum of medians): %.2f ms = %.1f images/s at batch 1, %.2f ms = %.1f images/s at batch 8",
                 totals[0] * 1e3, 1 / totals[0], totals[1] * 1e3, 1 / totals[1]))
}

/// The `--winograd` value: `none` (im2col + GEMM), `f2x3` or `f4x3`.
func winogradVariant(named name: String) throws -> WinogradVariant? {
    switch name {
    case "none": nil
    case "f2x3": .f2x3
    case "f4x3": .f4x3
    default: throw BenchError("--winograd takes none, f2x3 or f4x3, not \(name)")
    }
}

extension WinogradVariant {
    /// "F(2,3)" or "F(4,3)".
    var label: String { self == .f2x3 ? "F(2,3)" : "F(4,3)" }
}

/// The largest max |Winograd − direct| / max |direct| over ResNet-50's stride-1 3×3 conv shapes at batch 1,
/// random inputs in [0, 1] and weights in ±0.05 (no activation, so negative outputs count too).
func winogradError(_ variant: WinogradVariant) -> Double {
    var generator = SeededGenerator(seed: 11)
    var worst = 0.0
    for (side, channels) in [(56, 64), (28, 128), (14, 256), (7, 512)] {
        let weights = (0..<(9 * channels * channels)).map { _ in Float.random(in: -0.05...0.05, using: &generator) }
        let conv = Convolution(inputChannels: channels, outputChannels: channels, kernel: 3, stride: 1, padding: .symmetric(1),
                               activation: .identity, weights: weights, bias: Array(repeating: 0, count: channels))
        let shape = FeatureMapShape(batch: 1, height: side, width: side, channels: channels)
        let input = (0..<shape.count).map { _ in Float.random(in: 0...1, using: &generator) }
        let arena = ActivationArena(slots: 2)
        func run(_ conv: Convolution) -> [Float] {
            var output = [Float](repeating: 0, count: conv.outputShape(shape).count)
            input.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { destination in
                    guard let source = source.baseAddress, let destination = destination.baseAddress else { return }
                    conv.forward(source, shape: shape, output: destination, arena: arena)
                }
            }
            return output
        }
        let exact = run(conv), approximate = run(conv.usingWinograd(variant, minimumTiles: 0))
        let scale = exact.map(abs).max() ?? 1
        worst = max(worst, Double((zip(exact, approximate).map { abs($0 - $1) }.max() ?? 0) / scale))
    }
    return worst
}

/// Peak resident set size of this process so far (getrusage ru_maxrss, KiB on Linux), in MB.
func peakResidentMegabytes() -> Int {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss / 1024
}

/// The batch-norm statistics check (DESIGN.md) on up to `limit` JPEGs of `directory`, for both input
/// normalizations: prints the first layers, the last, and the average over all 49 BN layers.
func runBatchNormCheck(directory: String, limit: Int) throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        .filter { $0.lowercased().hasSuffix(".jpg") || $0.lowercased().hasSuffix(".jpeg") }.sorted().prefix(limit)
    var images: [RGBImage] = []
    for name in names {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
        guard let image = try? JPEGDecoder.decode(contentsOf: url, minimumSide: Preprocessor.decodingMinimumSide()) else {
            print("  skipped \(name): not decodable"); continue
        }
        images.append(image)
    }
    let stateDict = try TorchCheckpoint.read(contentsOf: WeightsCache.efficientNetLite0)
    for (label, normalization) in [("tflite (x-127)/128", PixelNormalization.tensorFlowLite), ("imagenet mean/std", .imageNet)] {
        let input = Preprocessor.batch(images, normalization: normalization)
        let layers = try BatchNormCheck.efficientNetLite0(stateDict: stateDict, input: input, batch: images.count, height: 224, width: 224)
        print("== \(label): \(images.count) images from \(directory), center crop 224")
        for layer in Array(layers.prefix(4)) + Array(layers.suffix(2)) {
            print("  " + layer.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                  + String(format: " mean-mismatch %.3f  log-var-mismatch %.3f", layer.meanMismatch, layer.logVarianceMismatch))
        }
        let count = Double(layers.count)
        print(String(format: "  average over %d BN layers: mean-mismatch %.3f  log-var-mismatch %.3f", layers.count,
                     layers.map(\.meanMismatch).reduce(0, +) / count, layers.map(\.logVarianceMismatch).reduce(0, +) / count))
    }
}

/// `vision --layers`: GFLOP/s of single ResNet-50-shaped convolutions (the engine chosen by ANIMEPOP_CONV_GEMM).
func runConvolutionLayers(batch: Int, seconds: Double) {
    // (input side, Cin, Cout, kernel, stride)
    let layers: [(Int, Int, Int, Int, Int)] = [
        (224, 3, 64, 7, 2), (56, 64, 64, 1, 1), (56, 64, 64, 3, 1), (56, 64, 256, 1, 1), (56, 256, 64, 1, 1),
        (28, 128, 128, 3, 1), (28, 128, 512, 1, 1), (28, 512, 128, 1, 1), (14, 256, 256, 3, 1), (14, 256, 1024, 1, 1),
        (14, 1024, 256, 1, 1), (7, 512, 512, 3, 1), (7, 512, 2048, 1, 1), (7, 2048, 512, 1, 1), (56, 128, 128, 3, 2),
    ]
    let arena = ActivationArena(slots: 2)
    for (side, cin, cout, kernel, stride) in layers {
        var generator = SystemRandomNumberGenerator()
        let weights = (0..<(kernel * kernel * cin * cout)).map { _ in Float.random(in: -0.05...0.05, using: &generator) }
        let conv = Convolution(inputChannels: cin, outputChannels: cout, kernel: kernel, stride: stride,
                               padding: .symmetric(kernel / 2), activation: .relu, weights: weights, bias: Array(repeating: 0.01, count: cout))
        let shape = FeatureMapShape(batch: batch, height: side, width: side, channels: cin)
        let outShape = conv.outputShape(shape)
        let input = (0..<shape.count).map { _ in Float.random(in: 0...1, using: &generator) }
        let output = UnsafeMutablePointer<Float>.allocate(capacity: outShape.count)
        defer { output.deallocate() }
        let flops = conv.flops(outShape)
        func rate(_ conv: Convolution) -> Double {
            var best = 0.0
            input.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                let start = Date()
                repeat {
                    let t0 = Date()
                    var runs = 0
                    repeat { conv.forward(base, shape: shape, output: output, arena: arena); runs += 1 } while Date().timeIntervalSince(t0) < 0.2
                    best = max(best, flops * Double(runs) / Date().timeIntervalSince(t0) / 1e9)
                } while Date().timeIntervalSince(start) < seconds
            }
            return best
        }
        let best = rate(conv)
        if conv.supportsWinograd {
            print(String(format: "    F(4,3) %6.1f  F(2,3) %6.1f  effective GFLOP/s", rate(conv.usingWinograd(.f4x3, minimumTiles: 0)),
                         rate(conv.usingWinograd(.f2x3, minimumTiles: 0))))
        }
        print(String(format: "conv %3d² %4d→%4d k%d s%d b%d: %6.1f GFLOP/s", side, cin, cout, kernel, stride, batch, best))
    }
}
