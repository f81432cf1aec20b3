import Foundation
import Testing
import Tensor
@testable import Vision

@Suite("PyTorch checkpoint readers")
struct CheckpointTests {
    typealias Support = NetworkTestSupport

    @Test("legacy and zip .pth files give the same tensors as the reference writer", arguments: ["legacy", "zip"])
    func tinyCheckpoints(format: String) throws {
        let tensors = try TorchCheckpoint.read(contentsOf: try Support.fixture("vision_net_tiny_\(format).pth"))
        let expected = try Support.json("vision_net_tiny_expected.json")
        #expect(Set(tensors.keys) == ["conv.weight", "bn.running_var", "scalar", "base", "view"])
        #expect(tensors["conv.weight"]?.shape == [4, 3, 3, 3])
        #expect(tensors["scalar"]?.shape == [])
        #expect(tensors["view"]?.shape == [2, 2])
        for key in ["conv.weight", "bn.running_var", "scalar", "base", "view"] {
            #expect(tensors[key]?.values == Support.floats(expected[key]), "values of \(key)")
        }
    }

    @Test("a permuted (strided) view is gathered in row-major order")
    func stridedView() throws {
        let tensors = try TorchCheckpoint.read(contentsOf: try Support.fixture("vision_net_strided.pth"))
        let expected = try Support.json("vision_net_tiny_expected.json")
        #expect(tensors["t"]?.shape == [2, 3])
        #expect(tensors["t"]?.values == Support.floats(expected["strided"]))
    }

    @Test("a 4-D permuted view with an offset (TensorFlow's conv layout) is gathered element by element")
    func permutedConvolutionWeights() {
        // Stored as [kh, kw, in, out] = [3, 2, 5, 4] after 7 leading floats; viewed as [out, in, kh, kw].
        let shape = [4, 5, 3, 2], strides = [1, 4, 40, 20], offset = 7
        let storage = (0..<(offset + 3 * 2 * 5 * 4)).map { Float($0) }
        var expected: [Float] = []
        for o in 0..<4 { for i in 0..<5 { for y in 0..<3 { for x in 0..<2 {
            expected.append(storage[offset + o * strides[0] + i * strides[1] + y * strides[2] + x * strides[3]])
        } } } }
        #expect(TorchCheckpoint.gather(storage, offset: offset, shape: shape, strides: strides) == expected)
    }

    @Test("a view reaching past its storage is refused, naming the tensor")
    func outOfBounds() throws {
        let url = try Support.fixture("vision_net_out_of_bounds.pth")
        #expect { try TorchCheckpoint.read(contentsOf: url) } throws: { error in
            (error as? CheckpointError)?.errorDescription?.contains("'t' reaches past its storage") == true
        }
    }

    @Test("a global outside the allow list is refused by name and nothing runs")
    func forbiddenGlobal() throws {
        // PROTO 2, GLOBAL 'os system', SHORT_BINUNICODE 'echo', TUPLE1, REDUCE, STOP
        var bytes: [UInt8] = [0x80, 0x02, 0x63]
        bytes += Array("os\nsystem\n".utf8) + [0x8C, 4] + Array("echo".utf8) + [0x85, 0x52, 0x2E]
        #expect(throws: CheckpointError.forbiddenGlobal(path: "evil.pth", name: "os.system")) {
            try TorchCheckpoint.read(bytes: bytes, path: "evil.pth")
        }
    }

    @Test("every truncation of a legacy and a zip file is an error, never a crash", arguments: ["legacy", "zip"])
    func truncated(format: String) throws {
        let bytes = [UInt8](try Data(contentsOf: try Support.fixture("vision_net_tiny_\(format).pth")))
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: CheckpointError.self) { try TorchCheckpoint.read(bytes: Array(bytes[0..<length]), path: "cut.pth") }
        }
    }

    @Test("a file that is neither zip nor pickle is refused")
    func notACheckpoint() {
        #expect(throws: CheckpointError.self) { try TorchCheckpoint.read(bytes: Array("hello".utf8), path: "x.pth") }
    }

    @Test("the real EfficientNet-Lite0 checkpoint has 296 tensors matching the architecture",
          .enabled(if: NetworkTestSupport.hasRealWeights, "needs ~/.cache/animepop/efficientnet-lite0-57934424.pth (tools/setup.sh)"))
    func realCheckpoint() throws {
        let tensors = try TorchCheckpoint.read(contentsOf: WeightsCache.efficientNetLite0)
        #expect(tensors.count == 296)
        let expected = EfficientNetLite0.expectedShapes()
        #expect(expected.count + 49 == 296)   // plus one num_batches_tracked per BN layer
        for (key, shape) in expected { #expect(tensors[key]?.shape == shape, "shape of \(key)") }
    }
}

@Suite("Checkpoint files by content")
struct CheckpointFileTests {
    @Test("a safetensors file with torchvision names loads through CheckpointFile; a .pth goes to the pickle reader")
    func safetensorsAndPth() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vision-net-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("weights.safetensors")
        try SafeTensors.write(["fc.weight": Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
                               "bn1.running_var": Tensor(shape: [2], scalars: [0.5, 0.25])], to: url)
        let tensors = try CheckpointFile.read(contentsOf: url)
        #expect(tensors["fc.weight"] == CheckpointTensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]))
        #expect(tensors["bn1.running_var"]?.values == [0.5, 0.25])
        let pth = try CheckpointFile.read(contentsOf: try NetworkTestSupport.fixture("vision_net_tiny_zip.pth"))
        #expect(pth["conv.weight"]?.shape == [4, 3, 3, 3])
    }
}
