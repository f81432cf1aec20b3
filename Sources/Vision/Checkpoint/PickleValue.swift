/// A value built by the restricted pickle machine: plain data, containers, and the few torch objects a
/// state dict holds. Containers are reference boxes because pickle mutates memoized lists and dicts.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too wide for `Int`, kept as its little-endian two's-complement bytes (the legacy magic number).
    case wideInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// An allowed global, e.g. `collections.OrderedDict` or `torch.FloatStorage`.
    case global(PickleGlobal)
    /// A storage reference from a persistent id: element type, key, element count.
    case storage(StorageReference)
    /// A tensor view into a storage.
    case tensor(TensorReference)

    var asInt: Int? { if case .int(let value) = self { value } else { nil } }
    var asString: String? { if case .string(let value) = self { value } else { nil } }
    var asTuple: [PickleValue]? {
        switch self {
        case .tuple(let items): items
        case .list(let list): list.items
        default: nil
        }
    }
}

/// A pickle list whose identity survives memoization.
final class PickleList {
    var items: [PickleValue] = []
}

/// A pickle dict (string keys only, insertion order kept) whose identity survives memoization.
final class PickleDict {
    var keys: [String] = []
    var values: [String: PickleValue] = [:]

    func set(_ key: String, _ value: PickleValue) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
    }
}

/// The globals a state-dict pickle may name; everything else is refused.
enum PickleGlobal: Equatable {
    case orderedDict
    case rebuildTensorV2
    case rebuildParameter
    case storageType(StorageElementType)

    /// The allowed global for `module.name`, or nil when it is not allowed.
    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch", _):
            guard let type = StorageElementType(storageClassName: name) else { return nil }
            self = .storageType(type)
        default: return nil
        }
    }
}

/// Element types of torch storages, with their size in bytes.
enum StorageElementType: Equatable {
    case float32, float16, bfloat16, float64, int64, int32, int16, int8, uint8, bool

    init?(storageClassName: String) {
        switch storageClassName {
        case "FloatStorage": self = .float32
        case "HalfStorage": self = .float16
        case "BFloat16Storage": self = .bfloat16
        case "DoubleStorage": self = .float64
        case "LongStorage": self = .int64
        case "IntStorage": self = .int32
        case "ShortStorage": self = .int16
        case "CharStorage": self = .int8
        case "ByteStorage": self = .uint8
        case "BoolStorage": self = .bool
        default: return nil
        }
    }

    var byteCount: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }
}

/// A storage named by a persistent id ('storage', type, key, location, size).
struct StorageReference {
    var type: StorageElementType
    var key: String
    var elementCount: Int
}

/// A tensor as `_rebuild_tensor_v2` describes it: a view of `storage` from `offset` with `shape` and `strides`.
struct TensorReference {
    var storage: StorageReference
    var offset: Int
    var shape: [Int]
    var strides: [Int]
}
