// Suite `decode`: JPEG decode + antialiased resize + centre crop + normalization, images per second, one thread.
//
// `animepop-bench decode [FOLDER] [--limit N] [--seconds S]` reads up to N (default 200) *.jpg files from FOLDER
// (default ../shared/data/posters/anime-wall) into memory first, so disk I/O is not timed, then times:
//   decode      JPEGDecoder.decode(data:) at full size
//   preprocess  Preprocessor.input (resize shorter side to 256, crop 224, ImageNet normalization) of decoded images
//   pipeline    both, as `embed-image` runs them (decode with minimumSide 256, so DCT scaling applies to large files)
//   pipeline without DCT scaling   the same at full decode size, to show what the scaling saves
// The decode-only row is the reference for the ratio: it is the floor set by libjpeg-turbo.
import Foundation
import Tensor
import Vision

/// The `decode` suite (computed: `Suite` is not Sendable, so it cannot be a global constant outside main.swift).
var decodeSuite: Suite { Suite(name: "decode", summary: "JPEG decode + resize + crop of posters, images/s (FOLDER [--limit N])") { arguments in
    let options = BenchOptions(arguments)
    let folder = options.firstOperand() ?? "../shared/data/posters/anime-wall"
    let limit = try options.positive("--limit", 200)
    let seconds = try options.positive("--seconds", 2.0)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw BenchError("\(folder): no such folder")
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        .filter { $0.lowercased().hasSuffix(".jpg") || $0.lowercased().hasSuffix(".jpeg") }
        .sorted()
        .prefix(limit)
    guard !names.isEmpty else { throw BenchError("no .jpg files in \(folder)") }
    let files = try names.map { name -> (String, Data) in
        (name, try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name)))
    }
    let totalBytes = files.reduce(0) { $0 + $1.1.count }
    var decoded: [RGBImage] = []
    var failures = 0
    for (name, data) in files {
        do { decoded.append(try JPEGDecoder.decode(data: data, name: name)) } catch { failures += 1 }
    }
    let meanWidth = decoded.reduce(0) { $0 + $1.width } / max(1, decoded.count)
    let meanHeight = decoded.reduce(0) { $0 + $1.height } / max(1, decoded.count)
    print("folder \(folder): \(files.count) files, \(totalBytes / max(1, files.count)) bytes mean, "
          + "mean size \(meanWidth)×\(meanHeight), \(failures) refused; 1 thread, ≥ \(seconds) s wall per row; rates per CPU second of this thread (steady on a shared machine) and per wall second")

    /// Runs `body` over all files repeatedly for at least `seconds` of wall time; images per wall and per CPU second.
    func rate(_ body: (Int) throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        var images = 0
        let start = Date(), cpuStart = CPUClock.thread()
        repeat {
            for item in 0..<files.count { try body(item) }
            images += files.count
        } while Date().timeIntervalSince(start) < seconds
        return (Double(images) / Date().timeIntervalSince(start), Double(images) / (CPUClock.thread() - cpuStart))
    }
    var sink: Float = 0
    let decodeRate = rate { item in
        if let image = try? JPEGDecoder.decode(data: files[item].1, name: files[item].0) { sink += Float(image.pixels[0]) }
    }
    let preprocessRate = rate { item in
        let image = decoded[item % decoded.count]
        sink += Preprocessor.input(image, side: 224, fit: .centerCrop, normalization: .imageNet)[0]
    }
    let minimumSide = Preprocessor.decodingMinimumSide(side: 224, fit: .centerCrop)
    let pipelineRate = rate { item in
        if let image = try? JPEGDecoder.decode(data: files[item].1, name: files[item].0, minimumSide: minimumSide) {
            sink += Preprocessor.input(image, side: 224, fit: .centerCrop, normalization: .imageNet)[0]
        }
    }
    print("  " + "".padding(toLength: 34, withPad: " ", startingAt: 0) + "   images/s (CPU)   ms/image (CPU)   vs decode   images/s (wall)")
    let fullSizePipelineRate = rate { item in
        if let image = try? JPEGDecoder.decode(data: files[item].1, name: files[item].0) {
            sink += Preprocessor.input(image, side: 224, fit: .centerCrop, normalization: .imageNet)[0]
        }
    }
    func row(_ name: String, _ measured: (wall: Double, cpu: Double)) {
        print("  \(name.padding(toLength: 34, withPad: " ", startingAt: 0))"
              + String(format: " %12.1f %16.3f %10.2f× %16.1f", measured.cpu, 1000 / measured.cpu,
                       measured.cpu / decodeRate.cpu, measured.wall))
    }
    row("decode (full size, islow)", decodeRate)
    row("resize 256 + crop 224 + normalize", preprocessRate)
    row("pipeline: decode + preprocess", pipelineRate)
    row("pipeline without DCT scaling", fullSizePipelineRate)
    if sink.isNaN { print("") }  // keeps the work observable
} }

