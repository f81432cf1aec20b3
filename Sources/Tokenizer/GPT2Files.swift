/// GPT-2's tokenizer files: `vocab.json` (token string → id) and `merges.txt` (a `#version` line, then
/// one merge "A B" per line in rank order).
public enum GPT2Files {
    /// Loads a directory holding `vocab.json` and `merges.txt`; `addedTokens` names the tokens (already
    /// in the vocabulary) to match literally, e.g. `["<|endoftext|>"]` (none for plain GPT-2 text).
    public static func load(directory: String, addedTokens: [String] = []) throws -> Tokenizer {
        let model = try loadModel(vocabPath: directory + "/vocab.json", mergesPath: directory + "/merges.txt")
        var added: [AddedToken] = []
        for content in addedTokens {
            guard let id = model.ids[content] else {
                throw TokenizerError.badJSON(path: directory + "/vocab.json", reason: "added token \(content) is not in the vocabulary")
            }
            added.append(AddedToken(content: content, id: id))
        }
        return Tokenizer(model: model, addedTokens: added)
    }

    /// Loads the BPE model from the two files.
    public static func loadModel(vocabPath: String, mergesPath: String) throws -> BPEModel {
        let vocabulary = try JSONText.vocabulary(from: JSONText.parse(path: vocabPath), path: vocabPath)
        let text: String
        do { text = try String(contentsOfFile: mergesPath, encoding: .utf8) } catch {
            throw TokenizerError.fileUnreadable(path: mergesPath, reason: error.localizedDescription)
        }
        var merges: [(String, String)] = []
        var lineNumber = 0
        var firstLine = -1
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || (lineNumber == 1 && line.hasPrefix("#version")) { continue }
            if firstLine < 0 { firstLine = lineNumber }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerError.badMerge(path: mergesPath, line: lineNumber, text: String(line))
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        // BPEModel reports a merge's line as rank + 2, right for files with a version line.
        return try BPEModel(vocabulary: vocabulary, merges: merges, source: mergesPath)
    }

    /// Writes `vocab.json` and `merges.txt` for the tokenizer into `directory` (which must exist).
    public static func save(_ tokenizer: Tokenizer, directory: String) throws {
        let model = tokenizer.model
        try JSONText.write(JSONText.vocabularyObject(model.vocabulary) + "\n", to: directory + "/vocab.json")
        var merges = "#version: 0.2\n"
        for merge in model.merges {
            merges += model.vocabulary[merge.left] + " " + model.vocabulary[merge.right] + "\n"
        }
        try JSONText.write(merges, to: directory + "/merges.txt")
    }
}
