import Foundation
import Vision

/// Poster → 32×32×3 floats in [0, 1] (HWC, RGB) for the raw-pixel baselines: the whole poster is resized
/// (aspect not kept: covers are all about 2:3, so the squeeze is the same for every title).
public enum PosterPixels {
    /// The side of the pixel grid.
    public static let side = 32

    /// The pixel vector of one poster (side × side × 3).
    /// - Throws: `ImageError` when the file cannot be decoded.
    public static func vector(contentsOf url: URL) throws -> [Float] {
        let image = try JPEGDecoder.decode(contentsOf: url, maxPixels: 40_000_000, minimumSide: side)
        let small = image.resized(width: side, height: side)
        return small.pixels.map { Float($0) / 255 }
    }

    /// Vectors for many posters (nil where a file is absent or fails), with the failures' messages.
    public static func vectors(for urls: [URL?]) -> (vectors: [[Float]?], failures: [String]) {
        var failures: [String] = []
        let vectors: [[Float]?] = urls.map { url in
            guard let url else { return nil }
            do { return try vector(contentsOf: url) } catch {
                failures.append(error.localizedDescription)
                return nil
            }
        }
        return (vectors, failures)
    }
}
