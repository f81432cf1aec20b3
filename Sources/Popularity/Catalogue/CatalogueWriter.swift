import Foundation

/// Writes titles as a catalogue CSV with every known column, in `CatalogueColumn` order.
public enum CatalogueWriter {
    /// The header written.
    public static let header = CatalogueColumn.allCases.map(\.rawValue)

    /// The fields of one title, in header order.
    public static func fields(of title: Title) -> [String] {
        [String(title.id), title.title, title.synopsis, title.imagePath ?? "", title.startDate.description,
         title.members.map(String.init) ?? "", title.score.map { "\($0)" } ?? "",
         title.favorites.map(String.init) ?? "", title.snapshot ?? "", title.mediaType ?? ""]
    }

    /// Writes a catalogue file (LF line endings unless `useCRLF`).
    /// - Throws: the file system's error.
    public static func write(_ titles: [Title], to url: URL, useCRLF: Bool = false) throws {
        let writer = try CSVWriter(url: url, useCRLF: useCRLF)
        try writer.write(header)
        for title in titles { try writer.write(fields(of: title)) }
        try writer.close()
    }
}
