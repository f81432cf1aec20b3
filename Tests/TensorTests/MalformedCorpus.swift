// A corpus of malformed safetensors files, built in code, each paired with the error it must raise.
import Foundation
import Testing
@testable import Tensor

/// One malformed file and the error expected from reading it.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    /// The tensor the message must name, when the fault belongs to one.
    let tensor: String?
    let matches: @Sendable (SafeTensorsError) -> Bool

    var testDescription: String { name }
}

enum MalformedCorpus {
    /// A file with `header` as its JSON, `data` zero bytes after it, and optionally a forged length.
    static func file(_ header: String, data: Int = 0, length: UInt64? = nil) -> Data {
        let json = Array(header.utf8)
        var bytes = withUnsafeBytes(of: (length ?? UInt64(json.count)).littleEndian) { Array($0) }
        bytes += json
        bytes += [UInt8](repeating: 0, count: data)
        return Data(bytes)
    }

    static func item(_ name: String, _ data: Data, tensor: String? = nil,
                     _ matches: @escaping @Sendable (SafeTensorsError) -> Bool) -> MalformedCase {
        MalformedCase(name: name, bytes: Array(data), tensor: tensor, matches: matches)
    }

    static let f32Pair = #""a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#

    static let cases: [MalformedCase] = [
        item("empty file", Data()) { if case .fileTooSmall(_, 0) = $0 { true } else { false } },
        item("five bytes", Data([1, 0, 0, 0, 0])) { if case .fileTooSmall(_, 5) = $0 { true } else { false } },
        item("header length 2^64−1 (no huge allocation)", file("{}", length: .max)) {
            if case .headerLengthOutOfRange(_, .max, _) = $0 { true } else { false }
        },
        item("header length past end of file", file("{}", length: 100)) {
            if case .headerLengthOutOfRange(_, 100, 10) = $0 { true } else { false }
        },
        item("header length zero", file("", length: 0)) { if case .headerLengthOutOfRange(_, 0, _) = $0 { true } else { false } },
        item("truncated JSON", file(#"{"a":{"dtype""#)) { if case .invalidJSON = $0 { true } else { false } },
        item("header not UTF-8", Data(file("{}").prefix(8)) + Data([0x7b, 0xff, 0xfe, 0x7d])) {
            if case .invalidJSON = $0 { true } else { false }
        },
        item("header is an array", file("[1, 2]")) { if case .headerNotObject = $0 { true } else { false } },
        item("entry is a number", file(#"{"a":3}"#), tensor: "a") {
            if case .entryNotObject(_, "a") = $0 { true } else { false }
        },
        item("missing dtype", file(#"{"a":{"shape":[2],"data_offsets":[0,8]}}"#, data: 8), tensor: "a") {
            if case .missingField(_, "a", "dtype") = $0 { true } else { false }
        },
        item("missing shape", file(#"{"a":{"dtype":"F32","data_offsets":[0,8]}}"#, data: 8), tensor: "a") {
            if case .missingField(_, "a", "shape") = $0 { true } else { false }
        },
        item("missing data_offsets", file(#"{"a":{"dtype":"F32","shape":[2]}}"#, data: 8), tensor: "a") {
            if case .missingField(_, "a", "data_offsets") = $0 { true } else { false }
        },
        item("unknown dtype", file(#"{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#, data: 8), tensor: "a") {
            if case .unknownDType(_, "a", "F33") = $0 { true } else { false }
        },
        item("dtype not a string", file(#"{"a":{"dtype":4,"shape":[2],"data_offsets":[0,8]}}"#, data: 8), tensor: "a") {
            if case .unknownDType(_, "a", _) = $0 { true } else { false }
        },
        item("negative extent", file(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: 8), tensor: "a") {
            if case .invalidShape(_, "a", _) = $0 { true } else { false }
        },
        item("fractional extent", file(#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}"#, data: 8), tensor: "a") {
            if case .invalidShape(_, "a", _) = $0 { true } else { false }
        },
        item("shape not an array", file(#"{"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#, data: 8), tensor: "a") {
            if case .invalidShape(_, "a", _) = $0 { true } else { false }
        },
        item("element count overflows", file(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: 8),
             tensor: "a") { if case .invalidShape(_, "a", _) = $0 { true } else { false } },
        item("one offset", file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8]}}"#, data: 8), tensor: "a") {
            if case .invalidOffsets(_, "a", _) = $0 { true } else { false }
        },
        item("begin after end", file(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data: 8), tensor: "a") {
            if case .invalidOffsets(_, "a", _) = $0 { true } else { false }
        },
        item("size disagrees with shape", file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: 8), tensor: "a") {
            if case .sizeMismatch(_, "a", 12, 8) = $0 { true } else { false }
        },
        item("offsets past the data", file("{\(f32Pair)}", data: 4), tensor: "a") {
            if case .offsetsOutOfBounds(_, "a", 8, 4) = $0 { true } else { false }
        },
        item("overlapping tensors",
             file("{\(f32Pair),\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", data: 12), tensor: "b") {
            if case .overlap(_, "b", "a") = $0 { true } else { false }
        },
        item("gap between tensors",
             file("{\(f32Pair),\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", data: 16), tensor: "b") {
            if case .gap(_, "b", 8, 12) = $0 { true } else { false }
        },
        item("gap before the first tensor", file(#"{"a":{"dtype":"F16","shape":[1],"data_offsets":[2,4]}}"#, data: 4), tensor: "a") {
            if case .gap(_, "a", 0, 2) = $0 { true } else { false }
        },
        item("bytes after the last tensor", file("{\(f32Pair)}", data: 12)) {
            if case .trailingBytes(_, 8, 12) = $0 { true } else { false }
        },
        item("metadata not an object", file("{\"__metadata__\":[1],\(f32Pair)}", data: 8)) {
            if case .invalidMetadata = $0 { true } else { false }
        },
        item("metadata value not a string", file("{\"__metadata__\":{\"epochs\":3},\(f32Pair)}", data: 8)) {
            if case .invalidMetadata = $0 { true } else { false }
        },
    ]
}
