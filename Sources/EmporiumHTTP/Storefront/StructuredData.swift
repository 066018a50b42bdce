import EmporiumCore
import Foundation

/// JSON-LD for search engines (schema.org `Product`, `BreadcrumbList`, `WebSite`), written into a
/// `<script type="application/ld+json">` element. Inside a script element only `</script` could end
/// it early: `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026` by Unicode scalars (a
/// combining mark never hides one), and so are U+2028 and U+2029.
enum StructuredData {
    static func json(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
        return scriptSafe(text)
    }

    static func scriptSafe(_ json: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": result.append(contentsOf: "\\u003c".unicodeScalars)
            case ">": result.append(contentsOf: "\\u003e".unicodeScalars)
            case "&": result.append(contentsOf: "\\u0026".unicodeScalars)
            case "\u{2028}": result.append(contentsOf: "\\u2028".unicodeScalars)
            case "\u{2029}": result.append(contentsOf: "\\u2029".unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// The shop's site, with the search the storefront answers at `/search?q=`.
    static func website(name: String, baseURL: String) -> JSONValue {
        .object([
            "@context": "https://schema.org", "@type": "WebSite", "name": .string(name), "url": .string(baseURL + "/"),
            "potentialAction": .object([
                "@type": "SearchAction", "target": .string(baseURL + "/search?q={search_term_string}"),
                "query-input": "required name=search_term_string",
            ]),
        ])
    }

    /// Crumbs as (name, absolute URL), the page itself last.
    static func breadcrumbs(_ crumbs: [(name: String, url: String)]) -> JSONValue {
        .object([
            "@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": .array(crumbs.enumerated().map { index, crumb in
                .object(["@type": "ListItem", "position": .number(Double(index + 1)), "name": .string(crumb.name), "item": .string(crumb.url)])
            }),
        ])
    }

    /// A product with one `Offer` per variant: each with the variant's SKU, its price in the
    /// shop's currency (as the page shows it) and whether it can be bought now.
    static func product(_ product: Product, currency: String, url: String, images: [String]) -> JSONValue {
        var object: [String: JSONValue] = [
            "@context": "https://schema.org", "@type": "Product", "name": .string(product.name), "sku": .string(product.sku),
            "url": .string(url),
            "offers": .array(product.variants.map { variant in
                .object([
                    "@type": "Offer", "sku": .string(variant.sku), "price": .string(PriceText.decimal(variant.priceMinor, currency: currency)),
                    "priceCurrency": .string(currency), "url": .string(url),
                    "availability": .string(variant.available > 0 ? "https://schema.org/InStock" : "https://schema.org/OutOfStock"),
                ])
            }),
        ]
        if !product.description.isEmpty { object["description"] = .string(product.description) }
        if !images.isEmpty { object["image"] = .array(images.map(JSONValue.string)) }
        if let category = product.categoryName { object["category"] = .string(category) }
        return .object(object)
    }
}
