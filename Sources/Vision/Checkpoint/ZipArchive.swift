/// A minimal ZIP reader for what `torch.save` writes: the central directory (ZIP64 included) and
/// STORED (uncompressed) entries. Every offset and size is checked against the file length before use.
/// Format: PKWARE APPNOTE.TXT sections 4.3.12 (central header), 4.3.16 (end record), 4.3.14–15 (ZIP64).
struct ZipArchive {
    private struct Entry {
        var method: Int
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    private let bytes: [UInt8]
    private let path: String
    private var entries: [String: Entry] = [:]
    /// Entry names in central-directory order.
    private(set) var entryNames: [String] = []

    init(bytes: [UInt8], path: String) throws {
        self.bytes = bytes
        self.path = path
        let end = try findEndRecord()
        var entryCount = try unsigned(end + 10, 2)
        var directorySize = try unsigned(end + 12, 4)
        var directoryOffset = try unsigned(end + 16, 4)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the locator sits just before the end record and points at the ZIP64 end record.
            guard end >= 20, try unsigned(end - 20, 4) == 0x0706_4B50 else { throw failure(end, "ZIP64 locator missing") }
            let record = try unsigned(end - 20 + 8, 8)
            guard try unsigned(record, 4) == 0x0606_4B50 else { throw failure(record, "ZIP64 end record missing") }
            entryCount = try unsigned(record + 32, 8)
            directorySize = try unsigned(record + 40, 8)
            directoryOffset = try unsigned(record + 48, 8)
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw failure(end, "central directory lies outside the file")
        }
        var position = directoryOffset
        for _ in 0..<entryCount {
            guard try unsigned(position, 4) == 0x0201_4B50 else { throw failure(position, "bad central directory header") }
            let method = try unsigned(position + 10, 2)
            var compressedSize = try unsigned(position + 20, 4)
            var size = try unsigned(position + 24, 4)
            let nameLength = try unsigned(position + 28, 2)
            let extraLength = try unsigned(position + 30, 2)
            let commentLength = try unsigned(position + 32, 2)
            var localOffset = try unsigned(position + 42, 4)
            let nameStart = position + 46
            guard nameStart + nameLength + extraLength <= bytes.count else { throw failure(position, "entry name runs past the end") }
            let name = String(decoding: bytes[nameStart..<nameStart + nameLength], as: UTF8.self)
            // ZIP64 extended information (tag 1) replaces the fields that read 0xFFFFFFFF, in this order.
            var extra = nameStart + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let tag = try unsigned(extra, 2), length = try unsigned(extra + 2, 2)
                if tag == 1 {
                    var field = extra + 4
                    if size == 0xFFFF_FFFF { size = try unsigned(field, 8); field += 8 }
                    if compressedSize == 0xFFFF_FFFF { compressedSize = try unsigned(field, 8); field += 8 }
                    if localOffset == 0xFFFF_FFFF { localOffset = try unsigned(field, 8) }
                }
                extra += 4 + length
            }
            entries[name] = Entry(method: method, compressedSize: compressedSize, size: size, localHeaderOffset: localOffset)
            entryNames.append(name)
            position = extraEnd + commentLength
        }
    }

    /// The bytes of the named STORED entry.
    func contents(of name: String) throws -> ArraySlice<UInt8> {
        guard let entry = entries[name] else { throw failure(0, "zip entry '\(name)' is missing") }
        guard entry.method == 0 else { throw failure(entry.localHeaderOffset, "zip entry '\(name)' is compressed (only stored entries are read)") }
        let header = entry.localHeaderOffset
        guard try unsigned(header, 4) == 0x0403_4B50 else { throw failure(header, "bad local header for '\(name)'") }
        let start = header + 30 + (try unsigned(header + 26, 2)) + (try unsigned(header + 28, 2))
        guard start <= bytes.count, entry.size <= bytes.count - start else {
            throw failure(header, "zip entry '\(name)' runs past the end of the file")
        }
        return bytes[start..<start + entry.size]
    }

    private func failure(_ offset: Int, _ reason: String) -> CheckpointError {
        .malformed(path: path, offset: offset, reason: reason)
    }

    private func unsigned(_ offset: Int, _ count: Int) throws -> Int {
        guard offset >= 0, offset <= bytes.count - count else { throw failure(offset, "zip structure runs past the end of the file") }
        var value = 0
        for index in 0..<count { value |= Int(bytes[offset + index]) << (8 * index) }
        guard value >= 0 else { throw failure(offset, "zip field out of range") }
        return value
    }

    /// The offset of the end-of-central-directory record, searched backwards over a possible comment.
    private func findEndRecord() throws -> Int {
        guard bytes.count >= 22 else { throw failure(0, "too short for a zip archive") }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var position = bytes.count - 22
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 0x05, bytes[position + 3] == 0x06 {
                return position
            }
            position -= 1
        }
        throw failure(bytes.count, "no end-of-central-directory record")
    }
}
