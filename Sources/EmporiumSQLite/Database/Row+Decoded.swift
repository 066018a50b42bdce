import GRDB

extension Row {
    /// Every row of a query, decoded while SQLite steps through it. `Row.fetchAll` copies each row
    /// first, and a copied row finds a column by name by lowercasing every column name of the row:
    /// ~500 lowercased strings for one product row, a few percent of a listing's CPU. A row read
    /// in place looks its columns up in a table made once per query.
    static func decodedAll<T>(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments(),
                              _ decode: (Row) throws -> T) throws -> [T] {
        try decodedAll(db.makeStatement(sql: sql), arguments: arguments, decode)
    }

    /// The same for a statement kept prepared (`Database.cachedStatement`).
    static func decodedAll<T>(_ statement: Statement, arguments: StatementArguments, _ decode: (Row) throws -> T) throws -> [T] {
        var decoded: [T] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            decoded.append(try decode(row))
        }
        return decoded
    }
}
