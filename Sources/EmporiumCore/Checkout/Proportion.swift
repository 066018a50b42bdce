/// Integer "a × b ÷ c, rounded half up" without overflow: tax and percentage discounts multiply
/// amounts up to 10^12 minor units by parts per million, which can pass `Int.max`. The product is
/// computed at double width, so the answer is exact for every input a request can reach.
enum Proportion {
    /// `value × numerator ÷ denominator`, rounded half away from zero; inputs must be non-negative
    /// and `denominator` positive. Saturates at `Int.max` if the exact answer does not fit.
    static func of(_ value: Int, times numerator: Int, over denominator: Int) -> Int {
        guard value > 0, numerator > 0, denominator > 0 else { return 0 }
        let product = value.multipliedFullWidth(by: numerator)
        let (high, low) = (product.high, product.low)
        // The quotient fits in Int only while the dividend is below denominator × 2^63.
        guard high < denominator / 2 else { return .max }
        let (quotient, remainder) = denominator.dividingFullWidth((high, low))
        // Half up: round when the remainder is at least half the divisor (compared without overflow).
        return remainder >= denominator - remainder ? quotient.addingSaturated(1) : quotient
    }
}
