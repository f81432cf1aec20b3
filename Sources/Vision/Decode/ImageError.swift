import Foundation

/// Why an image could not be decoded; always names the file.
public struct ImageError: LocalizedError, Equatable, Sendable {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// The file could not be read (missing, permission, I/O); the system's reason.
        case unreadable(String)
        /// The bytes are another format (e.g. "PNG") or none we know ("unknown").
        case unsupportedFormat(detected: String)
        /// libjpeg reported an error or corrupt data; its message.
        case corrupt(String)
        /// The data ends before the image does.
        case truncated
        /// The header declares more pixels than the limit; refused before any pixel memory is allocated.
        case tooLarge(width: Int, height: Int, limit: Int)
        /// The file has zero bytes.
        case empty
    }

    /// The file (or the name given for in-memory data).
    public let file: String
    /// What went wrong.
    public let kind: Kind

    /// An error about `file`.
    public init(file: String, kind: Kind) {
        self.file = file
        self.kind = kind
    }

    /// One line naming the file and the fault.
    public var errorDescription: String? {
        switch kind {
        case .unreadable(let reason): return "cannot read image \(file): \(reason)"
        case .unsupportedFormat(let detected):
            return "unsupported format: \(file) is \(detected), only JPEG images are supported"
        case .corrupt(let message): return "corrupt JPEG \(file): \(message)"
        case .truncated: return "truncated JPEG \(file): the data ends before the image does"
        case .tooLarge(let width, let height, let limit):
            return "image \(file) is too large: \(width)×\(height) = \(width * height) pixels, the limit is \(limit)"
        case .empty: return "empty image file \(file): zero bytes"
        }
    }
}
