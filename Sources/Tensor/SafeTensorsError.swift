import Foundation

/// Why a safetensors file could not be read or written; every case names the file (and tensor).
public enum SafeTensorsError: Error, LocalizedError, Equatable {
    /// The file could not be opened or mapped.
    case cannotOpen(file: String, reason: String)
    /// The file is shorter than the 8-byte header length.
    case fileTooSmall(file: String, size: Int)
    /// The 8-byte header length is zero, too large, or runs past the end of the file.
    case headerLengthOutOfRange(file: String, headerLength: UInt64, fileSize: Int)
    /// The header is not valid UTF-8 JSON.
    case invalidJSON(file: String, detail: String)
    /// The header's JSON is not an object.
    case headerNotObject(file: String)
    /// A tensor entry is not a JSON object.
    case entryNotObject(file: String, tensor: String)
    /// A tensor entry lacks `dtype`, `shape` or `data_offsets`.
    case missingField(file: String, tensor: String, field: String)
    /// A tensor entry's dtype is not a string or not one this reader knows.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// A tensor's dtype is valid safetensors but cannot be read as Float32 (e.g. I64).
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A tensor entry's shape is not an array of non-negative integers (or its size overflows).
    case invalidShape(file: String, tensor: String, detail: String)
    /// A tensor entry's data_offsets is not [begin, end] with 0 ≤ begin ≤ end.
    case invalidOffsets(file: String, tensor: String, detail: String)
    /// shape × dtype size disagrees with the byte span of data_offsets.
    case sizeMismatch(file: String, tensor: String, expectedBytes: Int, actualBytes: Int)
    /// A tensor's data_offsets end past the data section.
    case offsetsOutOfBounds(file: String, tensor: String, end: Int, dataSize: Int)
    /// Two tensors' byte ranges overlap.
    case overlap(file: String, tensor: String, other: String)
    /// Bytes between tensors (or before the first one) belong to no tensor.
    case gap(file: String, tensor: String, expectedBegin: Int, actualBegin: Int)
    /// The data section has bytes after the last tensor.
    case trailingBytes(file: String, lastEnd: Int, dataSize: Int)
    /// `__metadata__` is not an object of string values.
    case invalidMetadata(file: String, detail: String)
    /// A tensor cannot be written under this name.
    case invalidTensorName(file: String, tensor: String)
    /// The file could not be written.
    case writeFailed(file: String, reason: String)

    /// A one-line description naming the file and, where it applies, the tensor.
    public var errorDescription: String? {
        switch self {
        case let .cannotOpen(file, reason): "\(file): cannot open safetensors file: \(reason)"
        case let .fileTooSmall(file, size): "\(file): \(size) bytes is too small for a safetensors file (needs an 8-byte header length)"
        case let .headerLengthOutOfRange(file, length, size): "\(file): header length \(length) does not fit a file of \(size) bytes"
        case let .invalidJSON(file, detail): "\(file): header is not valid JSON: \(detail)"
        case let .headerNotObject(file): "\(file): header JSON is not an object"
        case let .entryNotObject(file, tensor): "\(file): tensor '\(tensor)': entry is not a JSON object"
        case let .missingField(file, tensor, field): "\(file): tensor '\(tensor)': missing field '\(field)'"
        case let .unknownDType(file, tensor, dtype): "\(file): tensor '\(tensor)': unsupported dtype '\(dtype)' (F32, F16, BF16 are read)"
        case let .unsupportedDType(file, tensor, dtype): "\(file): tensor '\(tensor)': dtype \(dtype) cannot be read as F32"
        case let .invalidShape(file, tensor, detail): "\(file): tensor '\(tensor)': invalid shape: \(detail)"
        case let .invalidOffsets(file, tensor, detail): "\(file): tensor '\(tensor)': invalid data_offsets: \(detail)"
        case let .sizeMismatch(file, tensor, expected, actual): "\(file): tensor '\(tensor)': shape and dtype need \(expected) bytes but data_offsets span \(actual)"
        case let .offsetsOutOfBounds(file, tensor, end, size): "\(file): tensor '\(tensor)': data ends at byte \(end) past the data section of \(size) bytes"
        case let .overlap(file, tensor, other): "\(file): tensor '\(tensor)': bytes overlap tensor '\(other)'"
        case let .gap(file, tensor, expected, actual): "\(file): tensor '\(tensor)': starts at byte \(actual), expected \(expected) (unclaimed bytes before it)"
        case let .trailingBytes(file, lastEnd, size): "\(file): data section has \(size - lastEnd) bytes after the last tensor (ends at \(lastEnd) of \(size))"
        case let .invalidMetadata(file, detail): "\(file): invalid __metadata__: \(detail)"
        case let .invalidTensorName(file, tensor): "\(file): cannot write a tensor named '\(tensor)'"
        case let .writeFailed(file, reason): "\(file): cannot write safetensors file: \(reason)"
        }
    }
}
