import Foundation

/// Summary counts of a catalogue: titles per start year, with and without image, per snapshot, and the
/// distribution of each target.
public struct CatalogueStatistics: Sendable {
    /// Per start year: (titles, with image, with members).
    public var perYear: [(year: Int, titles: Int, withImage: Int, withMembers: Int)] = []
    /// Titles per snapshot name ("" when unnamed).
    public var perSnapshot: [(snapshot: String, titles: Int)] = []
    /// Per target: (titles with a value, min, 10th, 50th, 90th percentile, max).
    public var targets: [(target: TargetKind, count: Int, quantiles: [Double])] = []
    /// Titles in all.
    public var titles = 0
    /// Titles with an image path.
    public var withImage = 0

    /// The quantiles reported per target.
    public static let quantileLevels: [Double] = [0, 0.1, 0.5, 0.9, 1]

    /// Counts over the titles (score is normalized over all titles here, for the summary only).
    public init(titles: [Title]) {
        self.titles = titles.count
        withImage = titles.filter { $0.imagePath != nil }.count
        let byYear = Dictionary(grouping: titles, by: \.startDate.year)
        perYear = byYear.keys.sorted().map { year in
            let group = byYear[year] ?? []
            return (year, group.count, group.filter { $0.imagePath != nil }.count, group.filter { $0.members != nil }.count)
        }
        let bySnapshot = Dictionary(grouping: titles) { $0.snapshot ?? "" }
        perSnapshot = bySnapshot.keys.sorted().map { ($0, bySnapshot[$0]?.count ?? 0) }
        for kind in TargetKind.allCases {
            let values = Targets.values(kind, titles: titles, trainingRows: Array(titles.indices)).compactMap { $0 }.sorted()
            targets.append((kind, values.count, CatalogueStatistics.quantileLevels.map { Bootstrap.quantile(values, $0) }))
        }
    }
}
