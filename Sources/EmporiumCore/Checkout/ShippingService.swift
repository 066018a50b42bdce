import Foundation

/// `PUT /shipping-zones/{id}` and `POST /shipping-zones` as sent: amounts in the shop's currency.
public struct ShippingZoneInput: Sendable, Decodable {
    public struct Band: Sendable, Decodable {
        public var upToGrams: Int
        public var price: Decimal
    }

    public struct Method: Sendable, Decodable {
        /// Keeps a method's id across edits (orders and open checkouts refer to it).
        public var id: String?
        public var name: String
        /// `flat` (with `price`) or `weight` (with `bands`).
        public var type: String
        public var price: Decimal?
        public var bands: [Band]?
        public var freeAbove: Decimal?

        public init(id: String?, name: String, type: String, price: Decimal?, bands: [Band]?, freeAbove: Decimal?) {
            (self.id, self.name, self.type, self.price, self.bands, self.freeAbove) = (id, name, type, price, bands, freeAbove)
        }
    }

    public var name: String
    public var countries: [String]
    public var methods: [Method]

    public init(name: String, countries: [String], methods: [Method]) {
        (self.name, self.countries, self.methods) = (name, countries, methods)
    }

    public static let maximumCountries = 249
    public static let maximumMethods = 20
    public static let maximumBands = 20

    /// Every failing field at once (422).
    func validated(exponent: Int) throws -> (name: String, countries: [String], methods: [ShippingMethod]) {
        var issues: [FieldIssue] = []
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(name.count) { issues.append(FieldIssue(field: "name", message: "must be 1 to 100 characters")) }
        var countries: [String] = []
        if !(1...Self.maximumCountries).contains(self.countries.count) {
            issues.append(FieldIssue(field: "countries", message: "must list 1 to \(Self.maximumCountries) countries"))
        }
        for (index, raw) in self.countries.prefix(Self.maximumCountries).enumerated() {
            guard let code = CountryCodes.normalized(raw) else {
                issues.append(FieldIssue(field: "countries[\(index)]", message: "must be an ISO 3166-1 alpha-2 country code"))
                continue
            }
            if !countries.contains(code) { countries.append(code) }
        }
        if !(1...Self.maximumMethods).contains(self.methods.count) {
            issues.append(FieldIssue(field: "methods", message: "must have 1 to \(Self.maximumMethods) shipping methods"))
        }
        var methods: [ShippingMethod] = []
        for (index, method) in self.methods.prefix(Self.maximumMethods).enumerated() {
            let field = "methods[\(index)]"
            func money(_ value: Decimal?, _ name: String) -> Int? {
                guard let value else { return nil }
                do { return try Money.minorUnits(value, field: "\(field).\(name)", exponent: exponent) } catch DomainError.validation(let found) {
                    issues += found
                } catch { issues.append(FieldIssue(field: "\(field).\(name)", message: "is not an amount")) }
                return nil
            }
            let methodName = method.name.trimmingCharacters(in: .whitespacesAndNewlines)
            if !(1...100).contains(methodName.count) { issues.append(FieldIssue(field: "\(field).name", message: "must be 1 to 100 characters")) }
            let id: UUID
            if let raw = method.id {
                guard let parsed = UUID(uuidString: raw) else { issues.append(FieldIssue(field: "\(field).id", message: "must be a UUID")); continue }
                id = parsed
            } else {
                id = UUID()
            }
            let rate: ShippingRate
            switch method.type {
            case "flat":
                guard method.price != nil else { issues.append(FieldIssue(field: "\(field).price", message: "is required for a flat rate")); continue }
                guard let price = money(method.price, "price") else { continue }
                rate = .flat(priceMinor: price)
            case "weight":
                let bands = method.bands ?? []
                guard (1...Self.maximumBands).contains(bands.count) else {
                    issues.append(FieldIssue(field: "\(field).bands", message: "must have 1 to \(Self.maximumBands) weight bands"))
                    continue
                }
                var valid: [WeightBand] = []
                for (position, band) in bands.enumerated() {
                    guard (1...ProductFields.maximumStock).contains(band.upToGrams) else {
                        issues.append(FieldIssue(field: "\(field).bands[\(position)].upToGrams", message: "must be from 1 to \(ProductFields.maximumStock)"))
                        continue
                    }
                    guard let price = money(band.price, "bands[\(position)].price") else { continue }
                    if valid.contains(where: { $0.upToGrams == band.upToGrams }) {
                        issues.append(FieldIssue(field: "\(field).bands[\(position)].upToGrams", message: "is listed twice"))
                    }
                    valid.append(WeightBand(upToGrams: band.upToGrams, priceMinor: price))
                }
                rate = .weight(bands: valid.sorted { $0.upToGrams < $1.upToGrams })
            default:
                issues.append(FieldIssue(field: "\(field).type", message: "must be flat or weight"))
                continue
            }
            if methods.contains(where: { $0.id == id }) { issues.append(FieldIssue(field: "\(field).id", message: "is listed twice")) }
            methods.append(ShippingMethod(id: id, name: methodName, rate: rate, freeAboveMinor: money(method.freeAbove, "freeAbove")))
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        return (name, countries, methods)
    }
}

/// A shop's shipping zones (`/shipping-zones`): staff with `settings:write` edit them; anyone
/// with `settings:read` sees them. Customers see only the options priced for their cart.
public struct ShippingService: Sendable {
    public static let maximumZones = 100

