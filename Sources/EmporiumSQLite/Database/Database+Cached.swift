import GRDB

extension Database {
    /// Executes a statement kept prepared on this connection. For the statements every order runs
    /// (reservation, order rows, audit entry): preparing costs SQLite's parser and GRDB's
    /// authorizer on each call, several percent of a checkout's CPU.
    func executeCached(sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
