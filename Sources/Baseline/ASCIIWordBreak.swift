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
    ASCIIWordClass.table.withUnsafeBufferPointer { table in
        forEachWordSegment(count: text.count, classAt: { table[Int(text[$0])] }, word)
    }
}

/// The UAX #29 rules of the file header over `count` characters whose classes `classAt` gives;
/// calls `word(first, end)` with character indices.
@inline(__always) func forEachWordSegment(count: Int, classAt wordClass: (Int) -> ASCIIWordClass, _ word: (Int, Int) -> Void) {
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

/// Word class and lower-case form of the non-ASCII characters the fast path knows (those frequent in
/// synopses): Latin-1 and macron letters, curly quotes, dashes, ellipsis, stars, no-break space. Each is its
/// own NFKC form (… and no-break space are not, but they never touch a word either way), its lower-case
/// has the same UTF-8 length, and none combines with a neighbour. Anything else sends the document to ICU.
@inline(__always) func simpleCharacter(_ scalar: UInt32) -> (wordClass: ASCIIWordClass, lowercase: UInt32)? {
    switch scalar {
    case 0xC0...0xD6, 0xD8...0xDE: (.letter, scalar + 0x20)
    case 0xDF...0xF6, 0xF8...0xFF: (.letter, scalar)
    case 0x100, 0x112, 0x12A, 0x14C, 0x16A: (.letter, scalar + 1)
    case 0x101, 0x113, 0x12B, 0x14D, 0x16B: (.letter, scalar)
    case 0x2018, 0x2019: (.midNumberLetter, scalar)
    case 0xA0, 0xB0, 0xD7, 0xF7, 0x2013, 0x2014, 0x2015, 0x201C, 0x201D, 0x2026, 0x2605, 0x2606: (.other, scalar)
    default: nil
    }
}
