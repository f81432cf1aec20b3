import Foundation

/// One anime title: what the model reads (synopsis, key visual) and, for training, what was observed.
public struct Title: Sendable, Equatable {
    /// The MyAnimeList id (or the catalogue's own id).
    public var id: Int
    /// The title's name.
    public var title: String
    /// The synopsis, with credits such as "[Written by MAL Rewrite]" removed.
    public var synopsis: String
    /// The key visual's path as written in the catalogue (relative to the catalogue's folder), if any.
    public var imagePath: String?
    /// When the title started airing.
    public var startDate: StartDate
    /// MyAnimeList members (users who listed the title) at the snapshot, if known.
    public var members: Int?
    /// The MyAnimeList score (1–10), if known.
    public var score: Double?
    /// Users who marked the title a favorite, if known.
    public var favorites: Int?
    /// Which snapshot the members, score and favorites come from (counts from different snapshots are not comparable).
    public var snapshot: String?
    /// The media type (TV, Movie, OVA, …), if known.
    public var mediaType: String?

    /// Makes a title; everything observed is optional.
    public init(id: Int, title: String, synopsis: String, imagePath: String? = nil, startDate: StartDate,
                members: Int? = nil, score: Double? = nil, favorites: Int? = nil,
                snapshot: String? = nil, mediaType: String? = nil) {
        self.id = id
        self.title = title
        self.synopsis = synopsis
        self.imagePath = imagePath
        self.startDate = startDate
        self.members = members
        self.score = score
        self.favorites = favorites
        self.snapshot = snapshot
        self.mediaType = mediaType
    }
}

/// A start date with the precision the source gave: a year, a year and month, or a full date.
public struct StartDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2023.
    public var year: Int
    /// The month 1–12, if known.
    public var month: Int?
    /// The day 1–31, if known (only with a month).
    public var day: Int?

    /// The years a start date may have; anything else (e.g. 3057) is a parse error in a source.
    public static let validYears = 1900...2035

    /// Makes a date; returns nil when a part is out of range.
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard StartDate.validYears.contains(year) else { return nil }
        if let month, !(1...12).contains(month) { return nil }
        if let day {
            guard month != nil, (1...31).contains(day) else { return nil }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or the same with `/` (as in `1998/4/3`); an ISO timestamp's
    /// date part (`2006-10-06T00:00:00+00:00`) is accepted too. Returns nil otherwise.
    public init?(parsing text: String) {
        var datePart = Substring(text.trimmingCharacters(in: .whitespaces))
        if let timeStart = datePart.firstIndex(of: "T") { datePart = datePart[..<timeStart] }
        let separator: Character = datePart.contains("/") ? "/" : "-"
        let parts = datePart.split(separator: separator, omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts[0].count == 4, let year = Int(parts[0]) else { return nil }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        let day = parts.count > 2 ? Int(parts[2]) : nil
        self.init(year: year, month: month, day: day)
    }

    /// The ISO form with the known precision: `2023`, `2023-04` or `2023-04-05`.
    public var description: String {
        var text = String(format: "%04d", year)
        if let month { text += String(format: "-%02d", month) }
        if let day { text += String(format: "-%02d", day) }
        return text
    }

    /// Orders by year, then month, then day; an unknown part sorts first.
    public static func < (left: StartDate, right: StartDate) -> Bool {
        (left.year, left.month ?? 0, left.day ?? 0) < (right.year, right.month ?? 0, right.day ?? 0)
    }

    /// How many parts are known (1 year, 2 month, 3 day).
    public var precision: Int { day != nil ? 3 : (month != nil ? 2 : 1) }
}
