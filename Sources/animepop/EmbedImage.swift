import ArgumentParser
import Foundation
import Vision

/// `animepop embed-image`: backbone features (and optionally ImageNet top-5) for JPEG files, for inspection
/// and for other tools. Stable interface: with `--json`, one JSON object per line and per file, in order.
struct EmbedImage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-image",
        abstract: "Print backbone features of JPEG images (one line per file).",
        discussion: """
        With --json each line is {"file": PATH, "features": [floats]} plus "top5": [ImageNet class ids] with --logits.
        EfficientNet-Lite0 uses the cached ImageNet weights (tools/setup.sh); ResNet-50 needs --weights.
        """
    )

    /// How pixels reach the network.
    enum PreprocessMode: String, ExpressibleByArgument, CaseIterable {
        case standard, none
    }

    @Option(help: "Backbone: \(Backbone.allCases.map(\.rawValue).joined(separator: " or ")).")
    var backbone: Backbone = .efficientNetLite0

    @Option(help: "Weights file (.pth or .safetensors); default for efficientnet-lite0: the cached ImageNet checkpoint.")
    var weights: String?

    @Option(help: "standard: resize shorter side, center crop 224, normalize; none: images must be 224×224, normalize only.")
    var preprocess: PreprocessMode = .standard

    @Option(help: "Images per forward pass.")
    var batch: Int = 8

    @Flag(help: "One JSON object per line and per file.")
    var json = false

    @Flag(help: "Also compute ImageNet logits and print the top-5 class ids.")
    var logits = false

    @Argument(help: "JPEG files.")
    var files: [String]

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1 (got \(batch))") }
        guard !files.isEmpty else { throw ValidationError("give at least one image file") }
        if weights == nil && backbone.defaultWeights == nil {
            throw ValidationError("--backbone \(backbone.rawValue) needs --weights FILE (a torchvision .pth or .safetensors)")
        }
    }

    func run() throws {
        guard let weightsURL = weights.map({ URL(fileURLWithPath: $0) }) ?? backbone.defaultWeights else { return }
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw EmbedImageError("weights file not found: \(weightsURL.path)" + (weights == nil ? " (run tools/setup.sh)" : ""))
        }
        let network = try backbone.load(weights: weightsURL)
        let side = 224
        for start in stride(from: 0, to: files.count, by: batch) {
            let chunk = Array(files[start..<min(start + batch, files.count)])
            var input: [Float] = []
            input.reserveCapacity(chunk.count * side * side * 3)
            for file in chunk { input += try pixels(of: file, side: side) }
            let features = network.features(input, batch: chunk.count, height: side, width: side)
            let classScores = logits ? network.classifier.logits(features, batch: chunk.count) : []
            for (index, file) in chunk.enumerated() {
                let vector = Array(features[(index * network.featureCount)..<((index + 1) * network.featureCount)])
                let top5 = logits ? topClasses(Array(classScores[(index * 1000)..<((index + 1) * 1000)]), count: 5) : nil
                print(json ? jsonLine(file: file, features: vector, top5: top5) : textLine(file: file, features: vector, top5: top5))
            }
        }
    }

    /// The normalized 224×224×3 input of one file.
    private func pixels(of file: String, side: Int) throws -> [Float] {
        let url = URL(fileURLWithPath: file)
        switch preprocess {
        case .standard:
            let image = try JPEGDecoder.decode(contentsOf: url, minimumSide: Preprocessor.decodingMinimumSide(side: side))
            return Preprocessor.input(image, side: side, normalization: backbone.normalization)
        case .none:
            let image = try JPEGDecoder.decode(contentsOf: url)
            guard image.width == side && image.height == side else {
                throw EmbedImageError("\(file): --preprocess none needs a \(side)×\(side) image, got \(image.width)×\(image.height)")
            }
            return Self.normalize(image.pixels, backbone.normalization)
        }
    }

    /// Pixel normalization alone (the same constants as `PixelNormalization`), for exact-pixel checks.
    static func normalize(_ pixels: [UInt8], _ normalization: PixelNormalization) -> [Float] {
        let mean: [Float] = [0.485, 0.456, 0.406], deviation: [Float] = [0.229, 0.224, 0.225]
        return pixels.enumerated().map { index, value in
            switch normalization {
            case .imageNet: (Float(value) / 255 - mean[index % 3]) / deviation[index % 3]
            case .tensorFlowLite: (Float(value) - 127) / 128
            case .none: Float(value)
            }
        }
    }

    private func topClasses(_ scores: [Float], count: Int) -> [Int] {
        Array(scores.indices.sorted { scores[$0] > scores[$1] }.prefix(count))
    }

    private func jsonLine(file: String, features: [Float], top5: [Int]?) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let fileJSON = (try? String(decoding: encoder.encode(file), as: UTF8.self)) ?? "\"\""
        var line = "{\"file\":\(fileJSON),\"features\":[" + features.map { "\($0)" }.joined(separator: ",") + "]"
        if let top5 { line += ",\"top5\":[" + top5.map(String.init).joined(separator: ",") + "]" }
        return line + "}"
    }

    private func textLine(file: String, features: [Float], top5: [Int]?) -> String {
        let mean = features.reduce(0, +) / Float(max(1, features.count))
        let head = features.prefix(4).map { String(format: "%.4f", $0) }.joined(separator: " ")
        var line = "\(file): \(features.count) features, mean \(String(format: "%.4f", mean)), first [\(head) …]"
        if let top5 { line += ", top-5 ImageNet classes \(top5)" }
        return line
    }
}

extension Backbone: ExpressibleByArgument {}

/// A user error of `embed-image` found while running (printed as one line, without the usage text).
struct EmbedImageError: Error, LocalizedError {
    let message: String
    init(_ message: String) { self.message = message }
    var errorDescription: String? { message }
}
