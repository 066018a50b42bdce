import Foundation

/// What a cached entry depends on, so a change can drop exactly the entries it affects.
public enum CacheTag {
    /// An entry showing this product (its page, or a listing it appears in).
    public static func product(_ id: UUID) -> String { "product:\(id.lowercased)" }

    /// An entry computed from the shop's orders (analytics).
    public static let orders = "orders"

    /// The shop's checkout setup (`CheckoutSetup`): shipping zones, tax rates, prices with or without tax.
    public static let checkoutSetup = "checkout-setup"
}
