import Foundation

/// How a shipping method prices a parcel.
public enum ShippingRate: Sendable, Equatable, Codable {
    /// One price whatever the parcel weighs.
    case flat(priceMinor: Int)
    /// The first band whose `upToGrams` covers the parcel's weight; heavier parcels cannot use the method.
    case weight(bands: [WeightBand])
}

public struct WeightBand: Sendable, Equatable, Codable {
    public var upToGrams: Int
    public var priceMinor: Int

    public init(upToGrams: Int, priceMinor: Int) {
        self.upToGrams = upToGrams
        self.priceMinor = priceMinor
    }
}

/// One way to ship inside a zone ("Standard", "Express"), with its rate and an optional threshold
/// above which it is free.
public struct ShippingMethod: Sendable, Equatable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    public var rate: ShippingRate
    /// Free when the order's goods, after discounts, come to at least this much.
    public var freeAboveMinor: Int?

    public init(id: UUID, name: String, rate: ShippingRate, freeAboveMinor: Int? = nil) {
        self.id = id
        self.name = name
        self.rate = rate
        self.freeAboveMinor = freeAboveMinor
    }

    /// The price for a parcel of `grams` whose goods cost `goodsMinor`, or nil when the method
    /// does not take it (heavier than its last weight band).
    public func price(grams: Int, goodsMinor: Int) -> Int? {
        let base: Int
        switch rate {
        case .flat(let price): base = price
        case .weight(let bands):
            guard let band = bands.sorted(by: { $0.upToGrams < $1.upToGrams }).first(where: { grams <= $0.upToGrams }) else { return nil }
            base = band.priceMinor
        }
        if let freeAboveMinor, goodsMinor >= freeAboveMinor { return 0 }
        return base
    }
}

/// A set of countries the shop ships to and the methods offered there. A country belongs to at
/// most one zone of a shop, so an address always has one answer.
public struct ShippingZone: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var countries: [String]
    public var methods: [ShippingMethod]
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, name: String, countries: [String], methods: [ShippingMethod], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.countries = countries
        self.methods = methods
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A method the cart can use for an address, priced (`GET /cart/shipping-methods`, the quote).
public struct ShippingOption: Sendable, Equatable, Codable {
    public var methodID: UUID
    public var name: String
    public var priceMinor: Int

    public init(methodID: UUID, name: String, priceMinor: Int) {
        self.methodID = methodID
        self.name = name
        self.priceMinor = priceMinor
    }
}

extension Array where Element == ShippingZone {
    /// The priced methods of the zone holding `country`, cheapest first; empty when the shop does not ship there.
    public func options(country: String, grams: Int, goodsMinor: Int) -> [ShippingOption] {
        guard let zone = first(where: { $0.countries.contains(country) }) else { return [] }
        return zone.methods.compactMap { method in
            method.price(grams: grams, goodsMinor: goodsMinor).map { ShippingOption(methodID: method.id, name: method.name, priceMinor: $0) }
        }.sorted { ($0.priceMinor, $0.name) < ($1.priceMinor, $1.name) }
    }
}
