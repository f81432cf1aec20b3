import Foundation

/// Removes the credits MyAnimeList appends to synopses — "[Written by MAL Rewrite]", "(Source: ANN, edited)" —
/// and trims surrounding white space; the text itself is kept as written.
public enum SynopsisCleaner {
    /// Openings of a trailing bracketed credit, compared case-insensitively.
    static let creditOpenings = ["written by", "source:", "sources:", "source :", "from "]

    /// The synopsis without trailing credits (several stacked credits are all removed).
    public static func clean(_ synopsis: String) -> String {
        var text = synopsis.trimmingCharacters(in: .whitespacesAndNewlines)
        while let stripped = strippingTrailingCredit(text) { text = stripped }
        return text
    }

    /// The text without its last bracketed credit, or nil when it does not end with one.
    static func strippingTrailingCredit(_ text: String) -> String? {
        guard let last = text.last, last == "]" || last == ")" else { return nil }
        let opening: Character = last == "]" ? "[" : "("
        guard let start = text.lastIndex(of: opening) else { return nil }
        let inside = text[text.index(after: start)..<text.index(before: text.endIndex)]
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard creditOpenings.contains(where: { inside.hasPrefix($0) }) else { return nil }
        return String(text[..<start]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// True when the text looks cut off ("…" or "..." at the end).
    public static func looksTruncated(_ synopsis: String) -> Bool {
        synopsis.hasSuffix("...") || synopsis.hasSuffix("…")
    }
}
