import Foundation
import Testing
@testable import Tokenizer

/// A golden case: text and the reference ids.
struct GoldenCase {
    let text: String
    let ids: [Int]
}

/// Fixture access shared by the tokenizer tests.
enum Fixtures {
    /// Path of a file or folder under Fixtures/.
    static func path(_ name: String) throws -> String {
        let base = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return base.appendingPathComponent(name).path
    }

    /// Golden cases from a JSON list of {text, ids}.
    static func golden(_ name: String) throws -> [GoldenCase] {
        let data = try Data(contentsOf: URL(fileURLWithPath: try path(name)))
        let list = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try list.map { entry in
            GoldenCase(text: try #require(entry["text"] as? String),
                       ids: try #require(entry["ids"] as? [NSNumber]).map(\.intValue))
        }
    }

    /// GPT-2's tokenizer from the committed vocab.json + merges.txt (openai-whisper 20230124, MIT).
    static let gpt2: Result<Tokenizer, Error> = Result { try GPT2Files.load(directory: try path("gpt2")) }
}
