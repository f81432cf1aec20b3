import Foundation

extension BLAS {
    /// Runs `body` with OpenBLAS at one thread, for callers that split work over the cores themselves.
    ///
    /// Scopes may overlap, on any threads: the count is 1 while any scope is open and goes back to what it was
    /// when the last one closes. (Each scope saving and restoring the count itself could leave it at 1 for good:
    /// one scope saves 2, a second saves the first's 1, the first restores 2, the second restores 1.)
    public static func withOneThread<Result>(_ body: () throws -> Result) rethrows -> Result {
        OneThreadScopes.shared.enter()
        defer { OneThreadScopes.shared.exit() }
        return try body()
    }

    /// The thread count outside `withOneThread` scopes: the current one, or the one the last open scope restores.
    public static var configuredThreadCount: Int { OneThreadScopes.shared.configured }
}

/// The open `BLAS.withOneThread` scopes, process-wide, and the count they restore.
private final class OneThreadScopes: @unchecked Sendable {
    static let shared = OneThreadScopes()
    private let lock = NSLock()
    private var open = 0
    private var saved = 1

    func enter() {
        lock.lock()
        defer { lock.unlock() }
        if open == 0 {
            saved = BLAS.threadCount
            BLAS.threadCount = 1
        }
        open += 1
    }

    func exit() {
        lock.lock()
        defer { lock.unlock() }
        open -= 1
        if open == 0 { BLAS.threadCount = saved }
    }

    var configured: Int {
        lock.lock()
        defer { lock.unlock() }
        return open == 0 ? BLAS.threadCount : saved
    }
}
