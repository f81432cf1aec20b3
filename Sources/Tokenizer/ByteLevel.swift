/// GPT-2's reversible map between bytes and printable Unicode characters, so that BPE tokens are
/// printable strings in vocab.json: a port of `bytes_to_unicode` in openai/gpt-2 `src/encoder.py`.
///
/// Printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) map to themselves; the other 68 bytes map to
/// U+0100 upwards in byte order (space → `Ġ` U+0120, newline → `Ċ` U+010A).
public enum ByteLevel {
    /// `scalars[b]` is the character that stands for byte `b`.
    public static let scalars: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next) ?? " "
                next += 1
            }
        }
        return table
    }()

    /// The 256 bytes in GPT-2's vocabulary order: printable bytes first, then the remapped ones.
    public static let byteOrder: [UInt8] = (0..<256).map { UInt8($0) }.filter(isPrintable)
        + (0..<256).map { UInt8($0) }.filter { !isPrintable($0) }

    /// The byte a byte-level character stands for, or nil for a character outside the table.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 256, isPrintable(UInt8(value)) { return UInt8(value) }
        if value >= 256, value < 256 + 68 { return remapped[Int(value - 256)] }
        return nil
    }

    /// The byte-level string (as in vocab.json) for raw bytes.
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalars[Int(byte)]) }
        return String(text)
    }

    /// The raw bytes of a byte-level string, or nil when it holds a character outside the table.
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let byte = byte(for: scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    private static func isPrintable(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    private static let remapped: [UInt8] = (0..<256).map { UInt8($0) }.filter { !isPrintable($0) }
}
