import Foundation
import GRDB

/// Codable values kept in one TEXT column as JSON (an address, a zone's methods, what checkout
/// froze on an order). A column that does not decode is reported as a damaged row, never trapped on.
enum JSONColumn {
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func value<T: Decodable>(_ type: T.Type, _ text: String, table: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed JSON in \(table)")
        }
    }
}
