import Foundation

/// A shop's tax rate for a country, or for one region of it. The rate is in parts per million
/// (19 % = 190,000; 8.875 % = 88,750) so it stays an exact integer like the money it applies to.
public struct TaxRate: Sendable, Equatable, Identifiable {
    public static let ppmRange = 0...1_000_000

    public var id: UUID
    public var country: String
    /// nil: the whole country, unless a rate for the address's region exists.
    public var region: String?
    public var name: String
    public var ratePPM: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, country: String, region: String?, name: String, ratePPM: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.country = country
        self.region = region
        self.name = name
        self.ratePPM = ratePPM
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension Array where Element == TaxRate {
    /// The rate for a destination: its region's rate if the shop set one, else the country's, else none.
    public func rate(country: String, region: String?) -> TaxRate? {
        if let region = region?.uppercased(), let regional = first(where: { $0.country == country && $0.region?.uppercased() == region }) {
            return regional
        }
        return first { $0.country == country && $0.region == nil }
    }
}
