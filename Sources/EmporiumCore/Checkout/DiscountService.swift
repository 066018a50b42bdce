import Foundation

/// `POST /discounts`, `PUT /discounts/{id}` as sent. `value` is a percentage (0–100, up to 4
/// decimals) or an amount in the shop's currency; dates are ISO 8601.
public struct DiscountInput: Sendable, Decodable {
    /// nil or empty: an automatic promotion.
    public var code: String?
    public var name: String
    /// `percentage` or `fixed`.
    public var type: String
    public var value: Decimal
    /// `order` (default), `products` or `categories`.
    public var appliesTo: String?
    public var productIds: [String]?
    public var categoryIds: [String]?
    public var minimumSubtotal: Decimal?
    public var startsAt: String?
    public var endsAt: String?
    public var usageLimit: Int?
    public var perCustomerLimit: Int?
    public var active: Bool?

    public init(code: String?, name: String, type: String, value: Decimal, appliesTo: String? = nil, productIds: [String]? = nil,
                categoryIds: [String]? = nil, minimumSubtotal: Decimal? = nil, startsAt: String? = nil, endsAt: String? = nil,
                usageLimit: Int? = nil, perCustomerLimit: Int? = nil, active: Bool? = nil) {
        (self.code, self.name, self.type, self.value, self.appliesTo, self.productIds, self.categoryIds) = (code, name, type, value, appliesTo, productIds, categoryIds)
        (self.minimumSubtotal, self.startsAt, self.endsAt, self.usageLimit, self.perCustomerLimit, self.active) =
            (minimumSubtotal, startsAt, endsAt, usageLimit, perCustomerLimit, active)
    }

    public static let maximumTargets = 500
    public static let limitRange = 1...1_000_000_000

    func validated(exponent: Int) throws -> Discount {
        var issues: [FieldIssue] = []
        func issue(_ field: String, _ message: String) { issues.append(FieldIssue(field: field, message: message)) }
        var code = self.code.map(Discount.normalizedCode)
        if code?.isEmpty == true { code = nil }
        if let code, !(1...64).contains(code.count) || !code.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0)) }) {
            issue("code", "must be 1 to 64 letters, digits, '-' or '_'")
        }
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(name.count) { issue("name", "must be 1 to 100 characters") }
        var value = DiscountValue.fixed(minor: 1)
        switch type {
        case "percentage":
            var scaled = self.value * 10_000
            var rounded = Decimal()
            NSDecimalRound(&rounded, &scaled, 0, .plain)
            if rounded == scaled, self.value > 0, self.value <= 100 {
                value = .percentage(ppm: NSDecimalNumber(decimal: rounded).intValue)
            } else {
                issue("value", "must be a percentage above 0 and at most 100, with at most 4 decimals")
            }
        case "fixed":
            if let minor = try? Money.minorUnits(self.value, field: "value", exponent: exponent), minor > 0 {
                value = .fixed(minor: minor)
            } else {
                issue("value", "must be an amount above 0 with at most \(exponent) decimals, at most \(Money.amount(Money.maximumMinor, exponent: exponent))")
            }
        default: issue("type", "must be percentage or fixed")
        }
        func ids(_ raw: [String]?, _ field: String) -> [UUID] {
            let raw = raw ?? []
            if !(1...Self.maximumTargets).contains(raw.count) { issue(field, "must list 1 to \(Self.maximumTargets) ids"); return [] }
            return raw.enumerated().compactMap { index, text in
                guard let id = UUID(uuidString: text) else { issue("\(field)[\(index)]", "must be a UUID"); return nil }
                return id
            }
        }
        var target = DiscountTarget.order
        switch appliesTo ?? "order" {
        case "order": break
        case "products": target = .products(ids(productIds, "productIds"))
        case "categories": target = .categories(ids(categoryIds, "categoryIds"))
        default: issue("appliesTo", "must be order, products or categories")
        }
        var minimum = 0
        if let minimumSubtotal {
            if let minor = try? Money.minorUnits(minimumSubtotal, field: "minimumSubtotal", exponent: exponent) { minimum = minor } else {
                issue("minimumSubtotal", "must be a non-negative amount with at most \(exponent) decimals")
            }
        }
        func date(_ raw: String?, _ field: String) -> Date? {
            guard let raw else { return nil }
            guard let parsed = try? Date(raw, strategy: .iso8601) else { issue(field, "must be an ISO 8601 date-time, e.g. 2026-12-24T00:00:00Z"); return nil }
            return parsed
        }
        let starts = date(startsAt, "startsAt"), ends = date(endsAt, "endsAt")
        if let starts, let ends, ends <= starts { issue("endsAt", "must be after startsAt") }
        if let usageLimit, !Self.limitRange.contains(usageLimit) { issue("usageLimit", "must be from 1 to \(Self.limitRange.upperBound)") }
        if let perCustomerLimit, !Self.limitRange.contains(perCustomerLimit) { issue("perCustomerLimit", "must be from 1 to \(Self.limitRange.upperBound)") }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        return Discount(id: UUID(), code: code, name: name, value: value, target: target, minimumSubtotalMinor: minimum, startsAt: starts, endsAt: ends,
                        usageLimit: usageLimit, perCustomerLimit: perCustomerLimit, active: active ?? true, createdAt: .distantPast, updatedAt: .distantPast)
    }
}

