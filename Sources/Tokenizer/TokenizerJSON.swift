import Foundation

/// HuggingFace `tokenizer.json`, the ByteLevel BPE subset: `model` (type BPE, vocab, merges as "A B"
/// strings or [A, B] pairs), `added_tokens`, `normalizer` (null, NFKC, or NFKC then Lowercase),
/// `pre_tokenizer` ByteLevel without prefix space, `decoder` ByteLevel.
public enum TokenizerJSON {
    /// Loads a tokenizer.json file.
    /// - Throws: `TokenizerError.badJSON` / `.unsupported` naming the file and the component.
    public static func load(path: String) throws -> Tokenizer {
        guard let root = try JSONText.parse(path: path) as? [String: Any] else {
            throw TokenizerError.badJSON(path: path, reason: "top level is not an object")
        }
        guard let model = root["model"] as? [String: Any] else { throw TokenizerError.badJSON(path: path, reason: "missing \"model\"") }
        if let type = model["type"] as? String, type != "BPE" { throw TokenizerError.unsupported(path: path, component: "model \(type)") }
        if let unk = model["unk_token"], !(unk is NSNull) { throw TokenizerError.unsupported(path: path, component: "model.unk_token") }
        guard let vocabObject = model["vocab"] else { throw TokenizerError.badJSON(path: path, reason: "missing \"model.vocab\"") }
        var vocabulary = try JSONText.vocabulary(from: vocabObject, path: path)
        var merges: [(String, String)] = []
        for (index, entry) in ((model["merges"] as? [Any]) ?? []).enumerated() {
            if let text = entry as? String {
                let parts = text.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw TokenizerError.badMerge(path: path, line: index + 2, text: text) }
                merges.append((String(parts[0]), String(parts[1])))
            } else if let pair = entry as? [String], pair.count == 2 {
                merges.append((pair[0], pair[1]))
            } else {
                throw TokenizerError.badJSON(path: path, reason: "model.merges[\(index)] is neither \"A B\" nor [A, B]")
            }
        }
        var added: [AddedToken] = []
        for (index, entry) in ((root["added_tokens"] as? [[String: Any]]) ?? []).enumerated() {
            guard let content = entry["content"] as? String, let id = (entry["id"] as? NSNumber)?.intValue,
                  id >= 0, id <= vocabulary.count + 1024 else {
                throw TokenizerError.badJSON(path: path, reason: "added_tokens[\(index)] lacks content or a plausible id")
            }
            added.append(AddedToken(content: content, id: id, special: (entry["special"] as? Bool) ?? true))
            while vocabulary.count <= id { vocabulary.append("") }
            if vocabulary[id].isEmpty { vocabulary[id] = content }
        }
        try checkByteLevel(root["pre_tokenizer"], name: "pre_tokenizer", path: path)
        if let decoder = root["decoder"] as? [String: Any], let type = decoder["type"] as? String, type != "ByteLevel" {
            throw TokenizerError.unsupported(path: path, component: "decoder \(type)")
        }
        let bpe = try BPEModel(vocabulary: vocabulary, merges: merges, source: path)
        return Tokenizer(model: bpe, normalizer: try normalizer(root["normalizer"], path: path), addedTokens: added)
    }

    private static func checkByteLevel(_ value: Any?, name: String, path: String) throws {
        guard let object = value as? [String: Any] else { throw TokenizerError.unsupported(path: path, component: "\(name) null (expected ByteLevel)") }
        let type = object["type"] as? String ?? "?"
        guard type == "ByteLevel" else { throw TokenizerError.unsupported(path: path, component: "\(name) \(type)") }
        if (object["add_prefix_space"] as? Bool) == true { throw TokenizerError.unsupported(path: path, component: "\(name).add_prefix_space true") }
        if (object["use_regex"] as? Bool) == false { throw TokenizerError.unsupported(path: path, component: "\(name).use_regex false") }
    }

    private static func normalizer(_ value: Any?, path: String) throws -> Normalizer {
        guard let object = value as? [String: Any] else { return .none }
        let type = object["type"] as? String ?? "?"
        if type == "NFKC" { return .nfkc(lowercase: false) }
        if type == "Sequence", let steps = object["normalizers"] as? [[String: Any]] {
            let types = steps.compactMap { $0["type"] as? String }
            if types == ["NFKC"] { return .nfkc(lowercase: false) }
            if types == ["NFKC", "Lowercase"] { return .nfkc(lowercase: true) }
        }
        throw TokenizerError.unsupported(path: path, component: "normalizer \(type) (supported: null, NFKC, Sequence[NFKC, Lowercase])")
    }

    /// The tokenizer.json text for a tokenizer, in the layout HF writes.
    public static func serialize(_ tokenizer: Tokenizer) -> String {
        let model = tokenizer.model
        var out = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": ["
        for (index, token) in tokenizer.addedTokens.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "    {\"id\": \(token.id), \"content\": \(JSONText.quote(token.content)), \"single_word\": false, "
                + "\"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": \(token.special)}"
        }
        out += tokenizer.addedTokens.isEmpty ? "],\n" : "\n  ],\n"
        switch tokenizer.normalizer {
        case .none: out += "  \"normalizer\": null,\n"
        case .nfkc(lowercase: false): out += "  \"normalizer\": {\"type\": \"NFKC\"},\n"
        case .nfkc(lowercase: true):
            out += "  \"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFKC\"}, {\"type\": \"Lowercase\"}]},\n"
        }
        let byteLevel = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true}"
        out += "  \"pre_tokenizer\": \(byteLevel),\n  \"post_processor\": null,\n  \"decoder\": \(byteLevel),\n"
        out += "  \"model\": {\n    \"type\": \"BPE\", \"dropout\": null, \"unk_token\": null, \"continuing_subword_prefix\": null,\n"
        out += "    \"end_of_word_suffix\": null, \"fuse_unk\": false, \"byte_fallback\": false, \"ignore_merges\": false,\n"
        out += "    \"vocab\": " + JSONText.vocabularyObject(model.vocabulary) + ",\n    \"merges\": [\n"
        for (index, merge) in model.merges.enumerated() {
            out += "      " + JSONText.quote(model.vocabulary[merge.left] + " " + model.vocabulary[merge.right])
            out += index + 1 < model.merges.count ? ",\n" : "\n"
        }
        return out + "    ]\n  }\n}\n"
    }

    /// Writes the tokenizer.json file.
    public static func save(_ tokenizer: Tokenizer, path: String) throws {
        try JSONText.write(serialize(tokenizer), to: path)
    }
}

extension Tokenizer {
    /// Loads a tokenizer from a tokenizer.json file, or from a directory: its tokenizer.json when present
    /// (it carries the added tokens), otherwise its vocab.json + merges.txt.
    public static func load(path: String) throws -> Tokenizer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TokenizerError.fileUnreadable(path: path, reason: "no such file or directory")
        }
        guard isDirectory.boolValue else { return try TokenizerJSON.load(path: path) }
        let json = path + "/tokenizer.json"
        if FileManager.default.fileExists(atPath: json) { return try TokenizerJSON.load(path: json) }
        return try GPT2Files.load(directory: path)
    }
}
