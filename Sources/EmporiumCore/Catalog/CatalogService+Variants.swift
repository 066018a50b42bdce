import Foundation

/// Adding, changing and removing a product's variants. Every change re-checks the whole set
/// (`VariantRules`), so a product never ends up with two variants of one combination or with
/// variants that disagree on which options exist.
extension CatalogService {
    public func createVariant(in tenantID: UUID, productID: String, _ input: VariantInput, exponent: Int, by actor: Actor) async throws -> ProductVariant {
        try actor.require(.productsWrite)
        let valid = try input.validated(exponent: exponent)
        let timestamp = now()
        return try await write(tenantID) { tx in
            let product = try Self.product(tx, productID)
            let variant = ProductVariant(
                id: UUID(), productID: product.id, sku: valid.sku, options: valid.options, priceMinor: valid.priceMinor ?? product.priceMinor,
                stock: valid.stock, weightGrams: valid.weightGrams ?? product.weightGrams, attributes: valid.attributes,
                position: (product.variants.map(\.position).max() ?? 0) + 1, createdAt: timestamp, updatedAt: timestamp
            )
            if product.isSingleVariant, !variant.options.isEmpty {
                throw DomainError.invalid("options", "this product's only variant has no options yet: give it its options first "
                                          + "(PATCH /products/{id}/variants/\(product.variants[0].id.lowercased)), then add more")
            }
            let checked = try VariantRules.normalized(product.variants + [variant], field: "variant")
            guard let added = checked.last else { throw DomainError.conflict("A product keeps at least one variant") }
            try tx.catalog.insertVariant(added)
            try tx.audit.record(AuditEntry("variant.created", on: "product", id: product.id.lowercased, by: actor, new: added.auditValues, at: timestamp))
            return added
        }
    }

    public func updateVariant(in tenantID: UUID, productID: String, variantID: String, _ patch: VariantPatch, exponent: Int,
                              by actor: Actor) async throws -> ProductVariant {
        try actor.require(.productsWrite)
        let valid = try patch.validated(exponent: exponent)
        let timestamp = now()
        return try await write(tenantID) { tx in
            let product = try Self.product(tx, productID)
            guard let id = UUID(uuidString: variantID), let index = product.variants.firstIndex(where: { $0.id == id }) else {
                throw DomainError.notFound("No variant '\(variantID)' of this product")
            }
            var variants = product.variants
            let before = variants[index]
            if let sku = valid.sku { variants[index].sku = sku }
            if let options = valid.options { variants[index].options = options }
            if let price = valid.priceMinor { variants[index].priceMinor = price }
            if let weight = valid.weightGrams { variants[index].weightGrams = weight }
            if let attributes = valid.attributes { variants[index].attributes = attributes }
            if let position = valid.position { variants[index].position = position }
            if let stock = valid.stock {
                guard stock >= before.reserved else {
                    throw DomainError.invalid("stock", "must not be below the \(before.reserved) units reserved by open orders")
                }
                variants[index].stock = stock
            }
            variants[index].updatedAt = timestamp
            // Changing the options of a product's only variant redefines the product's options.
            let checked = try VariantRules.normalized(Self.optionOrder(variants, first: index), field: "variant")
            guard let updated = checked.first(where: { $0.id == id }) else { throw DomainError.notFound("No variant '\(variantID)' of this product") }
            try tx.catalog.updateVariant(updated)
            // A single-variant product's SKU follows its variant's.
            if product.variants.count == 1, before.sku == product.sku, updated.sku != product.sku {
                var renamed = product
                renamed.sku = updated.sku
                renamed.updatedAt = timestamp
                try tx.catalog.updateProduct(renamed)
            }
            try tx.audit.record(AuditEntry("variant.updated", on: "product", id: product.id.lowercased, by: actor, old: before.auditValues,
                                           new: updated.auditValues, at: timestamp))
            return updated
        }
    }

    public func deleteVariant(in tenantID: UUID, productID: String, variantID: String, by actor: Actor) async throws {
        try actor.require(.productsWrite)
        let timestamp = now()
        try await write(tenantID) { tx in
            let product = try Self.product(tx, productID)
            guard let id = UUID(uuidString: variantID), let variant = product.variants.first(where: { $0.id == id }) else {
                throw DomainError.notFound("No variant '\(variantID)' of this product")
            }
            guard product.variants.count > 1 else {
                throw DomainError.conflict("A product keeps at least one variant: delete the product instead")
            }
            guard variant.reserved == 0 else {
                throw DomainError.conflict("\(variant.reserved) units of this variant are reserved by unpaid orders: wait for them, or cancel them")
            }
            try tx.catalog.deleteVariant(id: variant.id, at: timestamp)
            try tx.audit.record(AuditEntry("variant.deleted", on: "product", id: product.id.lowercased, by: actor, old: variant.auditValues, at: timestamp))
        }
    }

    static func product(_ tx: any TenantTransaction, _ reference: String) throws -> Product {
        guard let product = try tx.catalog.product(reference: reference.lowercased()) else { throw DomainError.notFound("No product '\(reference)'") }
        return product
    }

    /// The variants with the edited one checked against the others: when the first variant is the
    /// one edited, another variant stands for the product's option names.
    private static func optionOrder(_ variants: [ProductVariant], first edited: Int) -> [ProductVariant] {
        guard edited == 0 else { return variants }
        return Array(variants.dropFirst()) + [variants[0]]
    }
}
