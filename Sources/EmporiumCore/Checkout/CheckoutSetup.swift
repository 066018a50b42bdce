import Foundation

/// What every checkout of a shop reads and staff change rarely: its shipping zones, tax rates and
/// whether prices include tax. Kept in the shop's cache (dropped by every change to zones, rates or
/// that setting, and after the cache's TTL), so an order reads none of it from disk and decodes no
/// zone JSON: reading it in its own transaction per order cost 40 % of checkout throughput. What
/// must be exact at the moment of the order — stock, prices, the coupon and its remaining uses,
/// automatic promotions — is still read inside the order's write transaction.
public struct CheckoutSetup: Sendable, Equatable {
    public var zones: [ShippingZone]
    public var taxRates: [TaxRate]
    public var pricesIncludeTax: Bool

    static let cacheKey = "checkout.setup"

    static func load(_ tx: any TenantTransaction) throws -> CheckoutSetup {
        var pricesIncludeTax = false
        if case .bool(let value)? = try tx.settings.setting(CheckoutPlanner.pricesIncludeTaxKey)?.value { pricesIncludeTax = value }
        return CheckoutSetup(zones: try tx.shipping.zones(), taxRates: try tx.taxRates.rates(), pricesIncludeTax: pricesIncludeTax)
    }

    /// The shop's setup from the cache, or read once for all callers that miss together.
    static func current(in tenantID: UUID, storage: any TenantStorage, cache: MemoryCache) async throws -> CheckoutSetup {
        try await cache.fetch(CheckoutSetup.self, tenant: tenantID, key: cacheKey,
                              cost: { 512 + 256 * ($0.zones.count + $0.taxRates.count) }, tags: { _ in [CacheTag.checkoutSetup] }) {
            try await storage.read(tenantID) { tx in try load(tx) }
        }
    }

    /// A write that changes the shop's checkout setup (a zone, a rate): the cached copy goes with it.
    static func change<T: Sendable>(in tenantID: UUID, storage: any TenantStorage, cache: MemoryCache,
                                    _ body: @escaping @Sendable (any TenantTransaction) throws -> T) async throws -> T {
        let result = try await storage.write(tenantID, body)
        cache.invalidate(tenant: tenantID, tags: [CacheTag.checkoutSetup])
        return result
    }

    /// The zone that ships to `country`: a country is in at most one zone.
    func zone(country: String) -> ShippingZone? {
        zones.first { $0.countries.contains(country) }
    }
}
