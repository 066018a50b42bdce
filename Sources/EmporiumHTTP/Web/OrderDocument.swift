import EmporiumCore
import Foundation

/// The printable invoice or packing slip of one order: plain HTML with print styles, every value
/// escaped. Everything on it comes from what the order froze at checkout (addresses, prices,
/// discounts, tax lines), so an invoice printed again next year is the same document.
struct OrderDocument {
    enum Kind { case invoice, packingSlip }

    let kind: Kind
    let order: Order
    let shopName: String

    var html: String {
        let amount = Amounts(currency: order.currency)
        func money(_ minor: Int) -> String { "\(amount(minor)) \(order.currency)" }
        let title = kind == .invoice ? "Invoice \(order.invoiceNumber.map(String.init) ?? "")" : "Packing slip"
        var rows = ""
        for line in order.lines {
            rows += "<tr><td>\(escape(line.sku))</td><td>\(escape(line.displayName))</td><td class=n>\(line.quantity)</td>"
            if kind == .invoice {
                rows += "<td class=n>\(money(line.unitPriceMinor))</td><td class=n>\(money(line.discountMinor))</td>"
                rows += "<td class=n>\(money(line.taxMinor))</td><td class=n>\(money(line.lineTotalMinor))</td>"
            }
            rows += "</tr>\n"
        }
        var summary = ""
        if kind == .invoice {
            let totals = order.totals
            summary += row("Subtotal", money(totals.subtotalMinor))
            for discount in order.checkout.discounts {
                summary += row("Discount \(discount.code ?? discount.name)", "−" + money(discount.amountMinor))
            }
            if let shipping = order.checkout.shipping { summary += row("Shipping: \(shipping.name)", money(shipping.priceMinor)) }
            for tax in order.checkout.taxLines {
                let label = "\(tax.name) \(Decimal(tax.ratePPM) / 10_000) %\(totals.pricesIncludeTax ? " (included)" : "")"
                summary += row(label, money(tax.amountMinor))
            }
            summary += row("Net", money(totals.netMinor)) + row("<strong>Total</strong>", "<strong>\(money(totals.totalMinor))</strong>", raw: true)
        }
        let headings = kind == .invoice
            ? "<th>SKU</th><th>Item</th><th>Qty</th><th>Unit price</th><th>Discount</th><th>Tax</th><th>Amount</th>"
            : "<th>SKU</th><th>Item</th><th>Qty</th>"
        let placed = order.createdAt.formatted(.iso8601.year().month().day())
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title)) — \(escape(shopName))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;width:100%;margin:1em 0}
            th,td{border-bottom:1px solid #ccc;padding:.3em .5em;text-align:left}.n{text-align:right}.addresses{display:flex;gap:4em}
            @media print{body{margin:0}}
            </style></head><body>
            <h1>\(escape(title))</h1>
            <p>\(escape(shopName)) · Order \(order.number) · placed \(placed) · \(escape(order.status.rawValue))</p>
            <div class="addresses">\(block("Ship to", order.checkout.shippingAddress))\(kind == .invoice ? block("Bill to", order.checkout.billingAddress) : "")</div>
            <table><thead><tr>\(headings)</tr></thead><tbody>
            \(rows)</tbody></table>
            \(summary.isEmpty ? "" : "<table class=summary><tbody>\(summary)</tbody></table>")
            </body></html>
            """
    }

    private func row(_ label: String, _ value: String, raw: Bool = false) -> String {
        "<tr><td>\(raw ? label : escape(label))</td><td class=n>\(raw ? value : escape(value))</td></tr>\n"
    }

    private func block(_ heading: String, _ address: PostalAddress?) -> String {
        guard let address else { return "" }
        let lines = [address.name, address.company, address.line1, address.line2,
                     [address.postalCode, address.city].compactMap { $0 }.joined(separator: " "), address.region, address.country]
            .compactMap { $0 }.filter { !$0.isEmpty }.map(escape)
        return "<div><h2>\(heading)</h2><p>\(lines.joined(separator: "<br>"))</p></div>"
    }

    /// Every value goes through the one escaper of the code base (by Unicode scalars).
    private func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
