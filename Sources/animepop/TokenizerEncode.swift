import ArgumentParser
import Foundation
import Tokenizer

/// `animepop tokenizer encode`: text to ids (or token strings); `--jsonl` for batches from other tools.
struct TokenizerEncode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode text to token ids.",
        discussion: """
            Prints ids separated by spaces (or, with --tokens, a JSON array of token strings). With --jsonl, \
            standard input holds one JSON string per line and standard output gets one JSON array of ids per \
            line, in the same order (blank lines are skipped: send "" for an empty text). Standard input in \
            plain mode is encoded as raw bytes, so invalid UTF-8 is kept byte for byte and `decode` restores it.
            """)

    @OptionGroup var location: TokenizerLocation

    @Flag(name: .customLong("ids"), help: "Print token ids (the default).")
    var ids = false

    @Flag(name: .customLong("tokens"), help: "Print token strings (byte-level form) as a JSON array instead of ids.")
    var tokens = false

    @Flag(name: .customLong("jsonl"), help: "Read one JSON string per line from standard input; write one JSON array of ids per line.")
    var jsonl = false

    @Option(name: .customLong("threads"), help: "Threads for --jsonl batches.")
    var threads: Int = 1

    @Argument(help: "Text to encode, or - (or nothing) to read standard input.")
    var text: String?

    func validate() throws {
        guard !(ids && tokens) else { throw ValidationError("choose one of --ids and --tokens") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard !(jsonl && text != nil && text != "-") else { throw ValidationError("--jsonl reads standard input; drop the TEXT argument") }
    }

    func run() throws {
        let tokenizer = try location.load()
        if jsonl {
            try encodeLines(tokenizer)
            return
        }
        let encoded: [Int]
        if let text, text != "-" {
            encoded = tokenizer.encode(text)
        } else {
            encoded = tokenizer.encode(bytes: [UInt8](FileHandle.standardInput.readDataToEndOfFile()))
        }
        if tokens {
            let strings = try tokenizer.tokens(encoded)
            let data = try JSONSerialization.data(withJSONObject: strings, options: [.withoutEscapingSlashes])
            writeStandardOutput(String(decoding: data, as: UTF8.self) + "\n")
        } else {
            writeStandardOutput(encoded.map(String.init).joined(separator: " ") + "\n")
        }
    }

    /// Encodes standard input line by line, in chunks, keeping the order.
    private func encodeLines(_ tokenizer: Tokenizer) throws {
        let data = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        var texts: [String] = []
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            guard let bytes = JSONLines.parseString(line) else {
                throw TokenizerCommandError("standard input line \(lineNumber): not a JSON string")
            }
            texts.append(String(decoding: bytes, as: UTF8.self))
        }
        let chunk = 8192
        var start = 0
        var out: [UInt8] = []
        while start < texts.count {
            let end = min(texts.count, start + chunk)
            out.removeAll(keepingCapacity: true)
            for ids in tokenizer.encodeBatch(Array(texts[start..<end]), threads: threads) {
                JSONLines.appendArray(ids, to: &out)
            }
            FileHandle.standardOutput.write(Data(out))
            start = end
        }
    }
}
