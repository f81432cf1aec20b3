import Foundation

/// Why a checkpoint could not be read or did not fit the architecture; every case names what is wrong.
public enum CheckpointError: Error, LocalizedError, Equatable {
    /// The file could not be read at all.
    case unreadable(path: String, reason: String)
    /// The bytes do not follow the format (pickle, zip, legacy layout); `offset` is where reading stopped.
    case malformed(path: String, offset: Int, reason: String)
    /// The pickle named a global that is not on the allow list; nothing was executed.
    case forbiddenGlobal(path: String, name: String)
    /// A tensor is stored with strides that cannot be read (negative).
    case nonContiguous(path: String, key: String)
    /// The architecture needs a tensor the checkpoint lacks.
    case missingTensor(key: String, expectedShape: [Int])
    /// The checkpoint holds a tensor the architecture does not use.
    case unexpectedTensor(key: String, shape: [Int])
    /// A tensor's shape differs from what the architecture needs.
    case shapeMismatch(key: String, expectedShape: [Int], actualShape: [Int])

    /// A one-line description naming the file or key.
    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read checkpoint: \(reason)"
        case .malformed(let path, let offset, let reason): "\(path): malformed checkpoint at byte \(offset): \(reason)"
        case .forbiddenGlobal(let path, let name):
            "\(path): checkpoint pickle refers to '\(name)', which is not allowed (only state-dict tensors are read)"
        case .nonContiguous(let path, let key): "\(path): tensor '\(key)' has negative strides"
        case .missingTensor(let key, let shape): "checkpoint lacks tensor '\(key)' (expected shape \(shape))"
        case .unexpectedTensor(let key, let shape): "checkpoint has unexpected tensor '\(key)' of shape \(shape)"
        case .shapeMismatch(let key, let expected, let actual):
            "tensor '\(key)' has shape \(actual), expected \(expected)"
        }
    }
}
