import Foundation

/// Money as integer minor units (cents). Converted to a decimal number only at the edges, never
/// through floating point: 3 × 1999 = 5997 → 59.97 exactly.
public enum Money {
    /// The largest price accepted: 10 million in major units.
    public static let maximumMinor = 1_000_000_000

    /// Minor units from an API amount: non-negative, at most two decimals, at most `maximumMinor`.
    public static func minorUnits(_ amount: Decimal, field: String = "price") throws -> Int {
        guard amount >= 0 else { throw DomainError.invalid(field, "must not be negative") }
        var scaled = amount * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled else { throw DomainError.invalid(field, "must have at most 2 decimals") }
        guard rounded <= Decimal(maximumMinor) else { throw DomainError.invalid(field, "must be at most \(maximumMinor / 100)") }
        return NSDecimalNumber(decimal: rounded).intValue
    }

    /// The API amount for minor units: `1999` → `19.99`.
    public static func amount(_ minor: Int) -> Decimal {
        Decimal(minor) / 100
    }
}
