import Foundation

/// Relative paths between folders, so a catalogue can point at images next to it or elsewhere.
enum RelativePath {
    /// The path of `file` as seen from `directory` (e.g. `../shared/data/posters/x/1.jpg`).
    static func of(_ file: URL, from directory: URL) -> String {
        let fileParts = file.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let directoryParts = directory.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < min(fileParts.count, directoryParts.count), fileParts[common] == directoryParts[common] { common += 1 }
        let ups = Array(repeating: "..", count: directoryParts.count - common)
        return (ups + fileParts[common...]).joined(separator: "/")
    }
}
