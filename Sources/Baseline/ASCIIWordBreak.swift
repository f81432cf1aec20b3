// UAX #29 word boundaries for pure-ASCII text, equal to ICU's root-locale rules on ASCII (tested against ICU
// on random strings): the fast path for the ~75% of synopses that are plain ASCII (NFKC of ASCII is itself,
// lower-casing is A–Z → a–z). In ASCII the rules that matter are
//   WB5/8/9/10/13a/13b  letters, digits and '_' join each other:      "x_1", "a1", "__"
//   WB6/7               letter (. or ') letter stays one word:       "hero's", "a.b.c"
//   WB11/12             digit (, ; . or ') digit stays one word:     "1,000", "3.14"
//   everything else breaks. ICU's root rules differ from plain UAX #29 in two ways that matter here:
//   ':' is NOT MidLetter ("a:b" → "a", "b") and '@' IS a letter ("x@y.z" is one word, "@" alone is a word).
// A segment is a word (ICU rule status ≠ none) unless it is a lone '_' or has no letter, digit or '_'.

/// Word-break class of an ASCII byte.
enum ASCIIWordClass: UInt8 {
    case letter, digit, underscore, midNumberLetter, midNumber, other

    /// Class table for bytes 0…127.
    static let table: [ASCIIWordClass] = (0..<128).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "@"): .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): .digit
        case UInt8(ascii: "_"): .underscore
        case UInt8(ascii: "."), UInt8(ascii: "'"): .midNumberLetter
        case UInt8(ascii: ","), UInt8(ascii: ";"): .midNumber
        default: .other
        }
    }
}

/// True when every byte is < 0x80.
@inline(__always) func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var index = 0
    while index + 8 <= bytes.count {
        if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        index += 8
    }
    while index < bytes.count { if bytes[index] >= 0x80 { return false }; index += 1 }
    return true
}

/// Calls `word(start, end)` for every ICU word in ASCII `text` (byte offsets).
@inline(__always) func forEachASCIIWord(_ text: UnsafeBufferPointer<UInt8>, _ word: (Int, Int) -> Void) {
    let count = text.count
    ASCIIWordClass.table.withUnsafeBufferPointer { table in
        @inline(__always) func wordClass(_ index: Int) -> ASCIIWordClass { table[Int(text[index])] }
        var index = 0
        while index < count {
            let first = wordClass(index)
            guard first == .letter || first == .digit || first == .underscore else { index += 1; continue }
            let start = index
            var last = first
            index += 1
            while index < count {
                let next = wordClass(index)
                if next == .letter || next == .digit || next == .underscore {
                    last = next
                    index += 1
                } else if index + 1 < count,
                          (last == .letter && next == .midNumberLetter && wordClass(index + 1) == .letter)
                            || (last == .digit && (next == .midNumberLetter || next == .midNumber)
                                && wordClass(index + 1) == .digit) {
                    last = wordClass(index + 1)
                    index += 2
                } else {
                    break
                }
            }
            if index - start > 1 || first != .underscore { word(start, index) }
        }
    }
}
