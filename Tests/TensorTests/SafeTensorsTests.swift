// safetensors: round trips (F32 exact, F16/BF16 to the nearest 16-bit value), reading a file written by
// Python (mixed F32/F16/BF16, hand-built header), bit-exact 16-bit conversions against numpy, and a corpus
// of malformed files each rejected with its own error naming the file and tensor.
import Foundation
import Testing
@testable import Tensor

@Suite("safetensors read and write")
struct SafeTensorsTests {
    @Test("F32 round trip is exact and keeps metadata, escaped names and empty tensors")
    func roundTripF32() throws {
        let url = temporaryURL("f32.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let tensors: [String: Tensor] = [
            "encoder.layer.0.weight": randomTensor([3, 5], seed: 1),
            "scalar": Tensor(scalar: 2.5),
            "empty": Tensor.zeros([0, 4]),
            "naïve \"quoted\"\nname": randomTensor([7], seed: 2),
        ]
        let metadata = ["format": "pt", "note": "line one\nline \"two\" \\ é"]
        try SafeTensors.write(tensors, metadata: metadata, to: url)
        #expect(try SafeTensors.read(contentsOf: url) == tensors)
        #expect(try SafeTensors.readMetadata(contentsOf: url) == metadata)
        let entries = try SafeTensors.entries(contentsOf: url)
        #expect(entries.map(\.dtypeName) == ["F32", "F32", "F32", "F32"])
        // The data section starts 8-byte aligned.
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        #expect(headerLength % 8 == 0)
    }

    @Test("F16 and BF16 writes round to the nearest representable value")
    func roundTripHalves() throws {
        let original = randomTensor([4, 33], seed: 3, scale: 10)
        for dtype in [SafeTensors.DType.f16, .bf16] {
            let url = temporaryURL("\(dtype.rawValue).safetensors")
            defer { try? FileManager.default.removeItem(at: url) }
            try SafeTensors.write(["x": original], dtype: dtype, to: url)
            let read = try #require(try SafeTensors.read(contentsOf: url)["x"])
            let expected = original.map {
                dtype == .f16 ? HalfPrecision.float(fromHalf: HalfPrecision.half(from: $0))
                              : HalfPrecision.float(fromBFloat: HalfPrecision.bfloat(from: $0))
            }
            #expect(read == expected)
            #expect(try SafeTensors.entries(contentsOf: url).first?.dtypeName == dtype.rawValue)
            let bound: Float = dtype == .f16 ? 1.0 / 2048 : 1.0 / 256   // half an ulp, relative
            #expect(zip(read.scalars, original.scalars).allSatisfy { abs($0 - $1) <= bound * abs($1) })
        }
    }

