import CSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Process-level setup shared by the executables: picks the fast OpenBLAS kernel before any work.
public enum ProcessSetup {
    /// Re-launches the current executable with `OPENBLAS_CORETYPE` set when OpenBLAS chose a slow
    /// fallback kernel on a CPU that has AVX-512 or AVX2 (see `BLAS.preferredCoreType`).
    /// Returns normally when nothing needs to change or the re-launch is impossible.
    public static func selectFastBLASKernel() {
        #if os(Linux)
        let flags = cpuFlags()
        guard let coreType = BLAS.preferredCoreType(cpuFlags: flags, environment: ProcessInfo.processInfo.environment)
        else { return }
        setenv("OPENBLAS_CORETYPE", coreType, 1)
        let arguments = CommandLine.arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        cArguments.append(nil)
        execv("/proc/self/exe", &cArguments)
        // execv returned: it failed; carry on with the slow kernel rather than stop.
        for pointer in cArguments { free(pointer) }
        #endif
    }

    /// Keeps freed memory in the process instead of handing it back to the kernel after every large free.
    ///
    /// Each image decode allocates a few hundred KB and frees it moments later; with glibc's defaults the heap
    /// top is trimmed and regrown (or the block mapped and unmapped) each time, and the page faults of the
    /// regrowth cost about a quarter of decoding + preprocessing a poster: 1.62 → 1.22 ms per image
    /// (`animepop-bench decode ../shared/data/posters/anime-wall --limit 400`, same run). Blocks up to 32 MiB now
    /// come from the heap, and up to 256 MiB of free heap top is kept for reuse.
    public static func keepFreedMemory() {
        animepop_malloc_thresholds(32 << 20, 256 << 20)
    }

    /// The CPU feature flags of the first processor in /proc/cpuinfo.
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
