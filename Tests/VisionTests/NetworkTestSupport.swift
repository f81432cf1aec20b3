import Foundation
import Testing
@testable import Vision

/// Helpers shared by the network tests: fixture loading and the error measure the acceptance criteria use.
enum NetworkTestSupport {
    /// URL of a committed fixture file.
    static func fixture(_ name: String) throws -> URL {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        return try #require(Bundle.module.url(forResource: parts[0], withExtension: parts.count > 1 ? parts[1] : nil,
                                              subdirectory: "Fixtures"), "missing fixture \(name)")
    }

    /// A fixture's parsed JSON object.
    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: try fixture(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Floats of a JSON array.
    static func floats(_ value: Any?) -> [Float] {
        ((value as? [Any]) ?? []).compactMap { ($0 as? NSNumber)?.floatValue }
    }

    /// Max relative error: max |actual − expected| / max |expected| (0 when both are empty).
    static func relativeError(_ actual: [Float], _ expected: [Float]) -> Float {
        guard actual.count == expected.count, !expected.isEmpty else { return .infinity }
        var difference: Float = 0, scale: Float = 0
        for index in expected.indices {
            difference = max(difference, abs(actual[index] - expected[index]))
            scale = max(scale, abs(expected[index]))
        }
        return difference / max(scale, .leastNormalMagnitude)
    }

    /// ../shared/data/posters/anime-wall next to this worktree, when present (read at run time, never committed).
    static var posterDirectory: URL? {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/data/posters/anime-wall").standardized
        return FileManager.default.fileExists(atPath: directory.path) ? directory : nil
    }

    /// One ResNet-50 with synthetic weights (seed 5) for the tests that need any: building one takes seconds in a
    /// debug build. Tests run concurrently, so none calls this instance's `features` (its activation arena is
    /// one call's at a time): each runs its own `replica()`, which shares the weights.
    nonisolated(unsafe) static let sharedResNet50: Result<ResNet50, Error> = Result {
        try ResNet50(stateDict: SyntheticWeights.stateDict(ResNet50.expectedShapes(), seed: 5))
    }

    /// A replica of `sharedResNet50`, for one test's own use.
    static func resNet50() throws -> ResNet50 {
        try #require(try sharedResNet50.get().replica() as? ResNet50)
    }

    /// Whether the real EfficientNet-Lite0 weights are in the cache.
    static var hasRealWeights: Bool { FileManager.default.fileExists(atPath: WeightsCache.efficientNetLite0.path) }
}
