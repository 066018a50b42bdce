import Foundation

/// How much a discount takes off.
public enum DiscountValue: Sendable, Equatable, Codable {
    /// Parts per million of the eligible amount (10 % = 100,000).
    case percentage(ppm: Int)
    /// A fixed amount in minor units, spread over the eligible lines, never more than they cost.
    case fixed(minor: Int)
}

/// What a discount applies to.
public enum DiscountTarget: Sendable, Equatable, Codable {
    case order
    case products([UUID])
    case categories([UUID])
}

/// A coupon code (`code` set: the customer types it) or an automatic promotion (`code` nil:
/// applied to every order it fits). Usage limits are counted when an order is placed, inside the
/// order's transaction, so parallel buyers can never redeem a code more often than its limit; an
/// unpaid order that is cancelled or expires gives its use back.
public struct Discount: Sendable, Equatable, Identifiable {
    public var id: UUID
    /// Upper case; unique in the shop. nil: automatic promotion.
    public var code: String?
    public var name: String
    public var value: DiscountValue
    public var target: DiscountTarget
    /// The order's goods (before discounts) must come to at least this much.
    public var minimumSubtotalMinor: Int
    public var startsAt: Date?
    public var endsAt: Date?
    /// Orders that may use it in all; nil: no limit.
    public var usageLimit: Int?
    /// Orders one customer may use it on; nil: no limit.
    public var perCustomerLimit: Int?
    public var usedCount: Int
    public var active: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, code: String?, name: String, value: DiscountValue, target: DiscountTarget, minimumSubtotalMinor: Int = 0,
                startsAt: Date? = nil, endsAt: Date? = nil, usageLimit: Int? = nil, perCustomerLimit: Int? = nil, usedCount: Int = 0,
                active: Bool = true, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.code = code
        self.name = name
        self.value = value
        self.target = target
        self.minimumSubtotalMinor = minimumSubtotalMinor
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.usageLimit = usageLimit
        self.perCustomerLimit = perCustomerLimit
        self.usedCount = usedCount
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Active and inside its dates at `moment`.
    public func isLive(at moment: Date) -> Bool {
        active && (startsAt.map { $0 <= moment } ?? true) && (endsAt.map { moment < $0 } ?? true)
    }

    /// Why this discount cannot be used now by a customer who used it `customerUses` times, or nil when it can.
    public func refusal(at moment: Date, customerUses: Int) -> String? {
        guard active else { return "is not active" }
        if let startsAt, moment < startsAt { return "is not valid yet" }
        if let endsAt, moment >= endsAt { return "has expired" }
        if let usageLimit, usedCount >= usageLimit { return "has been used up" }
        if let perCustomerLimit, customerUses >= perCustomerLimit { return "was already used on your earlier orders" }
        return nil
    }

    func applies(to line: PricingLine) -> Bool {
        switch target {
        case .order: return true
        case .products(let ids): return ids.contains(line.productID)
        case .categories(let ids): return line.categoryID.map(ids.contains) ?? false
        }
    }

    /// Normalises a code as customers type it: trimmed, upper case.
    public static func normalizedCode(_ raw: String) -> String {
        raw.trimmed.uppercased()
    }
}
