import Foundation
import Testing
@testable import Tokenizer

@Suite("File formats")
struct FilesTests {
    @Test("a tokenizer.json written by HF loads and gives HF's ids, special tokens included")
    func huggingFaceJSON() throws {
        let tokenizer = try TokenizerJSON.load(path: try Fixtures.path("hf_tiny/tokenizer.json"))
        #expect(tokenizer.addedTokens.map(\.content) == ["<|endoftext|>", "<pad>"])
        var mismatches = 0
        for golden in try Fixtures.golden("hf_tiny_golden.json") {
            let ids = tokenizer.encode(golden.text)
            if ids != golden.ids {
                mismatches += 1
                Issue.record("mismatch on \(golden.text.debugDescription.prefix(60))")
            }
            #expect(try tokenizer.decode(ids) == golden.text)
        }
        #expect(mismatches == 0)
    }

    @Test("vocab.json + merges.txt and tokenizer.json written here load back identical")
    func saveLoadRoundTrip() throws {
        let gpt2 = try Fixtures.gpt2.get()
        let settings = TrainerSettings(vocabularySize: 500, minimumFrequency: 1, specialTokens: ["<pad>"])
        let texts = try Fixtures.golden("gpt2_golden.json").map(\.text)
        let trained = try Trainer.train(texts: texts, settings: settings)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for tokenizer in [gpt2, trained] {
            try GPT2Files.save(tokenizer, directory: directory)
            try TokenizerJSON.save(tokenizer, path: directory + "/tokenizer.json")
            let fromFiles = try GPT2Files.load(directory: directory, addedTokens: tokenizer.addedTokens.map(\.content))
            let fromJSON = try TokenizerJSON.load(path: directory + "/tokenizer.json")
            #expect(fromFiles.model.vocabulary == tokenizer.model.vocabulary)
            #expect(fromFiles.model.merges == tokenizer.model.merges)
            #expect(fromJSON.model.vocabulary == tokenizer.model.vocabulary)
            #expect(fromJSON.model.merges == tokenizer.model.merges)
            #expect(fromJSON.addedTokens == tokenizer.addedTokens)
            for text in texts { #expect(fromJSON.encode(text) == tokenizer.encode(text)) }
        }
    }

    @Test("a directory loads through its tokenizer.json when present, else vocab.json + merges.txt")
    func directoryLoading() throws {
        let settings = TrainerSettings(vocabularySize: 280, minimumFrequency: 1, specialTokens: ["<pad>"])
        let trained = try Trainer.train(texts: ["a fox, a god, a girl"], settings: settings)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try GPT2Files.save(trained, directory: directory)
        try TokenizerJSON.save(trained, path: directory + "/tokenizer.json")
        #expect(try Tokenizer.load(path: directory).addedTokens == trained.addedTokens)
        #expect(try Tokenizer.load(path: directory + "/tokenizer.json").encode("<pad>a") == [0] + trained.encode("a"))
        try FileManager.default.removeItem(atPath: directory + "/tokenizer.json")
        let plain = try Tokenizer.load(path: directory)
        #expect(plain.addedTokens.isEmpty)
        #expect(plain.model.merges == trained.model.merges)
        #expect(throws: TokenizerError.self) { try Tokenizer.load(path: directory + "/missing") }
    }

    @Test("a bad merges line is reported with its file and line number")
    func badMergeLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let vocabulary = ByteLevel.byteOrder.map { String(ByteLevel.scalars[Int($0)]) } + ["ab"]
        try JSONText.write(JSONText.vocabularyObject(vocabulary), to: directory + "/vocab.json")
        try JSONText.write("#version: 0.2\na b\nab zz\n", to: directory + "/merges.txt")
        #expect(throws: TokenizerError.badMerge(path: directory + "/merges.txt", line: 3, text: "ab zz")) {
            try GPT2Files.load(directory: directory)
        }
    }

    @Test("unsupported tokenizer.json components are named")
    func unsupported() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONText.write("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}", to: path)
        #expect(throws: TokenizerError.unsupported(path: path, component: "model WordPiece")) { try TokenizerJSON.load(path: path) }
    }
}
