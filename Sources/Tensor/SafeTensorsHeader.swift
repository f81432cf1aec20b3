// The safetensors header: 8 bytes little-endian header length N, then N bytes of JSON,
// then the data section. The JSON maps tensor names to {dtype, shape, data_offsets} (offsets
// relative to the data section) plus an optional "__metadata__" object of strings.
// Validation is complete before any tensor is allocated, so allocations are bounded by the file size.
import Foundation

extension SafeTensors {
    /// One tensor's validated header entry.
    public struct Entry: Sendable, Equatable {
        /// The tensor's name (the JSON key).
        public var name: String
        /// The dtype string as written in the file (e.g. "F32", "I64").
        public var dtypeName: String
        /// Extent of each axis.
        public var shape: [Int]
        /// Byte range within the data section.
        public var byteRange: Range<Int>
    }

    /// A validated header: entries sorted by offset, metadata, and where the data section starts.
    struct Header {
        var entries: [Entry]
        var metadata: [String: String]
        var dataStart: Int
    }

    /// Largest header accepted (the reference implementation's limit).
    static let maximumHeaderLength: UInt64 = 100_000_000

    /// Byte sizes of every dtype the safetensors format defines.
    static let elementSizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1,
        "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8,
    ]

    /// Parses and fully validates the header at the start of `bytes` (the whole file).
    static func parseHeader(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Header {
        guard bytes.count >= 8 else { throw SafeTensorsError.fileTooSmall(file: file, size: bytes.count) }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard headerLength >= 2, headerLength <= maximumHeaderLength, headerLength <= UInt64(bytes.count - 8) else {
            throw SafeTensorsError.headerLengthOutOfRange(file: file, headerLength: headerLength, fileSize: bytes.count)
        }
        let dataStart = 8 + Int(headerLength)
        let json = Data(bytes[8..<dataStart])
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: json)
        } catch {
            throw SafeTensorsError.invalidJSON(file: file, detail: describe(error))
        }
        guard case let .object(fields) = root else { throw SafeTensorsError.headerNotObject(file: file) }

        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for name in fields.keys.sorted() {
            guard let value = fields[name] else { continue }
            if name == "__metadata__" {
                metadata = try parseMetadata(value, file: file)
            } else {
                entries.append(try parseEntry(name: name, value: value, file: file, dataSize: bytes.count - dataStart))
            }
        }
        try checkLayout(entries, file: file, dataSize: bytes.count - dataStart)
        entries.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound) }
        return Header(entries: entries, metadata: metadata, dataStart: dataStart)
    }

    /// Validates `__metadata__`: an object whose values are all strings.
    private static func parseMetadata(_ value: JSONValue, file: String) throws -> [String: String] {
        guard case let .object(pairs) = value else {
            throw SafeTensorsError.invalidMetadata(file: file, detail: "expected an object, found \(value.kindName)")
        }
        var metadata: [String: String] = [:]
        for (key, item) in pairs {
            guard case let .string(text) = item else {
                throw SafeTensorsError.invalidMetadata(file: file, detail: "value of '\(key)' is \(item.kindName), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// Validates one tensor entry on its own: fields, dtype, shape, offsets, size and bounds.
    private static func parseEntry(name: String, value: JSONValue, file: String, dataSize: Int) throws -> Entry {
        guard case let .object(entry) = value else { throw SafeTensorsError.entryNotObject(file: file, tensor: name) }
        for field in ["dtype", "shape", "data_offsets"] where entry[field] == nil {
            throw SafeTensorsError.missingField(file: file, tensor: name, field: field)
        }
        guard case let .string(dtype) = entry["dtype"] else {
            throw SafeTensorsError.unknownDType(file: file, tensor: name, dtype: entry["dtype"]?.kindName ?? "")
        }
        guard let elementSize = elementSizes[dtype] else {
            throw SafeTensorsError.unknownDType(file: file, tensor: name, dtype: dtype)
        }
        guard case let .array(shapeValues) = entry["shape"] else {
            throw SafeTensorsError.invalidShape(file: file, tensor: name, detail: "not an array")
        }
        var shape: [Int] = []
        var byteCount = elementSize
        for item in shapeValues {
            guard case let .integer(extent) = item, extent >= 0 else {
                throw SafeTensorsError.invalidShape(file: file, tensor: name, detail: "extents must be non-negative integers")
            }
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: extent)
            guard !overflow else {
                throw SafeTensorsError.invalidShape(file: file, tensor: name, detail: "size of \(shapeValues.count) extents overflows")
            }
            byteCount = product
            shape.append(extent)
        }
        guard case let .array(offsetValues) = entry["data_offsets"], offsetValues.count == 2,
              case let .integer(begin) = offsetValues[0], case let .integer(end) = offsetValues[1] else {
            throw SafeTensorsError.invalidOffsets(file: file, tensor: name, detail: "expected [begin, end] integers")
        }
        guard begin >= 0, begin <= end else {
            throw SafeTensorsError.invalidOffsets(file: file, tensor: name, detail: "begin \(begin), end \(end)")
        }
        guard end - begin == byteCount else {
            throw SafeTensorsError.sizeMismatch(file: file, tensor: name, expectedBytes: byteCount, actualBytes: end - begin)
        }
        guard end <= dataSize else {
            throw SafeTensorsError.offsetsOutOfBounds(file: file, tensor: name, end: end, dataSize: dataSize)
        }
        return Entry(name: name, dtypeName: dtype, shape: shape, byteRange: begin..<end)
    }

    /// Checks that the tensors tile the data section exactly: sorted by offset, no overlap, no gap, no tail.
    private static func checkLayout(_ entries: [Entry], file: String, dataSize: Int) throws {
        let sorted = entries.sorted {
            ($0.byteRange.lowerBound, $0.byteRange.upperBound, $0.name) < ($1.byteRange.lowerBound, $1.byteRange.upperBound, $1.name)
        }
        var expectedBegin = 0
        var previous: String?
        for entry in sorted {
            if entry.byteRange.lowerBound < expectedBegin, let previous {
                throw SafeTensorsError.overlap(file: file, tensor: entry.name, other: previous)
            }
            if entry.byteRange.lowerBound > expectedBegin {
                throw SafeTensorsError.gap(file: file, tensor: entry.name, expectedBegin: expectedBegin,
                                           actualBegin: entry.byteRange.lowerBound)
            }
            expectedBegin = entry.byteRange.upperBound
            previous = entry.name
        }
        guard expectedBegin == dataSize else {
            throw SafeTensorsError.trailingBytes(file: file, lastEnd: expectedBegin, dataSize: dataSize)
        }
    }

    /// A short description of a JSON decoding error.
    private static func describe(_ error: any Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            return (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
        }
        return String(describing: error)
    }
}
