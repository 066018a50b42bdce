import Foundation

/// The sales report as CSV (RFC 4180: comma separated, CRLF line ends, fields with a comma, quote
/// or line break in double quotes, quotes doubled). Text a person typed (product names, SKUs,
/// e-mails) that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a spreadsheet
/// shows it instead of running it as a formula.
public enum SalesCSV {
    public static let header = [
        "order_number", "order_id", "status", "placed_at", "paid_at", "customer_id", "customer_email", "payment_method", "line",
        "product_id", "sku", "product_name", "quantity", "unit_price", "line_total", "currency", "variant_id", "variant",
    ]

    public static func headerRow() -> String { row(header) }

    public static func row(_ line: SalesLine) -> String {
        let exponent = Currency.exponent(line.currency)
        return row([
            String(line.orderNumber), line.orderID.lowercased, line.status.rawValue, timestamp(line.placedAt), timestamp(line.paidAt),
            line.customerID?.lowercased ?? "", text(line.customerEmail ?? ""), line.paymentMethod, String(line.line),
            line.productID.lowercased, text(line.sku), text(line.name), String(line.quantity), amount(line.unitPriceMinor, exponent: exponent),
            amount(line.lineTotalMinor, exponent: exponent), line.currency, line.variantID?.lowercased ?? "", text(line.variantTitle),
        ])
    }

    static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character and would slip past a Character test.
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func text(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return value }
        return "'" + value
    }

    /// `1999` → `19.99`, `-5` → `-0.05` (2 decimals), `1500` → `1500` (JPY), `1234` → `1.234` (KWD):
    /// integer arithmetic only.
    static func amount(_ minor: Int, exponent: Int = 2) -> String {
        let sign = minor < 0 ? "-" : ""
        let magnitude = minor.magnitude
        let decimals = max(0, min(exponent, 6))
        guard decimals > 0 else { return "\(sign)\(magnitude)" }
        var scale: UInt = 1
        for _ in 0..<decimals { scale *= 10 }
        let fraction = String(magnitude % scale)
        return "\(sign)\(magnitude / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
