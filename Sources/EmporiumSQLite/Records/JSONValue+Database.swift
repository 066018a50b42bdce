import EmporiumCore
import GRDB

/// A JSON column read into the core's `JSONValue` and written as its canonical text (the
/// core's one JSON writer), whatever the value's kind: a bare string or `null` stays JSON text,
/// as the tables' `json_valid` checks want.
extension JSONValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        // Only a non-finite number fails to print, and parsed JSON holds none: such a value
        // is refused by the column's NOT NULL or json_valid check rather than stored.
        (try? jsonText())?.databaseValue ?? .null
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> JSONValue? {
        String.fromDatabaseValue(dbValue).flatMap { try? JSONValue.parse($0) }
    }
}
