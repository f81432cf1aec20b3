import Foundation

/// This machine's level-1 data cache in bytes, per core, as Linux reports it (`/sys/devices/system/cpu/cpu0/cache`);
/// nil where that cannot be read. The GEMM's blocking asks whether a 32 KiB slab of B stays in L1 (`slabStaysInL1`).
let levelOneDataCacheBytes: Int? = {
    for index in 0..<8 {
        let directory = "/sys/devices/system/cpu/cpu0/cache/index\(index)/"
        func field(_ name: String) -> String? {
            (try? String(contentsOfFile: directory + name, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let level = field("level") else { return nil }
        guard level == "1", field("type") == "Data", let size = field("size") else { continue }
        return cacheBytes(size)
    }
    return nil
}()

/// Bytes in a sysfs cache size ("32K", "1024K", "2M"), nil when it is not one.
func cacheBytes(_ text: String) -> Int? {
    let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
    guard let last = text.last else { return nil }
    if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit } }
    return Int(text)
}

/// Whether a 128×64 slab of B (32 KiB, `ReductionBlock.defaultDepth` on a 64-column panel) stays in L1 next to a tile's
/// A rows: with an L1 of at least 48 KiB (Intel since Ice Lake), not with 32 KiB (AMD Zen 4). Unknown: assumed to.
let slabStaysInL1 = (levelOneDataCacheBytes ?? 48 << 10) >= 48 << 10
