import Foundation

/// Everything that can go wrong loading, saving or running a tokenizer; payloads locate the fault.
public enum TokenizerError: Error, LocalizedError, Equatable {
    /// A file could not be read or written.
    case fileUnreadable(path: String, reason: String)
    /// A JSON file is malformed or lacks an expected key.
    case badJSON(path: String, reason: String)
    /// A line of merges.txt is not "A B" or names a token missing from the vocabulary.
    case badMerge(path: String, line: Int, text: String)
    /// The vocabulary lacks the byte-level symbol for a byte, so some inputs could not be encoded.
    case missingByteSymbol(byte: UInt8)
    /// A token id is outside the vocabulary.
    case unknownId(Int)
    /// A tokenizer.json uses a component this implementation does not support.
    case unsupported(path: String, component: String)
    /// Trainer settings that cannot produce a vocabulary.
    case badTrainerSettings(String)

    /// A one-line message naming the file and the place.
    public var errorDescription: String? {
        switch self {
        case let .fileUnreadable(path, reason): return "\(path): \(reason)"
        case let .badJSON(path, reason): return "\(path): invalid JSON: \(reason)"
        case let .badMerge(path, line, text): return "\(path):\(line): bad merge '\(text)' (expected two known tokens separated by one space)"
        case let .missingByteSymbol(byte): return "vocabulary lacks the byte-level symbol for byte 0x\(String(byte, radix: 16))"
        case let .unknownId(id): return "token id \(id) is not in the vocabulary"
        case let .unsupported(path, component): return "\(path): unsupported tokenizer component \(component)"
        case let .badTrainerSettings(reason): return "trainer: \(reason)"
        }
    }
}
