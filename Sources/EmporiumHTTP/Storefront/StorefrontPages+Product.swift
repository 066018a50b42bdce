import EmporiumCore
import Foundation

/// The product page: pictures, price, description, one select per option and the variants as
/// data for the picker script, Open Graph with the first picture, and JSON-LD whose offers carry
/// the prices and availability the page shows.
extension StorefrontPages {
    func productDocument(_ product: Product, tenant: Tenant, categories: [Category]) async -> String {
        let base = baseURL(tenant)
        let url = base + "/products/\(product.slug)"
        let currency = tenant.currency
        let links = media(tenant)
        let pictures = pictureURLs(product, tenant: tenant)

        var model: [String: Any] = [:]
        var crumbs: [(name: String, url: String)] = [(tenant.name, "/")]
        if let category = categories.first(where: { $0.id == product.categoryID }) {
            crumbs.append((category.name, "/categories/\(category.slug)"))
        }
        crumbs.append((product.name, ""))
        model["breadcrumbs"] = Self.crumbs(crumbs)

        // The first variant that can be bought is chosen; without one, the first.
        let chosen = product.variants.first { $0.available > 0 } ?? product.variants.first
        let options = product.options
        model["options"] = options.enumerated().map { index, option in
            [
                "index": String(index), "name": option.name,
                "values": option.values.map { value in
                    ["value": value, "selected": chosen?.options.indices.contains(index) == true && chosen?.options[index].value == value]
                },
            ] as [String: Any]
        }
        let variants: JSONValue = .array(product.variants.map { variant in
            .object([
                "id": .string(variant.id.lowercased), "sku": .string(variant.sku),
                "options": .array(variant.options.map { .string($0.value) }),
                "price": .string(PriceText.display(variant.priceMinor, currency: currency)), "available": .number(Double(variant.available)),
            ])
        })
        model["variantsJSON"] = StructuredData.json(variants)

        if let first = product.media.first, let width = first.widths.last {
            model["mainImage"] = ["src": links.url(first, width: width), "alt": first.alt.isEmpty ? product.name : first.alt,
                                  "srcset": first.widths.map { "\(links.url(first, width: $0)) \($0)w" }.joined(separator: ", ")]
            model["hasThumbnails"] = product.media.count > 1
            model["thumbnails"] = product.media.count > 1 ? product.media.compactMap { image -> [String: Any]? in
                guard let small = image.widths.first, let large = image.widths.last else { return nil }
                return ["src": links.url(image, width: small), "full": links.url(image, width: large), "alt": image.alt.isEmpty ? product.name : image.alt]
            } : []
        } else if let given = product.images.first {
            model["mainImage"] = ["src": given, "alt": product.name]
        }

        let paragraphs = product.description.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let available = product.variants.contains { $0.available > 0 }
        model["product"] = [
            "id": product.id.lowercased, "name": product.name, "slug": product.slug, "initial": String(product.name.first ?? "?"),
            "price": chosen.map { PriceText.display($0.priceMinor, currency: currency) } ?? Self.price(product, currency: currency),
            "stockText": Self.stockText(chosen?.available ?? 0), "available": available, "paragraphs": paragraphs,
        ] as [String: Any]

        let body = templates.render("product", model)
        // Staff's own words for search results come first (`seoTitle`, `seoDescription`).
        let head = Head(title: product.seo.title ?? "\(product.name) · \(tenant.name)",
                        description: product.seo.description ?? Self.summary(product.description, fallback: "\(product.name) at \(tenant.name)."),
                        canonical: url, type: "product", image: pictures.first)
        let data = [
            StructuredData.product(product, currency: currency, url: url, images: pictures),
            StructuredData.breadcrumbs(crumbs.map { ($0.name, $0.url.isEmpty ? url : base + $0.url) }),
        ]
        return await document(tenant, head: head, body: body, structuredData: data)
    }
}
