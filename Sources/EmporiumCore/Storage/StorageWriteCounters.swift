import Synchronization

/// What the shops' writers put on disk: their commits and the pages those wrote (SQLite's own
/// count, `SQLITE_DBSTATUS_CACHE_WRITE`). Over `orders_created_total` it is the write cost of an
/// order, which bounds checkout under `synchronous=FULL`; over the commits it shows how many writes
/// group commit folds into one. Process-wide and summed over every shop (two series whatever their
/// number), read when `/metrics` is scraped.
public enum StorageWriteCounters {
    private static let commits = Atomic<Int64>(0)
    private static let pages = Atomic<Int64>(0)

    /// Called by a shop's writer after each commit with the pages that commit wrote.
    public static func committed(pagesWritten: Int64) {
        commits.add(1, ordering: .relaxed)
        if pagesWritten > 0 { pages.add(pagesWritten, ordering: .relaxed) }
    }

    public static func totals() -> (commits: Int64, pagesWritten: Int64) {
        (commits.load(ordering: .relaxed), pages.load(ordering: .relaxed))
    }
}
