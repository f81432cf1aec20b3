/// The catalogue's columns: `id,title,synopsis,image,start_date` are required; `members`, `score`,
/// `favorites`, `snapshot` (which data snapshot the counts come from) and `media_type` are optional;
/// other columns are ignored. Column names match case-insensitively, in any order.
public enum CatalogueColumn: String, CaseIterable, Sendable {
    case id, title, synopsis, image
    case startDate = "start_date"
    case members, score, favorites, snapshot
    case mediaType = "media_type"

    /// The columns every catalogue must have.
    public static let required: [CatalogueColumn] = [.id, .title, .synopsis, .image, .startDate]
}

/// Where each known column sits in a catalogue's header.
struct CatalogueSchema {
    /// Column → field index.
    let indices: [CatalogueColumn: Int]
    /// How many fields each row must have.
    let fieldCount: Int

    /// Reads a header row.
    /// - Throws: `CatalogueError.missingColumns` or `.duplicateColumn`.
    init(header: [String], file: String) throws {
        var indices: [CatalogueColumn: Int] = [:]
        for (index, name) in header.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let column = CatalogueColumn(rawValue: key) else { continue }
            if indices[column] != nil { throw CatalogueError.duplicateColumn(file: file, column: column.rawValue) }
            indices[column] = index
        }
        let missing = CatalogueColumn.required.filter { indices[$0] == nil }
        if !missing.isEmpty { throw CatalogueError.missingColumns(file: file, columns: missing.map(\.rawValue)) }
        self.indices = indices
        self.fieldCount = header.count
    }
}
