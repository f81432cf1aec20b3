import Foundation

/// Writes RFC 4180 CSV: a field is quoted when it holds a comma, a quote, CR or LF (quotes doubled);
/// records end with CRLF as the RFC says (or LF on request). Output is buffered and flushed in chunks.
public final class CSVWriter {
    private let handle: FileHandle?
    private var pending: [UInt8] = []
    private let lineEnding: [UInt8]
    /// Everything written so far, when writing to memory.
    public private(set) var memory: [UInt8] = []

    /// Writes to a new file at `url` (replacing one that is there).
    /// - Throws: the file system's error when the file cannot be created.
    public init(url: URL, useCRLF: Bool = true) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CSVWriteError.cannotCreate(path: url.path)
        }
        self.handle = try FileHandle(forWritingTo: url)
        self.lineEnding = useCRLF ? [13, 10] : [10]
    }

    /// Writes to memory; read the bytes from `memory` after `close()`.
    public init(useCRLF: Bool = true) {
        self.handle = nil
        self.lineEnding = useCRLF ? [13, 10] : [10]
    }

    /// Appends one record.
    /// - Throws: the file system's error when a chunk cannot be written.
    public func write(_ fields: [String]) throws {
        if fields.count == 1, fields[0].isEmpty {
            // A lone empty field is written quoted, so the record is not a blank line.
            pending.append(contentsOf: [34, 34])
        }
        for (index, field) in fields.enumerated() {
            if index > 0 { pending.append(UInt8(ascii: ",")) }
            CSVWriter.appendField(field, to: &pending)
        }
        pending.append(contentsOf: lineEnding)
        if pending.count >= 1 << 20 { try flush() }
    }

    /// Writes out what is buffered.
    /// - Throws: the file system's error.
    public func flush() throws {
        guard !pending.isEmpty else { return }
        if let handle {
            try handle.write(contentsOf: pending)
        } else {
            memory.append(contentsOf: pending)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    /// - Throws: the file system's error.
    public func close() throws {
        try flush()
        try handle?.close()
    }

    /// Appends one field, quoted when it must be.
    static func appendField(_ field: String, to output: inout [UInt8]) {
        let utf8 = field.utf8
        let needsQuotes = utf8.contains { (byte: UInt8) -> Bool in
            byte == 44 || byte == 34 || byte == 10 || byte == 13  // , " LF CR
        }
        guard needsQuotes else {
            output.append(contentsOf: utf8)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// Errors writing CSV.
public enum CSVWriteError: Error, LocalizedError, Sendable {
    /// The file cannot be created (missing folder, no permission).
    case cannotCreate(path: String)

    /// One line naming the file.
    public var errorDescription: String? {
        switch self {
        case .cannotCreate(let path): return "\(path): cannot create the file (does its folder exist and is it writable?)"
        }
    }
}
