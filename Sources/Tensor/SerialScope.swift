#if canImport(Glibc)
import Glibc
#endif

/// A per-thread "stay on this thread" flag for callers that already run one worker per core (batch scoring):
/// inside `SerialScope.run`, the modules' own parallel loops (TextModel's row loops, the Vision conv engine)
/// run on the calling thread instead of splitting again. Other threads are unaffected.
public enum SerialScope {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the calling thread is inside `run`.
    public static var isActive: Bool { pthread_getspecific(key) != nil }

    /// Runs `body` with the flag set on the calling thread (nests; restored afterwards).
    public static func run<Result>(_ body: () throws -> Result) rethrows -> Result {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(key, previous) }
        return try body()
    }
}
