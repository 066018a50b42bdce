import Foundation
import GRDB

/// What every table's record shares, declared once: ids are stored as lowercase text, dates as
/// GRDB's UTC text to the millisecond (made without a `DateFormatter`, `Date.sqlText`), and
/// Codable values kept in one column (an address, a zone's methods, a JSON object) as JSON with
/// sorted keys. A column that does not decode fails the read with GRDB's decoding error: a
/// damaged id never becomes a made-up one.
///
/// Each record names its columns in its `CodingKeys` (snake_case in SQL, camelCase in Swift) and
/// maps to and from the core's domain type, which stays free of GRDB.
protocol StoredRecord: Codable, FetchableRecord, PersistableRecord, Sendable {}

extension StoredRecord {
    static func databaseUUIDEncodingStrategy(for column: String) -> DatabaseUUIDEncodingStrategy { .lowercaseString }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .custom { $0.sqlText } }

    static func databaseJSONEncoder(for column: String) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func databaseJSONDecoder(for column: String) -> JSONDecoder { JSONDecoder() }
}

extension UUID {
    /// An id kept as text inside a JSON column, which the record's own coding does not check:
    /// one that does not parse is a damaged row, reported, never replaced.
    init(stored text: String, in table: String) throws {
        guard let id = UUID(uuidString: text) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed id in \(table): \(text)")
        }
        self = id
    }
}

extension FetchableRecord {
    /// The records of a hot path's statement, kept prepared (`Database.cachedStatement`). A query
    /// interface request is generated, prepared and authorized anew each time it runs: on the
    /// checkout path that cost more than half the orders per second (docs/performance.md,
    /// "Records"), so the statements every order runs are written as SQL once and reused.
    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = []) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = []) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
