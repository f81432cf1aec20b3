import ArgumentParser
import Foundation
import Popularity

/// Where a command's titles come from: a catalogue CSV (`--data`) or a data folder imported on the fly (`--from`).
struct CatalogueSource {
    var data: String?
    var from: String?
    var snapshot: String?

    /// Loads the titles, reporting skipped rows on standard error; filters to one snapshot when asked.
    func load() throws -> Catalogue {
        var catalogue: Catalogue
        if let data {
            catalogue = try Catalogue.load(from: URL(fileURLWithPath: data))
            if let first = catalogue.issues.first {
                FileHandle.standardError.write(Data("skipped \(catalogue.issues.count) bad rows, first: \(first)\n".utf8))
            }
        } else {
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            let root = URL(fileURLWithPath: from ?? "../shared/data", isDirectory: true)
            let imported = try DatasetImporter.importData(from: root, catalogueDirectory: here)
            catalogue = Catalogue(titles: imported.titles, baseDirectory: here)
        }
        if let snapshot {
            catalogue.titles = catalogue.titles.filter { $0.snapshot == snapshot }
            guard !catalogue.titles.isEmpty else { throw ValidationError("no title has snapshot \(snapshot)") }
        }
        return catalogue
    }
}