    @Test("reads F32, F16 and BF16 from a file made in Python; 16-bit bits match numpy")
    func pythonFile() throws {
        let tensors = try SafeTensors.read(contentsOf: try fixtureURL("halves", "safetensors"))
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: try fixtureURL("reference", "json")))
        let json = try #require(reference as? [String: Any])
        let halfBits = try #require(json["halves_f16_bits"] as? [Int]).map { UInt16($0) }
        let bfloatBits = try #require(json["halves_bf16_bits"] as? [Int]).map { UInt16($0) }
        let values = try #require(tensors["f32"])
        #expect(values.shape == [3, 4])
        #expect(values.scalars.map(HalfPrecision.half(from:)) == halfBits)
        #expect(values.scalars.map(HalfPrecision.bfloat(from:)) == bfloatBits)
        #expect(try #require(tensors["f16"]).scalars == halfBits.map(HalfPrecision.float(fromHalf:)))
        #expect(try #require(tensors["bf16"]).scalars == bfloatBits.map(HalfPrecision.float(fromBFloat:)))
        #expect(try SafeTensors.readMetadata(contentsOf: try fixtureURL("halves", "safetensors"))["note"] == "mixed dtypes")
    }

    @Test("16-bit conversions: exact values, ties to even, subnormals, overflow, NaN")
    func halfConversions() {
        #expect(HalfPrecision.half(from: 1) == 0x3c00)
        #expect(HalfPrecision.half(from: 65504) == 0x7bff)
        #expect(HalfPrecision.half(from: 65520) == 0x7c00)            // rounds up to infinity
        #expect(HalfPrecision.half(from: 0x1p-24) == 0x0001)          // smallest subnormal
        #expect(HalfPrecision.half(from: 0x1p-25) == 0x0000)          // tie to even → 0
        #expect(HalfPrecision.half(from: 1 + 0x1p-11) == 0x3c00)      // tie to even (down)
        #expect(HalfPrecision.half(from: 1 + 3 * 0x1p-11) == 0x3c02)  // tie to even (up)
        #expect(HalfPrecision.float(fromHalf: HalfPrecision.half(from: .nan)).isNaN)
        #expect(HalfPrecision.float(fromHalf: 0x8001) == -0x1p-24)
        #expect(HalfPrecision.bfloat(from: 1 + 0x1p-8) == 0x3f80)     // tie to even (down)
        #expect(HalfPrecision.float(fromBFloat: HalfPrecision.bfloat(from: .nan)).isNaN)
        for bits in UInt16(0)...UInt16(0x7bff) {                       // every finite positive half round-trips
            #expect(HalfPrecision.half(from: HalfPrecision.float(fromHalf: bits)) == bits)
        }
    }

    @Test("an I64 tensor is reported, not misread")
    func unsupportedDType() throws {
        let url = temporaryURL("i64.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try MalformedCorpus.file(#"{"steps":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: 8).write(to: url)
        #expect(try SafeTensors.entries(contentsOf: url).first?.dtypeName == "I64")
        #expect(throws: SafeTensorsError.unsupportedDType(file: url.path, tensor: "steps", dtype: "I64")) {
            try SafeTensors.read(contentsOf: url)
        }
    }

    @Test("malformed file is rejected with its specific error", arguments: MalformedCorpus.cases)
    func malformed(_ item: MalformedCase) throws {
        let url = temporaryURL("malformed.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(item.bytes).write(to: url)
        do {
            _ = try SafeTensors.read(contentsOf: url)
            Issue.record("\(item.name): read succeeded")
        } catch let error as SafeTensorsError {
            #expect(item.matches(error), "\(item.name): got \(error)")
            let message = error.localizedDescription
            #expect(message.contains(url.path), "\(item.name): message does not name the file: \(message)")
            if let tensor = item.tensor {
                #expect(message.contains("'\(tensor)'"), "\(item.name): message does not name '\(tensor)': \(message)")
            }
        }
        // The metadata reader validates the same way.
        #expect(throws: SafeTensorsError.self) { try SafeTensors.readMetadata(contentsOf: url) }
    }

    @Test("missing files and directories give cannotOpen")
    func cannotOpen() {
        let missing = temporaryURL("absent.safetensors")
        #expect(throws: SafeTensorsError.cannotOpen(file: missing.path, reason: "No such file or directory")) {
            try SafeTensors.read(contentsOf: missing)
        }
        #expect(throws: SafeTensorsError.cannotOpen(file: "/tmp", reason: "not a regular file")) {
            try SafeTensors.read(contentsOf: URL(fileURLWithPath: "/tmp"))
        }
    }

    @Test("writing refuses reserved names and leaves no partial file")
    func writeErrors() throws {
        let url = temporaryURL("reserved.safetensors")
        #expect(throws: SafeTensorsError.invalidTensorName(file: url.path, tensor: "__metadata__")) {
            try SafeTensors.write(["__metadata__": Tensor(scalar: 1)], to: url)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        let unwritable = URL(fileURLWithPath: "/nonexistent-directory/x.safetensors")
        #expect(throws: SafeTensorsError.self) { try SafeTensors.write(["x": Tensor(scalar: 1)], to: unwritable) }
    }
}
