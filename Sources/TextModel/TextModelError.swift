// Errors thrown by the TextModel module; each payload locates the fault.
import Foundation

/// What can go wrong building, feeding, saving or loading a text encoder.
public enum TextModelError: Error, LocalizedError, Equatable {
    /// The configuration describes an impossible model.
    case invalidConfiguration(String)
    /// A token id outside 0..<V, with its sequence and position.
    case tokenOutOfRange(id: Int32, sequence: Int, position: Int, vocabularySize: Int)
    /// A batch with no sequences, or with no position that can be masked.
    case emptyBatch(String)
    /// A checkpoint lacks a parameter.
    case missingParameter(name: String, file: String)
    /// A checkpoint has a parameter the model does not know.
    case unexpectedParameter(name: String, file: String)
    /// A checkpoint parameter has the wrong shape.
    case shapeMismatch(name: String, expected: [Int], actual: [Int], file: String)
    /// A checkpoint file could not be read or written.
    case checkpoint(String)

    /// One line naming the fault.
    public var errorDescription: String? {
        switch self {
        case .invalidConfiguration(let reason): "invalid text encoder configuration: \(reason)"
        case let .tokenOutOfRange(id, sequence, position, vocabularySize):
            "token id \(id) at sequence \(sequence), position \(position) is outside the vocabulary 0..<\(vocabularySize)"
        case .emptyBatch(let reason): "empty batch: \(reason)"
        case let .missingParameter(name, file): "\(file): parameter '\(name)' is missing"
        case let .unexpectedParameter(name, file): "\(file): parameter '\(name)' is not part of the text encoder"
        case let .shapeMismatch(name, expected, actual, file):
            "\(file): parameter '\(name)' has shape \(actual), expected \(expected)"
        case .checkpoint(let reason): "text encoder checkpoint: \(reason)"
        }
    }
}
