import Foundation

/// Errors reading a trained model directory, each naming the file and what is wrong.
public enum ModelFileError: LocalizedError, Sendable, Equatable {
    /// A required file is absent.
    case missingFile(path: String, hint: String)
    /// A tensor the configuration needs is not in the weights file.
    case missingTensor(file: String, name: String)
    /// A tensor has another shape than the configuration implies.
    case mismatchedTensor(file: String, name: String, expected: [Int], found: [Int])
    /// The configuration JSON cannot be read.
    case badConfiguration(file: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .missingFile(path, hint): "\(path): missing (\(hint))"
        case let .missingTensor(file, name): "\(file): tensor '\(name)' is missing"
        case let .mismatchedTensor(file, name, expected, found): "\(file): tensor '\(name)' has shape \(found), expected \(expected)"
        case let .badConfiguration(file, reason): "\(file): unreadable configuration (\(reason))"
        }
    }
}
