#if canImport(Glibc)
import Glibc
#endif

/// CPU time, for the batch job's stage times and the benchmarks: on a shared, loaded machine steadier than wall time.
public enum CPUClock {
    /// CPU seconds used so far by the whole process (all threads).
    public static func process() -> Double { seconds(CLOCK_PROCESS_CPUTIME_ID) }

    /// CPU seconds used so far by the calling thread.
    public static func thread() -> Double { seconds(CLOCK_THREAD_CPUTIME_ID) }

    private static func seconds(_ clock: clockid_t) -> Double {
        var now = timespec()
        clock_gettime(clock, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
