// Reading and writing the safetensors format (https://github.com/huggingface/safetensors).
// Reads memory-map the file, validate the whole header first (SafeTensorsHeader.swift), then
// convert F32/F16/BF16 to Float32. Writes are atomic: a temporary file renamed over the target.
// Data is little-endian, as on every platform this package builds for.
import Foundation

/// Reads and writes safetensors files.
public enum SafeTensors {
    /// Element types this module converts to and from Float32.
    public enum DType: String, Sendable {
        case f32 = "F32", f16 = "F16", bf16 = "BF16"

        /// Bytes per element.
        public var byteCount: Int { self == .f32 ? 4 : 2 }
    }

    /// Reads every tensor of the file at `url`, converted to Float32.
    /// - Throws: `SafeTensorsError` naming the file and tensor when the file is malformed or holds a non-float dtype.
    public static func read(contentsOf url: URL) throws -> [String: Tensor] {
        let file = try MappedFile(path: url.path)
        let header = try parseHeader(file.bytes, file: url.path)
        var tensors: [String: Tensor] = [:]
        for entry in header.entries {
            guard let dtype = DType(rawValue: entry.dtypeName) else {
                throw SafeTensorsError.unsupportedDType(file: url.path, tensor: entry.name, dtype: entry.dtypeName)
            }
            let start = header.dataStart + entry.byteRange.lowerBound
            let source = UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + entry.byteRange.count)])
            tensors[entry.name] = Tensor(shape: entry.shape, scalars: decode(source, as: dtype))
        }
        return tensors
    }

    /// Reads the `__metadata__` strings of the file at `url` (after validating the whole header).
    public static func readMetadata(contentsOf url: URL) throws -> [String: String] {
        let file = try MappedFile(path: url.path)
        return try parseHeader(file.bytes, file: url.path).metadata
    }

    /// Lists the validated header entries of the file at `url`, sorted by data offset, without reading data.
    public static func entries(contentsOf url: URL) throws -> [Entry] {
        let file = try MappedFile(path: url.path)
        return try parseHeader(file.bytes, file: url.path).entries
    }

    /// Writes `tensors` (sorted by name) and `metadata` to `url` as `dtype`, atomically (temporary file + rename).
    /// - Throws: `SafeTensorsError.invalidTensorName` for an empty name or `__metadata__`; `.writeFailed` on I/O errors.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:],
                             dtype: DType = .f32, to url: URL) throws {
        let names = tensors.keys.sorted()
        var headerFields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(JSONValue.quoted($0)):\(JSONValue.quoted(metadata[$0] ?? ""))" }
            headerFields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            guard !name.isEmpty, name != "__metadata__", let tensor = tensors[name] else {
                throw SafeTensorsError.invalidTensorName(file: url.path, tensor: name)
            }
            let byteCount = tensor.count * dtype.byteCount
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            headerFields.append("\(JSONValue.quoted(name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(shape)],"
                                + "\"data_offsets\":[\(offset),\(offset + byteCount)]}")
            offset += byteCount
        }
        var header = Array("{\(headerFields.joined(separator: ","))}".utf8)
        // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for name in names {
            guard let tensor = tensors[name] else { continue }
            encode(tensor.scalars, as: dtype, into: &data)
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw SafeTensorsError.writeFailed(file: url.path, reason: error.localizedDescription)
        }
    }

    /// Converts raw little-endian elements of `dtype` to Float32.
    static func decode(_ source: UnsafeRawBufferPointer, as dtype: DType) -> [Float] {
        let count = source.count / dtype.byteCount
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            switch dtype {
            case .f32:
                if count > 0, let base = buffer.baseAddress, let from = source.baseAddress {
                    UnsafeMutableRawPointer(base).copyMemory(from: from, byteCount: count * 4)
                }
            case .f16:
                for index in 0..<count {
                    let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
                    buffer[index] = HalfPrecision.float(fromHalf: bits)
                }
            case .bf16:
                for index in 0..<count {
                    let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
                    buffer[index] = HalfPrecision.float(fromBFloat: bits)
                }
            }
            initialized = count
        }
    }

    /// Appends `scalars` converted to little-endian `dtype` elements.
    static func encode(_ scalars: [Float], as dtype: DType, into data: inout Data) {
        switch dtype {
        case .f32:
            scalars.withUnsafeBytes { data.append(contentsOf: $0) }
        case .f16:
            let halves = scalars.map { HalfPrecision.half(from: $0).littleEndian }
            halves.withUnsafeBytes { data.append(contentsOf: $0) }
        case .bf16:
            let halves = scalars.map { HalfPrecision.bfloat(from: $0).littleEndian }
            halves.withUnsafeBytes { data.append(contentsOf: $0) }
        }
    }
}
