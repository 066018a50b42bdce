import Foundation

/// What the customer chose at checkout, as sent (`POST /checkout/quote`, `POST /orders`).
public struct CheckoutChoices: Sendable, Equatable {
    public var shippingAddress: PostalAddress?
    /// An entry of the customer's address book, instead of `shippingAddress`.
    public var shippingAddressID: String?
    /// Defaults to the shipping address.
    public var billingAddress: PostalAddress?
    public var shippingMethodID: String?
    public var couponCode: String?

    public init(shippingAddress: PostalAddress? = nil, shippingAddressID: String? = nil, billingAddress: PostalAddress? = nil,
                shippingMethodID: String? = nil, couponCode: String? = nil) {
        self.shippingAddress = shippingAddress
        self.shippingAddressID = shippingAddressID
        self.billingAddress = billingAddress
        self.shippingMethodID = shippingMethodID
        self.couponCode = couponCode
    }

    public static let none = CheckoutChoices()

    /// Part of the order's idempotency fingerprint: the same key with other choices is refused.
    var fingerprint: String {
        let addresses = [shippingAddress, billingAddress].map { $0?.fingerprint ?? "" }
        return ([shippingAddressID ?? "", shippingMethodID ?? "", couponCode.map(Discount.normalizedCode) ?? ""] + addresses).joined(separator: "|")
    }
}

/// A checkout priced: what the quote answers and what the order freezes.
public struct CheckoutPlan: Sendable, Equatable {
    public var pricing: CheckoutPricing.Result
    public var checkout: OrderCheckout
    /// Every method the shop offers for the address, priced for this cart.
    public var shippingOptions: [ShippingOption]
    /// The discounts to count a use of when the order is placed.
    public var redeemable: [Discount]
}
