import Foundation

/// A shop's caps against stock hoarding: without them one new customer could reserve every unit
/// (100 lines × 999 units per order, any number of unpaid orders, each held for the reservation
/// time) and real customers got 409. Each cap is a shop setting (`PUT /settings/orders.…`) with a
/// default; unpaid orders also expire after `ORDER_RESERVATION_TTL` (15 minutes by default).
public struct OrderLimits: Sendable, Equatable {
    /// `orders.maxUnitsPerLine`: units of one product in one order (and in the cart).
    public var maxUnitsPerLine: Int
    /// `orders.maxLinesPerOrder`: distinct products in one order.
    public var maxLinesPerOrder: Int
    /// `orders.maxPendingPerCustomer`: unpaid orders one customer may hold at once.
    public var maxPendingPerCustomer: Int

    public static let defaults = OrderLimits(maxUnitsPerLine: 50, maxLinesPerOrder: 50, maxPendingPerCustomer: 3)

    public init(maxUnitsPerLine: Int, maxLinesPerOrder: Int, maxPendingPerCustomer: Int) {
        self.maxUnitsPerLine = maxUnitsPerLine
        self.maxLinesPerOrder = maxLinesPerOrder
        self.maxPendingPerCustomer = maxPendingPerCustomer
    }

    /// The setting keys and the values each accepts.
    public static var settings: [(key: String, range: ClosedRange<Int>, path: WritableKeyPath<OrderLimits, Int>)] {
        [
            ("orders.maxUnitsPerLine", CartService.quantityRange, \.maxUnitsPerLine),
            ("orders.maxLinesPerOrder", 1...OrderService.maximumLines, \.maxLinesPerOrder),
            ("orders.maxPendingPerCustomer", 1...1_000_000, \.maxPendingPerCustomer),
        ]
    }

    /// The shop's limits: its settings where set and valid, the defaults elsewhere.
    static func current(_ settings: any SettingsRepository) throws -> OrderLimits {
        var limits = OrderLimits.defaults
        for setting in Self.settings {
            if case .number(let value)? = try settings.setting(setting.key)?.value, let whole = Int(exactly: value), setting.range.contains(whole) {
                limits[keyPath: setting.path] = whole
            }
        }
        return limits
    }

    /// Refuses a value `PUT /settings/{key}` would store for one of these keys if it is not a whole
    /// number in range (422 naming the range); other keys pass.
    static func validate(key: String, value: JSONValue, encrypted: Bool) throws {
        guard let setting = settings.first(where: { $0.key == key }) else { return }
        guard !encrypted, case .number(let number) = value, let whole = Int(exactly: number), setting.range.contains(whole) else {
            throw DomainError.invalid("value", "\(key) must be a whole number from \(setting.range.lowerBound) to \(setting.range.upperBound)")
        }
    }
}
