import Foundation

/// Money as integer minor units (cents, yen, fils). Converted to a decimal number only at the
/// edges, never through floating point: 3 × 1999 = 5997 → 59.97 exactly. `exponent` is the
/// currency's number of decimals (`Currency.exponent`): 2 for USD, 0 for JPY, 3 for KWD.
public enum Money {
    /// The largest amount accepted for one price, in minor units.
    public static let maximumMinor = 1_000_000_000

    /// Minor units from an API amount: non-negative, at most `exponent` decimals, at most `maximumMinor`.
    public static func minorUnits(_ amount: Decimal, field: String = "price", exponent: Int = 2) throws -> Int {
        guard amount >= 0 else { throw DomainError.invalid(field, "must not be negative") }
        var scaled = amount * scale(exponent)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled else {
            throw DomainError.invalid(field, exponent == 0 ? "must be a whole amount in this currency" : "must have at most \(exponent) decimals")
        }
        guard rounded <= Decimal(maximumMinor) else { throw DomainError.invalid(field, "must be at most \(Money.amount(maximumMinor, exponent: exponent))") }
        return NSDecimalNumber(decimal: rounded).intValue
    }

    /// The API amount for minor units: `1999` → `19.99` (exponent 2), `1500` → `1500` (exponent 0).
    /// Built from sign, exponent and significand: exact, and without `Decimal` division, which
    /// cost 4 % of a checkout's CPU (an order answers a dozen amounts).
    public static func amount(_ minor: Int, exponent: Int = 2) -> Decimal {
        Decimal(sign: minor < 0 ? .minus : .plus, exponent: -decimals(exponent), significand: Decimal(minor.magnitude))
    }

    static func scale(_ exponent: Int) -> Decimal {
        var result = Decimal(1)
        for _ in 0..<decimals(exponent) { result *= 10 }
        return result
    }

    /// A currency's decimals as amounts use them: 0 to 6, whatever a caller passes.
    private static func decimals(_ exponent: Int) -> Int {
        max(0, min(exponent, 6))
    }
}
