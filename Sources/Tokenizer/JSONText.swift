import Foundation

/// Small JSON helpers shared by the file formats: string quoting for writers that must keep token
/// order, and a Foundation parse with located errors.
enum JSONText {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped, the rest raw UTF-8.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Reads and parses a JSON file.
    static func parse(path: String) throws -> Any {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TokenizerError.fileUnreadable(path: path, reason: error.localizedDescription)
        }
        do { return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw TokenizerError.badJSON(path: path, reason: "\(error.localizedDescription)")
        }
    }

    /// Writes text to a file, replacing it.
    static func write(_ text: String, to path: String) throws {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw TokenizerError.fileUnreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// The vocabulary array (id-indexed; gaps become empty strings) from a token → id object.
    static func vocabulary(from object: Any, path: String) throws -> [String] {
        guard let entries = object as? [String: Any] else { throw TokenizerError.badJSON(path: path, reason: "vocab is not an object") }
        var byId: [Int: String] = [:]
        for (token, value) in entries {
            guard let id = (value as? NSNumber)?.intValue, id >= 0 else {
                throw TokenizerError.badJSON(path: path, reason: "id of \(quote(token)) is not a non-negative integer")
            }
            byId[id] = token
        }
        let count = (byId.keys.max() ?? -1) + 1
        guard count <= entries.count * 2 + 1024 else {
            throw TokenizerError.badJSON(path: path, reason: "ids are too sparse (largest \(count - 1) for \(entries.count) tokens)")
        }
        return (0..<count).map { byId[$0] ?? "" }
    }

    /// The vocabulary as a one-line JSON object in id order (what HF and GPT-2 write).
    static func vocabularyObject(_ vocabulary: [String]) -> String {
        var out = "{"
        for (id, token) in vocabulary.enumerated() {
            if id > 0 { out += "," }
            out += quote(token) + ":" + String(id)
        }
        return out + "}"
    }
}
