import Foundation

/// `POST /tax-rates` and `PUT /tax-rates/{id}` as sent: `rate` in percent, up to 4 decimals.
public struct TaxRateInput: Sendable, Decodable {
    public var country: String
    public var region: String?
    public var name: String
    public var rate: Decimal

    public init(country: String, region: String? = nil, name: String, rate: Decimal) {
        (self.country, self.region, self.name, self.rate) = (country, region, name, rate)
    }

    func validated() throws -> (country: String, region: String?, name: String, ratePPM: Int) {
        var issues: [FieldIssue] = []
        let country = CountryCodes.normalized(self.country)
        if country == nil { issues.append(FieldIssue(field: "country", message: "must be an ISO 3166-1 alpha-2 country code")) }
        let region = self.region?.trimmingCharacters(in: .whitespaces).uppercased()
        if let region, !(1...100).contains(region.count) || PostalAddress.hasControlCharacters(region) {
            issues.append(FieldIssue(field: "region", message: "must be 1 to 100 characters"))
        }
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(name.count) { issues.append(FieldIssue(field: "name", message: "must be 1 to 100 characters")) }
        var scaled = rate * 10_000
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        let ppm = rounded == scaled && rate >= 0 && rate <= 100 ? NSDecimalNumber(decimal: rounded).intValue : nil
        if ppm == nil { issues.append(FieldIssue(field: "rate", message: "must be a percentage from 0 to 100 with at most 4 decimals")) }
        guard issues.isEmpty, let country, let ppm else { throw DomainError.validation(issues) }
        return (country, region, name, ppm)
    }
}

/// A shop's tax rates (`/tax-rates`), edited by staff with `settings:write`. Whether catalog
/// prices include tax is the shop setting `tax.pricesIncludeTax`.
public struct TaxService: Sendable {
    public static let maximumRates = 1000

    let storage: any TenantStorage
    let cache: MemoryCache
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, cache: MemoryCache, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.cache = cache
        self.now = now
    }

    public func rates(in tenantID: UUID, by actor: Actor) async throws -> [TaxRate] {
        try actor.require(.settingsRead)
        return try await storage.read(tenantID) { tx in try tx.taxRates.rates() }
    }

    public func create(in tenantID: UUID, _ input: TaxRateInput, by actor: Actor) async throws -> TaxRate {
        try actor.require(.settingsWrite)
        let valid = try input.validated()
        let timestamp = now()
        return try await CheckoutSetup.change(in: tenantID, storage: storage, cache: cache) { tx in
            guard try tx.taxRates.rates().count < Self.maximumRates else { throw DomainError.conflict("A shop has at most \(Self.maximumRates) tax rates") }
            let rate = TaxRate(id: UUID(), country: valid.country, region: valid.region, name: valid.name, ratePPM: valid.ratePPM,
                               createdAt: timestamp, updatedAt: timestamp)
            try tx.taxRates.save(rate)
            try tx.audit.record(AuditEntry("tax_rate.created", on: "tax_rate", id: rate.id.lowercased, by: actor, new: Self.auditValues(rate), at: timestamp))
            return rate
        }
    }

    public func replace(in tenantID: UUID, id: String, _ input: TaxRateInput, by actor: Actor) async throws -> TaxRate {
        try actor.require(.settingsWrite)
        let valid = try input.validated()
        let timestamp = now()
        return try await CheckoutSetup.change(in: tenantID, storage: storage, cache: cache) { tx in
            guard let rateID = UUID(uuidString: id), var rate = try tx.taxRates.rate(id: rateID) else { throw DomainError.notFound("No tax rate '\(id)'") }
            let before = Self.auditValues(rate)
            (rate.country, rate.region, rate.name, rate.ratePPM, rate.updatedAt) = (valid.country, valid.region, valid.name, valid.ratePPM, timestamp)
            try tx.taxRates.save(rate)
            try tx.audit.record(AuditEntry("tax_rate.updated", on: "tax_rate", id: rate.id.lowercased, by: actor, old: before,
                                           new: Self.auditValues(rate), at: timestamp))
            return rate
        }
    }

    public func delete(in tenantID: UUID, id: String, by actor: Actor) async throws {
        try actor.require(.settingsWrite)
        let timestamp = now()
        try await CheckoutSetup.change(in: tenantID, storage: storage, cache: cache) { tx in
            guard let rateID = UUID(uuidString: id), let rate = try tx.taxRates.rate(id: rateID), try tx.taxRates.delete(id: rateID) else {
                throw DomainError.notFound("No tax rate '\(id)'")
            }
            try tx.audit.record(AuditEntry("tax_rate.deleted", on: "tax_rate", id: rate.id.lowercased, by: actor, old: Self.auditValues(rate), at: timestamp))
        }
    }

    static func auditValues(_ rate: TaxRate) -> JSONValue {
        .object(["country": .string(rate.country), "region": rate.region.map(JSONValue.string) ?? .null, "name": .string(rate.name),
                 "ratePPM": .number(Double(rate.ratePPM))])
    }
}
