// A restricted pickle reader: enough of protocols 2–4 for what `torch.save` writes for a state dict.
// It builds plain values and never calls anything: the only "callables" are the allowed globals in
// `PickleGlobal`, interpreted by `reduce`. Any other global stops reading with an error naming it.
// Opcode meanings: CPython Lib/pickletools.py.

/// Reads one pickle from `bytes` starting at `start`; `end` is the offset after its STOP opcode.
struct PickleMachine {
    let bytes: [UInt8]
    let path: String
    private(set) var position: Int
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    init(bytes: [UInt8], start: Int, path: String) {
        self.bytes = bytes
        self.position = start
        self.path = path
    }

    /// Runs to STOP and returns the value and the offset just past the pickle.
    static func load(_ bytes: [UInt8], from start: Int, path: String) throws -> (value: PickleValue, end: Int) {
        var machine = PickleMachine(bytes: bytes, start: start, path: path)
        let value = try machine.run()
        return (value, machine.position)
    }

    private func failure(_ reason: String) -> CheckpointError {
        .malformed(path: path, offset: position, reason: reason)
    }

    private mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else { throw failure("pickle runs past the end of the data") }
        defer { position += count }
        return bytes[position..<position + count]
    }

    private mutating func readUnsigned(_ count: Int) throws -> Int {
        let slice = try readBytes(count)
        var value = 0
        for (index, byte) in slice.enumerated() { value |= Int(byte) << (8 * index) }
        return value
    }

    private mutating func readLine() throws -> String {
        guard let newline = bytes[position...].firstIndex(of: 0x0A) else { throw failure("unterminated text line") }
        let line = String(decoding: bytes[position..<newline], as: UTF8.self)
        position = newline + 1
        return line
    }

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast() else { throw failure("stack underflow") }
        if let mark = marks.last, stack.count < mark { throw failure("stack underflow past a mark") }
        return value
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw failure("no mark on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func top() throws -> PickleValue {
        guard let value = stack.last else { throw failure("empty stack") }
        return value
    }

    private mutating func run() throws -> PickleValue {
        while true {
            let opcode = try readUnsigned(1)
            switch opcode {
            case 0x80: _ = try readUnsigned(1)                                  // PROTO
            case 0x95: _ = try readBytes(8)                                     // FRAME
            case 0x2E: return try pop()                                         // STOP
            case 0x28: marks.append(stack.count)                                // MARK
            case 0x4E: stack.append(.none)                                      // NONE
            case 0x88: stack.append(.bool(true))                                // NEWTRUE
            case 0x89: stack.append(.bool(false))                               // NEWFALSE
            case 0x4B: stack.append(.int(try readUnsigned(1)))                  // BININT1
            case 0x4D: stack.append(.int(try readUnsigned(2)))                  // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try readUnsigned(4))))) // BININT
            case 0x8A: stack.append(try readLong1())                            // LONG1
            case 0x47:                                                          // BINFLOAT (big-endian)
                let slice = try readBytes(8)
                let bits = slice.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
                stack.append(.float(Double(bitPattern: bits)))
            case 0x58: stack.append(.string(try readText(lengthBytes: 4)))      // BINUNICODE
            case 0x8C: stack.append(.string(try readText(lengthBytes: 1)))      // SHORT_BINUNICODE
            case 0x55: stack.append(.string(try readText(lengthBytes: 1)))      // SHORT_BINSTRING
            case 0x54: stack.append(.string(try readText(lengthBytes: 4)))      // BINSTRING
            case 0x43: stack.append(.bytes(Array(try readBytes(try readUnsigned(1)))))  // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(Array(try readBytes(try readUnsigned(4)))))  // BINBYTES
            case 0x7D: stack.append(.dict(PickleDict()))                        // EMPTY_DICT
            case 0x5D: stack.append(.list(PickleList()))                        // EMPTY_LIST
            case 0x29: stack.append(.tuple([]))                                 // EMPTY_TUPLE
            case 0x85: stack.append(.tuple([try pop()]))                        // TUPLE1
            case 0x86:                                                          // TUPLE2
                let second = try pop(), first = try pop()
                stack.append(.tuple([first, second]))
            case 0x87:                                                          // TUPLE3
                let third = try pop(), second = try pop(), first = try pop()
                stack.append(.tuple([first, second, third]))
            case 0x74: stack.append(.tuple(try popToMark()))                    // TUPLE
            case 0x6C:                                                          // LIST
                let list = PickleList()
                list.items = try popToMark()
                stack.append(.list(list))
            case 0x71: memo[try readUnsigned(1)] = try top()                    // BINPUT
            case 0x72: memo[try readUnsigned(4)] = try top()                    // LONG_BINPUT
            case 0x94: memo[memo.count] = try top()                             // MEMOIZE
            case 0x68, 0x6A:                                                    // BINGET, LONG_BINGET
                let index = try readUnsigned(opcode == 0x68 ? 1 : 4)
                guard let value = memo[index] else { throw failure("memo entry \(index) is unset") }
                stack.append(value)
            case 0x61:                                                          // APPEND
                let item = try pop()
                try append([item])
            case 0x65:                                                          // APPENDS
                let items = try popToMark()   // pop first: `append` must see the stack without them
                try append(items)
            case 0x73:                                                          // SETITEM
                let value = try pop(), key = try pop()
                try setItems([key, value])
            case 0x75:                                                          // SETITEMS
                let items = try popToMark()
                try setItems(items)
            case 0x63:                                                          // GLOBAL
                let module = try readLine(), name = try readLine()
                stack.append(try global(module: module, name: name))
            case 0x93:                                                          // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard let nameText = name.asString, let moduleText = module.asString
                else { throw failure("STACK_GLOBAL needs two strings") }
                stack.append(try global(module: moduleText, name: nameText))
            case 0x52:                                                          // REDUCE
                let arguments = try pop(), callable = try pop()
                stack.append(try reduce(callable, arguments))
            case 0x62:                                                          // BUILD
                // State for an object just built: only OrderedDict (state-dict `_metadata`) is expected; ignore it.
                _ = try pop()
                guard case .dict = try top() else { throw failure("BUILD on something other than a dict") }
            case 0x51:                                                          // BINPERSID
                stack.append(try persistentStorage(try pop()))
            default:
                throw failure("unsupported pickle opcode 0x\(String(opcode, radix: 16))")
            }
        }
    }

    private mutating func readText(lengthBytes: Int) throws -> String {
        let length = try readUnsigned(lengthBytes)
        return String(decoding: try readBytes(length), as: UTF8.self)
    }

    private mutating func readLong1() throws -> PickleValue {
        let count = try readUnsigned(1)
        let slice = Array(try readBytes(count))
        guard count <= 8 else { return .wideInt(slice) }
        guard count > 0 else { return .int(0) }
        var value: UInt64 = 0
        for (index, byte) in slice.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        if count < 8, let last = slice.last, last & 0x80 != 0 { value |= ~UInt64(0) << (8 * UInt64(count)) }
        return .int(Int(Int64(bitPattern: value)))
    }

    private func global(module: String, name: String) throws -> PickleValue {
        guard let allowed = PickleGlobal(module: module, name: name) else {
            throw CheckpointError.forbiddenGlobal(path: path, name: "\(module).\(name)")
        }
        return .global(allowed)
    }

    private func append(_ items: [PickleValue]) throws {
        guard case .list(let list) = try top() else { throw failure("APPEND to something other than a list") }
        list.items.append(contentsOf: items)
    }

    private func setItems(_ items: [PickleValue]) throws {
        guard case .dict(let dict) = try top() else { throw failure("SETITEM on something other than a dict") }
        guard items.count % 2 == 0 else { throw failure("odd number of dict items") }
        for pair in stride(from: 0, to: items.count, by: 2) {
            guard let key = items[pair].asString else { throw failure("dict key is not a string") }
            dict.set(key, items[pair + 1])
        }
    }

    /// Interprets a call of an allowed global on its argument tuple, without executing anything.
    private func reduce(_ callable: PickleValue, _ arguments: PickleValue) throws -> PickleValue {
        guard case .global(let function) = callable, let arguments = arguments.asTuple
        else { throw failure("REDUCE of something that is not an allowed global") }
        switch function {
        case .orderedDict:
            return .dict(PickleDict())
        case .rebuildParameter:
            guard let data = arguments.first, case .tensor = data else { throw failure("_rebuild_parameter without a tensor") }
            return data
        case .rebuildTensorV2:
            guard arguments.count >= 4, case .storage(let storage) = arguments[0],
                  let offset = arguments[1].asInt,
                  let shape = arguments[2].asTuple?.compactMap(\.asInt),
                  let strides = arguments[3].asTuple?.compactMap(\.asInt),
                  shape.count == arguments[2].asTuple?.count, strides.count == shape.count
            else { throw failure("_rebuild_tensor_v2 with unexpected arguments") }
            return .tensor(TensorReference(storage: storage, offset: offset, shape: shape, strides: strides))
        case .storageType:
            throw failure("a storage class is called directly")
        }
    }

    /// A persistent id ('storage', storage type, key, location, element count[, view metadata]).
    private func persistentStorage(_ id: PickleValue) throws -> PickleValue {
        guard let items = id.asTuple, items.count >= 5, items[0].asString == "storage",
              case .global(.storageType(let type)) = items[1],
              let key = items[2].asString, let count = items[4].asInt, count >= 0
        else { throw failure("unexpected persistent id") }
        if items.count > 5, case .none = items[5] {} else if items.count > 5 {
            throw failure("storage views are not supported")
        }
        return .storage(StorageReference(type: type, key: key, elementCount: count))
    }
}
