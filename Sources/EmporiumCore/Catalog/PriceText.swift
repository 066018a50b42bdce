/// Amounts as a shopper reads them and as schema.org wants them, from minor units and without
/// floating point: `1990` USD → "$19.90" on the page and "19.90" in structured data.
public enum PriceText {
    /// Symbols for the currencies most shops sell in; every other currency shows its code.
    static let symbols: [String: String] = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩", "ILS": "₪", "NGN": "₦"]

    /// The amount with all of the currency's decimals: "19.90", "1500", "1.250".
    public static func decimal(_ minor: Int, currency: String) -> String {
        let exponent = Currency.exponent(currency)
        var divisor = 1
        for _ in 0..<exponent { divisor *= 10 }
        let whole = minor.magnitude / UInt(divisor), fraction = minor.magnitude % UInt(divisor)
        let sign = minor < 0 ? "-" : ""
        guard exponent > 0 else { return "\(sign)\(whole)" }
        let digits = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: exponent - digits.count))\(digits)"
    }

    /// "$19.90", "€5.00", "1.250 KWD".
    public static func display(_ minor: Int, currency: String) -> String {
        let amount = decimal(minor, currency: currency)
        guard let symbol = symbols[currency] else { return "\(amount) \(currency)" }
        return minor < 0 ? "-\(symbol)\(amount.dropFirst())" : "\(symbol)\(amount)"
    }
}
