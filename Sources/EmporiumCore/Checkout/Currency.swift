/// ISO 4217 minor-unit exponents. Money is stored as integer minor units everywhere; the exponent
/// only matters at the edges, where an API amount (`19.99`, `1500`, `1.250`) becomes minor units
/// and back. Most currencies have 2 decimals; the ones listed here do not.
public enum Currency {
    /// Currencies without minor units (JPY, KRW, …).
    static let zeroDecimal: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    /// Currencies with thousandths (BHD, KWD, …).
    static let threeDecimal: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    /// Decimals of `code` (upper-case ISO 4217); 2 for every code not listed as 0 or 3.
    public static func exponent(_ code: String) -> Int {
        if zeroDecimal.contains(code) { return 0 }
        if threeDecimal.contains(code) { return 3 }
        return 2
    }
}
