import Foundation

/// The demo shop's checkout setup, so `serve --demo` sells as a real shop does: shipping to a few
/// countries (Standard, free above 75; Express), VAT/sales tax, and the code WELCOME10.
public enum DemoCheckout {
    public static let couponCode = "WELCOME10"
    public static let countries = ["US", "CA", "GB", "DE", "FR", "NL", "AT"]

    /// Creates the setup once; returns false when the shop already has shipping zones.
    @discardableResult
    public static func seed(shipping: ShippingService, tax: TaxService, discounts: DiscountService, storage: any TenantStorage,
                            tenantID: UUID, exponent: Int) async throws -> Bool {
        guard try await storage.read(tenantID, { tx in try tx.shipping.zones().isEmpty }) else { return false }
        func method(_ name: String, _ price: Decimal, freeAbove: Decimal? = nil) -> ShippingZoneInput.Method {
            ShippingZoneInput.Method(id: nil, name: name, type: "flat", price: price, bands: nil, freeAbove: freeAbove)
        }
        _ = try await shipping.create(in: tenantID, ShippingZoneInput(name: "Demo destinations", countries: countries, methods: [
            method("Standard", 5, freeAbove: 75), method("Express", 15),
        ]), exponent: exponent, by: .commandLine)
        for (country, region, name, rate) in [("DE", nil, "VAT", Decimal(19)), ("FR", nil, "TVA", 20), ("NL", nil, "BTW", 21), ("AT", nil, "USt", 20),
                                              ("GB", nil, "VAT", 20), ("US", "CA", "CA sales tax", Decimal(string: "7.25")!)] as [(String, String?, String, Decimal)] {
            _ = try await tax.create(in: tenantID, TaxRateInput(country: country, region: region, name: name, rate: rate), by: .commandLine)
        }
        _ = try await discounts.create(in: tenantID, DiscountInput(code: couponCode, name: "10 % off your order", type: "percentage", value: 10),
                                       exponent: exponent, by: .commandLine)
        return true
    }
}
