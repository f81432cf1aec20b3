import Foundation

/// Key visuals found under `posters/<set>/<mal_id>.jpg`; when an id is in several sets the image with
/// the most pixels is chosen (ties: the larger file, then the set name).
public struct PosterIndex: Sendable {
    /// The chosen poster per id.
    public let posters: [Int: URL]
    /// How many poster files were seen, in all sets.
    public let filesSeen: Int
    /// Files that are not `<integer>.jpg` or whose JPEG header cannot be read.
    public let skippedFiles: [String]

    /// Scans a posters folder (missing folder: no posters).
    public init(directory: URL) {
        let fileManager = FileManager.default
        var best: [Int: (pixels: Int, bytes: Int, url: URL)] = [:]
        var seen = 0
        var skipped: [String] = []
        let sets = ((try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        for set in sets {
            let folder = directory.appendingPathComponent(set)
            guard let names = try? fileManager.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names.sorted() {
                let url = folder.appendingPathComponent(name)
                let lower = name.lowercased()
                guard lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") else { continue }
                seen += 1
                let stem = name.prefix { $0 != "." }
                guard let id = Int(stem), let size = JPEGSize.of(url) else {
                    skipped.append("\(set)/\(name)")
                    continue
                }
                let bytes = (try? fileManager.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                let candidate = (pixels: size.width * size.height, bytes: bytes, url: url)
                if let current = best[id], (current.pixels, current.bytes) >= (candidate.pixels, candidate.bytes) { continue }
                best[id] = candidate
            }
        }
        self.posters = best.mapValues(\.url)
        self.filesSeen = seen
        self.skippedFiles = skipped
    }
}
