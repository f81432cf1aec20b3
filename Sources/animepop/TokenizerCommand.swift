import ArgumentParser
import Foundation
import Tokenizer

/// `animepop tokenizer`: train, encode and decode with the byte-level BPE tokenizer.
struct TokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Train a byte-level BPE tokenizer, or encode and decode text with one.",
        subcommands: [TokenizerTrain.self, TokenizerEncode.self, TokenizerDecode.self]
    )
}

/// The `--tokenizer PATH` option shared by encode and decode.
struct TokenizerLocation: ParsableArguments {
    @Option(name: .customLong("tokenizer"),
            help: "A directory with tokenizer.json or vocab.json + merges.txt, or a tokenizer.json file (default: the shipped vocab/, searched from the current directory upwards).")
    var path: String?

    /// Loads the tokenizer, turning failures into one-line CLI errors.
    func load() throws -> Tokenizer {
        let chosen = try path ?? Self.findShippedVocabulary()
        do { return try Tokenizer.load(path: chosen) } catch {
            throw TokenizerCommandError("cannot load tokenizer: \(error.localizedDescription)")
        }
    }

    /// The nearest `vocab/` folder holding a tokenizer, from the current directory upwards.
    static func findShippedVocabulary() throws -> String {
        let start = FileManager.default.currentDirectoryPath
        var directory = URL(fileURLWithPath: start)
        while true {
            let candidate = directory.appendingPathComponent("vocab")
            for file in ["tokenizer.json", "vocab.json"]
            where FileManager.default.fileExists(atPath: candidate.appendingPathComponent(file).path) {
                return candidate.path
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        throw TokenizerCommandError("no tokenizer given and no vocab/ folder with tokenizer.json or vocab.json in \(start) or its parents; pass --tokenizer PATH")
    }
}

/// Writes bytes to standard output.
func writeStandardOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// A failure the tokenizer commands report as one line (no usage text): unreadable files, bad input.
struct TokenizerCommandError: Error, LocalizedError, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var errorDescription: String? { message }
    var description: String { message }
}
