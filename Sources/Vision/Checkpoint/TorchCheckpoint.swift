import Foundation

/// Reads PyTorch `.pth` state dicts in both layouts `torch.save` has used, without executing anything:
/// - legacy (before PyTorch 1.6): five pickles in a row — magic number, protocol version, system info,
///   the state dict (storages as persistent ids), the list of storage keys — then each storage's bytes
///   as an 8-byte little-endian element count followed by the elements;
/// - zip: `<archive>/data.pkl` (the state dict) and `<archive>/data/<key>` (raw storage bytes), stored uncompressed.
public enum TorchCheckpoint {
    /// The legacy format's magic number 0x1950a86a20f9469cfc6c, as LONG1 little-endian bytes.
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// The state dict in the `.pth` file at `url`, every tensor converted to Float32.
    /// - Throws: `CheckpointError` naming the file and what is wrong.
    public static func read(contentsOf url: URL) throws -> [String: CheckpointTensor] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try read(bytes: [UInt8](data), path: url.path)
    }

    /// The state dict in the `.pth` bytes; `path` is used in error messages.
    public static func read(bytes: [UInt8], path: String) throws -> [String: CheckpointTensor] {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try readZip(bytes, path: path) }
        if bytes.starts(with: [0x80]) { return try readLegacy(bytes, path: path) }
        throw CheckpointError.malformed(path: path, offset: 0, reason: "neither a zip nor a legacy PyTorch file")
    }

    static func readLegacy(_ bytes: [UInt8], path: String) throws -> [String: CheckpointTensor] {
        let magic = try PickleMachine.load(bytes, from: 0, path: path)
        guard case .wideInt(let magicBytes) = magic.value, magicBytes == legacyMagic else {
            throw CheckpointError.malformed(path: path, offset: 0, reason: "not a PyTorch legacy file (bad magic number)")
        }
        let version = try PickleMachine.load(bytes, from: magic.end, path: path)
        guard version.value.asInt == 1001 else {
            throw CheckpointError.malformed(path: path, offset: magic.end, reason: "unsupported legacy protocol version")
        }
        let systemInfo = try PickleMachine.load(bytes, from: version.end, path: path)
        let stateDict = try PickleMachine.load(bytes, from: systemInfo.end, path: path)
        let keyList = try PickleMachine.load(bytes, from: stateDict.end, path: path)
        guard let keys = keyList.value.asTuple?.compactMap(\.asString) else {
            throw CheckpointError.malformed(path: path, offset: stateDict.end, reason: "storage key list missing")
        }
        let tensors = try tensorReferences(in: stateDict.value, path: path)
        var types: [String: StorageElementType] = [:]
        for (_, tensor) in tensors { types[tensor.storage.key] = tensor.storage.type }

        var storages: [String: ArraySlice<UInt8>] = [:]
        var position = keyList.end
        for key in keys {
            guard position + 8 <= bytes.count else {
                throw CheckpointError.malformed(path: path, offset: position, reason: "storage '\(key)' is truncated")
            }
            var count = 0
            for index in 0..<8 { count |= Int(bytes[position + index]) << (8 * index) }
            position += 8
            let elementSize = types[key]?.byteCount ?? 1
            guard count >= 0, count <= (bytes.count - position) / elementSize else {
                throw CheckpointError.malformed(path: path, offset: position, reason: "storage '\(key)' runs past the end of the file")
            }
            storages[key] = bytes[position..<position + count * elementSize]
            position += count * elementSize
        }
        return try materialize(tensors, storages: storages, path: path)
    }

    static func readZip(_ bytes: [UInt8], path: String) throws -> [String: CheckpointTensor] {
        let archive = try ZipArchive(bytes: bytes, path: path)
        guard let pickleName = archive.entryNames.first(where: { $0.hasSuffix("/data.pkl") || $0 == "data.pkl" }) else {
            throw CheckpointError.malformed(path: path, offset: 0, reason: "zip archive has no data.pkl")
        }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        let pickle = try archive.contents(of: pickleName)
        let stateDict = try PickleMachine.load(Array(pickle), from: 0, path: path)
        let tensors = try tensorReferences(in: stateDict.value, path: path)
        var storages: [String: ArraySlice<UInt8>] = [:]
        for (_, tensor) in tensors where storages[tensor.storage.key] == nil {
            storages[tensor.storage.key] = try archive.contents(of: prefix + "data/" + tensor.storage.key)
        }
        return try materialize(tensors, storages: storages, path: path)
    }

    /// The (key, tensor) pairs of a state dict, in file order; unwraps `{"state_dict": …}` wrappers.
    static func tensorReferences(in value: PickleValue, path: String) throws -> [(String, TensorReference)] {
        guard case .dict(let dict) = value else {
            throw CheckpointError.malformed(path: path, offset: 0, reason: "the pickle is not a state dict")
        }
        for wrapper in ["state_dict", "model"] {
            if let inner = dict.values[wrapper], case .dict = inner { return try tensorReferences(in: inner, path: path) }
        }
        var result: [(String, TensorReference)] = []
        for key in dict.keys {
            guard case .tensor(let tensor)? = dict.values[key] else { continue }
            result.append((key, tensor))
        }
        return result
    }

    /// The elements of a strided view, in row-major order of `shape`. Tensors converted from TensorFlow
    /// are stored permuted (e.g. conv weights [32, 3, 3, 3] with strides (1, 32, 288, 96)), so any
    /// non-negative strides inside the storage are accepted.
    static func gather(_ storage: [Float], offset: Int, shape: [Int], strides: [Int]) -> [Float] {
        let count = shape.reduce(1, *)
        if count == 0 { return [] }
        var isContiguous = true, expected = 1
        for dimension in shape.indices.reversed() {
            if shape[dimension] != 1 && strides[dimension] != expected { isContiguous = false }
            expected *= shape[dimension]
        }
        if isContiguous { return Array(storage[offset..<offset + count]) }
        // An odometer over the outer dimensions, a strided copy along the innermost one. `materialize` has
        // checked that the view lies inside the storage; the precondition keeps the unchecked reads below safe.
        precondition(strides.count == shape.count && offset >= 0 && strides.allSatisfy { $0 >= 0 }
                     && offset + zip(shape, strides).reduce(0) { $0 + ($1.0 - 1) * $1.1 } < storage.count,
                     "a strided view must lie inside its storage, one non-negative stride per dimension")
        let inner = shape[shape.count - 1], innerStride = strides[strides.count - 1]
        var index = [Int](repeating: 0, count: shape.count)
        var result = [Float](repeating: 0, count: count)
        storage.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { destination in
                guard let from = source.baseAddress, let to = destination.baseAddress else { return }
                var start = offset
                for row in stride(from: 0, to: count, by: inner) {
                    var element = from + start
                    for column in 0..<inner {
                        to[row + column] = element.pointee
                        element += innerStride
                    }
                    var dimension = shape.count - 2
                    while dimension >= 0 {
                        index[dimension] += 1
                        start += strides[dimension]
                        if index[dimension] < shape[dimension] { break }
                        start -= strides[dimension] * shape[dimension]
                        index[dimension] = 0
                        dimension -= 1
                    }
                }
            }
        }
        return result
    }

    static func materialize(
        _ tensors: [(String, TensorReference)], storages: [String: ArraySlice<UInt8>], path: String
    ) throws -> [String: CheckpointTensor] {
        var result: [String: CheckpointTensor] = [:]
        for (key, tensor) in tensors {
            guard tensor.shape.allSatisfy({ $0 >= 0 }), tensor.offset >= 0 else {
                throw CheckpointError.malformed(path: path, offset: 0, reason: "tensor '\(key)' has a negative size")
            }
            guard tensor.strides.allSatisfy({ $0 >= 0 }) else { throw CheckpointError.nonContiguous(path: path, key: key) }
            guard tensor.strides.count == tensor.shape.count else {
                throw CheckpointError.malformed(path: path, offset: 0, reason: "tensor '\(key)' has \(tensor.strides.count) strides for \(tensor.shape.count) dimensions")
            }
            let count = tensor.shape.reduce(1, *)
            guard let storage = storages[tensor.storage.key] else {
                throw CheckpointError.malformed(path: path, offset: 0, reason: "storage '\(tensor.storage.key)' of '\(key)' is missing")
            }
            let elementSize = tensor.storage.type.byteCount
            let available = storage.count / elementSize
            // The last element a view touches: offset + Σ (size − 1)·stride; it must lie inside the storage.
            var last = tensor.offset
            for (size, stride) in zip(tensor.shape, tensor.strides) where size > 0 { last += (size - 1) * stride }
            guard count == 0 || last < available else {
                throw CheckpointError.malformed(path: path, offset: 0, reason: "tensor '\(key)' reaches past its storage")
            }
            let all = StorageDecoding.floats(storage, type: tensor.storage.type)
            let values = gather(all, offset: tensor.offset, shape: tensor.shape, strides: tensor.strides)
            result[key] = CheckpointTensor(shape: tensor.shape, values: values)
        }
        return result
    }
}
