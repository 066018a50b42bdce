import EmporiumCore
import Foundation
import Hummingbird
import HummingbirdCore

/// The query parameters every list route shares, parsed one way: paging, and enum filters that
/// answer 400 `VALIDATION_FAILED` naming the parameter when the value is unknown.
extension FlatDictionary where Key == Substring, Value == Substring {
    func page() throws -> Page {
        try Page.parse(page: self["page"].map(String.init), limit: self["limit"].map(String.init))
    }

    func option<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ name: String) throws -> T? where T.RawValue == String {
        guard let raw = self[Substring(name)] else { return nil }
        guard let value = T(rawValue: String(raw)) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw DomainError.badRequest("Invalid query parameters", details: [.init(field: name, message: "must be one of \(allowed)")])
        }
        return value
    }
}
