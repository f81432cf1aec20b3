import ArgumentParser
import Foundation
import Popularity
import Tokenizer

/// `animepop score`: the normalized popularity of one upcoming title, its percentile, and the TF-IDF baseline beside it.
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score one upcoming title from its synopsis and (optionally) its key visual.",
        discussion: """
            Prints the normalized popularity in [0, 1] (the model's target: where the title should land among the titles \
            that start airing in its year), its percentile among the model's training titles, the TF-IDF ridge's score \
            beside it, and the words that drove the baseline. Example:
              animepop score --synopsis "A girl who can hear the dead joins a detective agency." --image key_visual.jpg
            """
    )

    @Option(name: .long, help: "The synopsis text.")
    var synopsis: String?

    @Option(name: .long, help: "Read the synopsis from this UTF-8 file ('-' for standard input).")
    var synopsisFile: String?

    @Option(name: .long, help: "The key visual (JPEG). Without it the title is scored from its synopsis alone.")
    var image: String?

    @Option(name: .long, help: "Model directory written by `animepop train`.")
    var model: String = "data/models/default"

    @Option(name: .long, help: "How many driving words to list (0: none); with --image, also the key visual's most influential regions (3×3 occlusion map).")
    var explain: Int = 8

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        if (synopsis == nil) == (synopsisFile == nil) { throw ValidationError("give exactly one of --synopsis or --synopsis-file") }
        if explain < 0 { throw ValidationError("--explain must be ≥ 0") }
    }

    func run() throws {
        let text = try readSynopsis()
        let scorer = try ModelLoading.scorer(modelDirectory: model, needsImages: image != nil)
        let result = try scorer.score(TitleInput(synopsis: text, image: image.map { URL(fileURLWithPath: $0) }), explain: explain)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
            return
        }
        print(String(format: "popularity  %.3f   (normalized, 0–1)", result.popularity))
        print(String(format: "percentile  %.0f    among the model's training titles", result.percentile))
        print(String(format: "baseline    %.3f   TF-IDF ridge on the synopsis", result.baseline))
        print("key visual  \(result.usedImage ? "used" : "none (scored with the learned missing-image vector)")")
        if !result.words.isEmpty {
            let words = result.words.map { String(format: "%@ %+.3f", $0.term, $0.contribution) }
            print("words       " + words.joined(separator: ", "))
        }
        if !result.regions.isEmpty {
            let regions = result.regions.prefix(4).map { String(format: "%@ %+.3f", $0.region, $0.contribution) }
            print("image       " + regions.joined(separator: ", ") + "   (score minus score with the region greyed)")
        }
        print("model       \(result.model)")
    }

    private func readSynopsis() throws -> String {
        if let synopsis { return synopsis }
        let path = synopsisFile ?? "-"
        let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
        guard let data else { throw ValidationError("\(path): cannot read the synopsis file") }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(path): the synopsis is not valid UTF-8") }
        return text
    }
}

/// Loading a model directory with its tokenizer and (when it reads key visuals) the image backbone.
enum ModelLoading {
    static func scorer(modelDirectory: String, needsImages: Bool, store: Store? = nil) throws -> TitleScorer {
        let directory = URL(fileURLWithPath: modelDirectory, isDirectory: true)
        let bundle = try ModelBundle.read(from: directory)
        // The tokenizer path is stored relative to the repository root; try it from here, then from the model's repo.
        let candidates = [bundle.configuration.tokenizer,
                          directory.appendingPathComponent("../../..").appendingPathComponent(bundle.configuration.tokenizer).path]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ValidationError("tokenizer '\(bundle.configuration.tokenizer)' of \(modelDirectory) not found")
        }
        let tokenizer = try Tokenizer.load(path: path)
        let images = bundle.configuration.head.inputs.imageWidth > 0 && needsImages
            ? try ImageFeaturizer.efficientNetLite0(store: store) : nil
        return TitleScorer(bundle: bundle, tokenizer: tokenizer, images: images, store: store)
    }
}
