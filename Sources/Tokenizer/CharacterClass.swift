/// The four classes GPT-2's split pattern distinguishes: `\p{L}`, `\p{N}`, `\s` and everything else.
///
/// Letters are general category L* (Lu Ll Lt Lm Lo), numbers N* (Nd Nl No), whitespace the Unicode
/// White_Space property (what `\s` means in the Rust `regex`, Oniguruma and `regex` engines the references
/// use). Marks (Mn, Mc, Me) are "other", so combining accents form runs with punctuation, as in GPT-2.
///
/// Unicode version: pinned to 16.0, the tables of HF `tokenizers` 0.23 (Oniguruma). The Swift stdlib
/// knows Unicode 17.0; the 4,657 scalars assigned in 17.0 are treated as unassigned ("other"), so every
/// scalar splits exactly as in the reference (checked over all 1,112,064 scalars by a test).
enum CharacterClass: UInt8 {
    case other = 0, letter = 1, number = 2, whitespace = 3

    /// The newest Unicode version whose assignments count (see above).
    static let unicodeVersion = (major: 16, minor: 0)

    /// Class of every scalar in the Basic Multilingual Plane (ASCII first), built once: 65,536 bytes.
    static let basicPlane: [UInt8] = (0..<0x10000).map { classify(UInt32($0)).rawValue }

    /// Reads the class from the stdlib's Unicode properties (slow; the table caches the BMP).
    static func classify(_ value: UInt32) -> CharacterClass {
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        guard let age = properties.age, (age.major, age.minor) <= unicodeVersion else { return .other }
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
