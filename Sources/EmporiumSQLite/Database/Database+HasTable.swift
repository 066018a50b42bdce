import GRDB

extension Database {
    /// Whether `name` is a table of the main schema, asked of `sqlite_master` directly. GRDB's
    /// `tableExists` first loads every schema object of the connection into a cache: opening a
    /// cold shop asked it twice (migrations recorded? identity?), 3.4 % of the server's CPU under a
    /// load over 10,000 shops in random order, for a cache the connection rarely used again.
    func hasTable(_ name: String) throws -> Bool {
        try Bool.fetchOne(self, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)",
                          arguments: [name]) ?? false
    }
}
