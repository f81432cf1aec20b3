import ArgumentParser
import Foundation
import Tokenizer

/// `animepop tokenizer train`: learns merges from text files and writes vocab.json, merges.txt, tokenizer.json.
struct TokenizerTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a byte-level BPE tokenizer on text files (one document per line).")

    @Option(name: .customLong("vocab-size"), help: "Target vocabulary size, special tokens and 256 byte symbols included.")
    var vocabularySize: Int

    @Option(name: .customLong("out"), help: "Output directory (created if needed) for vocab.json, merges.txt and tokenizer.json.")
    var output: String

    @Option(name: .customLong("special"), help: "Comma-separated special tokens, given ids 0, 1, … in this order (e.g. <|endoftext|>,<pad>).")
    var special: String = ""

    @Option(name: .customLong("min-frequency"), help: "Never merge a pair seen fewer times than this.")
    var minimumFrequency: Int = 2

    @Option(name: .customLong("threads"), help: "Threads for counting words.")
    var threads: Int = 2

    @Flag(name: .customLong("nfkc"), help: "Normalize text with ICU NFKC before training (stored in tokenizer.json).")
    var nfkc = false

    @Flag(name: .customLong("lowercase"), help: "Lower-case after NFKC (implies --nfkc).")
    var lowercase = false

    @Argument(help: "Corpus text files.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one corpus file") }
        guard vocabularySize > 256 else { throw ValidationError("--vocab-size must exceed 256") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let specials = special.split(separator: ",").map { String($0) }.filter { !$0.isEmpty }
        let normalizer: Normalizer = (nfkc || lowercase) ? .nfkc(lowercase: lowercase) : .none
        let settings = TrainerSettings(vocabularySize: vocabularySize, minimumFrequency: minimumFrequency,
                                       specialTokens: specials, normalizer: normalizer, threads: threads)
        let clock = ContinuousClock()
        let started = clock.now
        let tokenizer: Tokenizer
        do { tokenizer = try Trainer.train(files: files, settings: settings) } catch {
            throw TokenizerCommandError(error.localizedDescription)
        }
        let elapsed = clock.now - started
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            try GPT2Files.save(tokenizer, directory: output)
            try TokenizerJSON.save(tokenizer, path: output + "/tokenizer.json")
        } catch {
            throw TokenizerCommandError("cannot write \(output): \(error.localizedDescription)")
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("trained \(tokenizer.vocabularySize) tokens (\(tokenizer.model.merges.count) merges) in "
              + String(format: "%.2f", seconds) + " s -> \(output)/{vocab.json,merges.txt,tokenizer.json}")
    }
}
