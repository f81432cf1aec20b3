import ArgumentParser
import Foundation
import Tokenizer

/// `animepop tokenizer decode`: ids back to text.
struct TokenizerDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode token ids to text (written exactly, without an added newline).")

    @OptionGroup var location: TokenizerLocation

    @Argument(help: "Token ids (separated by spaces or commas).")
    var ids: [String]

    func run() throws {
        let tokenizer = try location.load()
        var numbers: [Int] = []
        for argument in ids {
            for part in argument.split(whereSeparator: { $0 == "," || $0 == " " }) {
                guard let id = Int(part) else { throw ValidationError("'\(part)' is not a token id") }
                numbers.append(id)
            }
        }
        do {
            let bytes = try tokenizer.decodeBytes(numbers)
            FileHandle.standardOutput.write(Data(bytes))
        } catch {
            throw TokenizerCommandError(error.localizedDescription)
        }
    }
}
