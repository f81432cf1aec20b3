import Foundation

/// What the model predicts.
public enum TargetKind: String, CaseIterable, Sendable {
    /// Percentile of log(1 + members) among titles of the same start year and snapshot (the default).
    case popularity
    /// MyAnimeList score, min–max normalized with the training set's bounds (the seed paper's target).
    case score
    /// Favorites per member, an optional second output.
    case favorites
}

/// Computes target values for titles; nil where a title lacks what its target needs.
public enum Targets {
    /// Within-cohort popularity: for each (snapshot, start year) group, the midpoint percentile
    /// ((average rank − 0.5) / n, ties averaged) of log(1 + members). Members from different snapshots are
    /// never ranked together. Titles without members get nil and do not count in their cohort.
    public static func popularity(_ titles: [Title]) -> [Double?] {
        var cohorts: [String: [Int]] = [:]
        for (index, title) in titles.enumerated() where title.members != nil {
            cohorts["\(title.snapshot ?? "")|\(title.startDate.year)", default: []].append(index)
        }
        var result = [Double?](repeating: nil, count: titles.count)
        for members in cohorts.values {
            let values = members.map { log1p(Double(titles[$0].members ?? 0)) }
            for (index, percentile) in zip(members, Ranking.midpointPercentiles(values)) { result[index] = percentile }
        }
        return result
    }

    /// Favorites per member (0 when members is 0); nil without both counts.
    public static func favoritesPerMember(_ titles: [Title]) -> [Double?] {
        titles.map { title in
            guard let favorites = title.favorites, let members = title.members else { return nil }
            return members > 0 ? Double(favorites) / Double(members) : 0
        }
    }

    /// Raw scores; normalize them with a `MinMaxScaler` fitted on the training rows.
    public static func rawScore(_ titles: [Title]) -> [Double?] { titles.map(\.score) }

    /// The target values for `kind`; for `.score` the min–max bounds come from the rows in `trainingRows`
    /// (values outside the bounds in other rows are left outside [0, 1], not clipped).
    public static func values(_ kind: TargetKind, titles: [Title], trainingRows: [Int]) -> [Double?] {
        switch kind {
        case .popularity: return popularity(titles)
        case .favorites: return favoritesPerMember(titles)
        case .score:
            let raw = rawScore(titles)
            let scaler = MinMaxScaler(fitting: trainingRows.compactMap { raw[$0] })
            return raw.map { $0.map(scaler.transform) }
        }
    }
}

/// x ↦ (x − min) / (max − min), with the bounds of the values it was fitted on.
public struct MinMaxScaler: Sendable, Equatable {
    /// The smallest fitted value.
    public let minimum: Double
    /// The largest fitted value.
    public let maximum: Double

    /// Fits on values (no values: bounds 0…1; equal values: the width is taken as 1).
    public init(fitting values: [Double]) {
        minimum = values.min() ?? 0
        maximum = values.max() ?? 1
    }

    /// The scaled value.
    public func transform(_ value: Double) -> Double {
        let width = maximum - minimum
        return (value - minimum) / (width > 0 ? width : 1)
    }
}