    let storage: any TenantStorage
    let cache: MemoryCache
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, cache: MemoryCache, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.cache = cache
        self.now = now
    }

    public func zones(in tenantID: UUID, by actor: Actor) async throws -> [ShippingZone] {
        try actor.require(.settingsRead)
        return try await storage.read(tenantID) { tx in try tx.shipping.zones() }
    }

    public func create(in tenantID: UUID, _ input: ShippingZoneInput, exponent: Int, by actor: Actor) async throws -> ShippingZone {
        try actor.require(.settingsWrite)
        let valid = try input.validated(exponent: exponent)
        let timestamp = now()
        return try await CheckoutSetup.change(in: tenantID, storage: storage, cache: cache) { tx in
            guard try tx.shipping.zones().count < Self.maximumZones else {
                throw DomainError.conflict("A shop has at most \(Self.maximumZones) shipping zones")
            }
            let zone = ShippingZone(id: UUID(), name: valid.name, countries: valid.countries, methods: valid.methods, createdAt: timestamp, updatedAt: timestamp)
            try tx.shipping.save(zone)
            try tx.audit.record(AuditEntry("shipping_zone.created", on: "shipping_zone", id: zone.id.lowercased, by: actor,
                                           new: Self.auditValues(zone), at: timestamp))
            return zone
        }
    }

    /// Replaces the zone's name, countries and methods.
    public func replace(in tenantID: UUID, id: String, _ input: ShippingZoneInput, exponent: Int, by actor: Actor) async throws -> ShippingZone {
        try actor.require(.settingsWrite)
        let valid = try input.validated(exponent: exponent)
        let timestamp = now()
        return try await CheckoutSetup.change(in: tenantID, storage: storage, cache: cache) { tx in
            guard let zoneID = UUID(uuidString: id), var zone = try tx.shipping.zone(id: zoneID) else { throw DomainError.notFound("No shipping zone '\(id)'") }
            let before = Self.auditValues(zone)
            zone.name = valid.name
            zone.countries = valid.countries
            zone.methods = valid.methods
            zone.updatedAt = timestamp
            try tx.shipping.save(zone)
            try tx.audit.record(AuditEntry("shipping_zone.updated", on: "shipping_zone", id: zone.id.lowercased, by: actor, old: before,
                                           new: Self.auditValues(zone), at: timestamp))
            return zone
        }
    }

    public func delete(in tenantID: UUID, id: String, by actor: Actor) async throws {
        try actor.require(.settingsWrite)
        let timestamp = now()
        try await CheckoutSetup.change(in: tenantID, storage: storage, cache: cache) { tx in
            guard let zoneID = UUID(uuidString: id), let zone = try tx.shipping.zone(id: zoneID), try tx.shipping.delete(id: zoneID) else {
                throw DomainError.notFound("No shipping zone '\(id)'")
            }
            try tx.audit.record(AuditEntry("shipping_zone.deleted", on: "shipping_zone", id: zone.id.lowercased, by: actor,
                                           old: Self.auditValues(zone), at: timestamp))
        }
    }

    static func auditValues(_ zone: ShippingZone) -> JSONValue {
        .object(["name": .string(zone.name), "countries": .array(zone.countries.map(JSONValue.string)),
                 "methods": .array(zone.methods.map { .string($0.name) })])
    }
}