/// Coupon codes and automatic promotions (`/discounts`), managed by staff with `products:write`
/// (merchandising; codes are not shown to customers before they type them).
public struct DiscountService: Sendable {
    public static let maximumDiscounts = 10_000

    let storage: any TenantStorage
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.now = now
    }

    public func list(in tenantID: UUID, page: Page, by actor: Actor) async throws -> (discounts: [Discount], total: Int) {
        try actor.require(.productsWrite)
        return try await storage.read(tenantID) { tx in (try tx.discounts.discounts(page: page), try tx.discounts.count()) }
    }

    public func get(in tenantID: UUID, id: String, by actor: Actor) async throws -> Discount {
        try actor.require(.productsWrite)
        let found = try await storage.read(tenantID) { tx in try UUID(uuidString: id).flatMap { try tx.discounts.discount(id: $0) } }
        guard let found else { throw DomainError.notFound("No discount '\(id)'") }
        return found
    }

    public func create(in tenantID: UUID, _ input: DiscountInput, exponent: Int, by actor: Actor) async throws -> Discount {
        try actor.require(.productsWrite)
        var discount = try input.validated(exponent: exponent)
        let timestamp = now()
        (discount.createdAt, discount.updatedAt) = (timestamp, timestamp)
        let created = discount
        return try await storage.write(tenantID) { tx in
            guard try tx.discounts.count() < Self.maximumDiscounts else { throw DomainError.conflict("A shop has at most \(Self.maximumDiscounts) discounts") }
            try tx.discounts.save(created)
            try tx.audit.record(AuditEntry("discount.created", on: "discount", id: created.id.lowercased, by: actor, new: Self.auditValues(created), at: timestamp))
            return created
        }
    }

    /// Replaces everything but the id and the uses already counted.
    public func replace(in tenantID: UUID, id: String, _ input: DiscountInput, exponent: Int, by actor: Actor) async throws -> Discount {
        try actor.require(.productsWrite)
        let valid = try input.validated(exponent: exponent)
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            guard let discountID = UUID(uuidString: id), let existing = try tx.discounts.discount(id: discountID) else {
                throw DomainError.notFound("No discount '\(id)'")
            }
            var discount = valid
            (discount.id, discount.usedCount, discount.createdAt, discount.updatedAt) = (existing.id, existing.usedCount, existing.createdAt, timestamp)
            try tx.discounts.save(discount)
            try tx.audit.record(AuditEntry("discount.updated", on: "discount", id: discount.id.lowercased, by: actor, old: Self.auditValues(existing),
                                           new: Self.auditValues(discount), at: timestamp))
            return discount
        }
    }

    public func delete(in tenantID: UUID, id: String, by actor: Actor) async throws {
        try actor.require(.productsWrite)
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            guard let discountID = UUID(uuidString: id), let existing = try tx.discounts.discount(id: discountID), try tx.discounts.delete(id: discountID) else {
                throw DomainError.notFound("No discount '\(id)'")
            }
            try tx.audit.record(AuditEntry("discount.deleted", on: "discount", id: existing.id.lowercased, by: actor, old: Self.auditValues(existing), at: timestamp))
        }
    }

    static func auditValues(_ discount: Discount) -> JSONValue {
        .object(["code": discount.code.map(JSONValue.string) ?? .null, "name": .string(discount.name), "active": .bool(discount.active),
                 "usageLimit": discount.usageLimit.map { .number(Double($0)) } ?? .null])
    }
}
