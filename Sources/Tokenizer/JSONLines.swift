/// The `--jsonl` wire format of `animepop tokenizer encode`: one JSON string per input line, one JSON
/// array of ids per output line. Hand-written because other tools stream whole corpora through it.
public enum JSONLines {
    /// The UTF-8 bytes of the JSON string literal that fills `line` (surrounding spaces allowed), or nil
    /// if the line is not exactly one JSON string. Lone surrogate escapes become U+FFFD.
    public static func parseString(_ line: ArraySlice<UInt8>) -> [UInt8]? {
        var index = line.startIndex
        let end = line.endIndex
        func skipSpaces() { while index < end, [0x20, 0x09, 0x0D].contains(line[index]) { index += 1 } }
        skipSpaces()
        guard index < end, line[index] == 0x22 else { return nil }
        index += 1
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        func hex4() -> UInt32? {
            guard index + 4 <= end else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = line[index]
                index += 1
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        func appendScalar(_ value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            out.append(contentsOf: String(scalar).utf8)
        }
        while index < end {
            let byte = line[index]
            index += 1
            switch byte {
            case 0x22:  // closing quote: only spaces may follow
                skipSpaces()
                return index == end ? out : nil
            case 0x5C:
                guard index < end else { return nil }
                let escape = line[index]
                index += 1
                switch escape {
                case 0x22, 0x5C, 0x2F: out.append(escape)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    guard let first = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(first), index + 6 <= end, line[index] == 0x5C, line[index + 1] == 0x75 {
                        let save = index
                        index += 2
                        if let second = hex4(), (0xDC00...0xDFFF).contains(second) {
                            appendScalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                        } else {
                            index = save
                            appendScalar(0xFFFD)
                        }
                    } else {
                        appendScalar(first)
                    }
                default: return nil
                }
            default:
                if byte < 0x20 { return nil }
                out.append(byte)
            }
        }
        return nil
    }

    /// Appends `[id,id,…]\n` to `out`.
    public static func appendArray(_ ids: [Int], to out: inout [UInt8]) {
        out.append(0x5B)
        var digits: [UInt8] = []
        for (position, id) in ids.enumerated() {
            if position > 0 { out.append(0x2C) }
            var value = id
            if value < 0 { out.append(0x2D); value = -value }
            digits.removeAll(keepingCapacity: true)
            repeat {
                digits.append(UInt8(0x30 + value % 10))
                value /= 10
            } while value > 0
            out.append(contentsOf: digits.reversed())
        }
        out.append(0x5D)
        out.append(0x0A)
    }
}
