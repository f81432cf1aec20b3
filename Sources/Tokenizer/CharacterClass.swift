/// The four classes GPT-2's split pattern distinguishes: `\p{L}`, `\p{N}`, `\s` and everything else.
///
/// Letters are general category L* (Lu Ll Lt Lm Lo), numbers N* (Nd Nl No), whitespace the Unicode
/// White_Space property (what `\s` means in the Rust `regex`, Oniguruma and `regex` engines the references
/// use). Marks (Mn, Mc, Me) are "other", so combining accents form runs with punctuation, as in GPT-2.
enum CharacterClass: UInt8 {
    case other = 0, letter = 1, number = 2, whitespace = 3

    /// Class of every scalar in the Basic Multilingual Plane (ASCII first), built once: 65,536 bytes.
    static let basicPlane: [UInt8] = (0..<0x10000).map { classify(UInt32($0)).rawValue }

    /// Reads the class from the stdlib's Unicode properties (slow; the table caches the BMP).
    static func classify(_ value: UInt32) -> CharacterClass {
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }
}
