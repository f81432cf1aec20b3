import GRDB

/// Facts about the SQLite library the store runs on.
public enum SQLiteInfo {
    /// SQLite's version string, e.g. "3.40.1".
    public static var version: String {
        (try? DatabaseQueue().read { try String.fetchOne($0, sql: "SELECT sqlite_version()") } ?? nil) ?? "unknown"
    }
}
